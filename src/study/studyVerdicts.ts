/**
 * What the report's verdict cards show for a study, from summary.json alone: each criterion with the estimator
 * it judges and every further field it carries (so fields added to the summary's criteria, e.g. false-alarm
 * rates or power, reach the cards without more code), and per estimator the worst bin — the used bin with the
 * largest |⟨ε̂ − τ⟩|/σ over all scan points, named by its (|η|, pT) label — its non-ok status counts and a few
 * key numbers.
 */
import { Binning } from '../binning/Binning.js';
import type { Criterion, Verdict } from '../report/report.js';
import type { StudySummary } from './summarizeStudy.js';

type Detail = number | string | boolean | null;

const CRITERION_KEYS = new Set(['metric', 'estimator', 'op', 'threshold', 'why', 'relativeTo', 'point']);
const RESULT_KEYS = new Set(['criterion', 'point', 'value', 'pass']);
/** Numbers on each card: the estimator's own answer to "how far off, how honest are its errors". */
const CARD_NUMBERS = ['failureRate', 'pooledRelBias', 'pooledRelBiasErr', 'maxAbsBiasOverSigma', 'pullWidth', 'coverage68'] as const;

function num(x: number | null): number | string {
  return x == null ? 'n/a' : Number(x.toPrecision(5));
}

/** Scalar fields only: a nested object is shown as JSON text. */
function asDetail(v: unknown): Detail | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

export function studyCriteria(summary: StudySummary): Criterion[] {
  return summary.criteria.map((c) => {
    const k = c.criterion as unknown as Record<string, unknown>;
    const details: Record<string, Detail> = {};
    for (const [key, v] of Object.entries(k)) if (!CRITERION_KEYS.has(key) && asDetail(v) !== undefined) details[key] = asDetail(v)!;
    for (const [key, v] of Object.entries(c as unknown as Record<string, unknown>))
      if (!RESULT_KEYS.has(key) && asDetail(v) !== undefined) details[key] = asDetail(v)!;
    const metric = `${c.criterion.metric}${c.criterion.relativeTo ? ` / ${c.criterion.relativeTo}` : ''}`;
    return {
      name: `${c.criterion.metric}(${c.criterion.estimator}${c.criterion.relativeTo ? `/${c.criterion.relativeTo}` : ''}) @ ${c.point}${c.criterion.why ? ` — ${c.criterion.why}` : ''}`,
      value: num(c.value),
      threshold: `${c.criterion.op} ${c.criterion.threshold}`,
      pass: c.pass,
      estimator: c.criterion.estimator,
      metric,
      point: c.point,
      ...(c.criterion.why ? { why: c.criterion.why } : {}),
      ...(Object.keys(details).length ? { details } : {}),
    };
  });
}

export function studyVerdicts(summary: StudySummary, binning: { eta: number[]; pt: number[] }): Verdict[] {
  const bins = Binning.fromEdges(binning.eta, binning.pt);
  const names: string[] = [];
  for (const p of summary.points) for (const n of Object.keys(p.estimators)) if (!names.includes(n)) names.push(n);
  const many = summary.points.length > 1;
  return names.map((estimator) => {
    let worst: Verdict['worst'];
    const failures: Record<string, number> = {};
    const numbers: Record<string, number | string> = {};
    for (const p of summary.points) {
      const e = p.estimators[estimator];
      if (!e) continue;
      for (const [k, n] of Object.entries(e.failures)) failures[k] = (failures[k] ?? 0) + n;
      for (const b of e.bins) {
        if (!b.used || b.biasOverSigma == null || !Number.isFinite(b.biasOverSigma)) continue;
        if (!worst || Math.abs(b.biasOverSigma) > Math.abs(worst.value)) {
          worst = {
            bin: b.bin < bins.size ? bins.label(b.bin) : `bin ${b.bin}`,
            metric: '⟨ε̂ − τ⟩/σ',
            value: Number(b.biasOverSigma.toPrecision(4)),
            ...(many ? { point: p.label } : {}),
          };
        }
      }
      for (const key of CARD_NUMBERS) {
        const v = e.metrics[key];
        if (v != null && Number.isFinite(v)) numbers[`${many ? `${p.label} / ` : ''}${key}`] = Number(v.toPrecision(4));
      }
    }
    return {
      estimator,
      ...(worst ? { worst } : {}),
      ...(Object.keys(failures).length ? { failures } : {}),
      ...(Object.keys(numbers).length ? { numbers } : {}),
    };
  });
}
