/**
 * The measured null and the power of every criterion of a study (issue 10, items 4–5).
 *
 * Null: N toys made where the estimators' assumptions hold (the study's configuration, or it with the
 * calibration's generator patch), split in order into G = ⌊N/T⌋ disjoint groups of the study's toy count T.
 * Each group is one verdict: the false-alarm rate of a criterion is the fraction of groups it fails (for a
 * detection criterion, `p < α`, the fraction it passes: the test fired without a defect), with its
 * Clopper–Pearson 68.27 % interval. A criterion whose rate lies above its stated budget beyond the one-sided
 * 95 % Clopper–Pearson bound has FAILED its calibration, and is reported as such. A weak one (few verdicts)
 * whose metric has a known model gets a second rate from the same toys (resampledNull.ts), which can calibrate
 * it or fail it too.
 *
 * Power: the same groups with a known defect injected into one estimator's stored output (injectDefect.ts):
 * ε̂ × 1.2 and × 0.8 in each judged bin, × 1.05 everywhere, and a narrow local miss for the closure scan.
 * Power = fraction of groups the criterion then fails. Nothing is retrained or refitted.
 * Minimal detectable bias per bin: (z_{1−α_bin/2} + z_{0.9})·SE_T/target with SE_T the bias test's error for
 * T toys from the pool's spread (or reported errors), α_bin = 1 − (1 − budget)^{1/m} over the m judged bins.
 *
 * Networks (ensemble errors) get a calibrated error first (errorScales.ts, item 7): the factor on their
 * ensemble sd — and, in a paired study, the systematic on their predicted SC yield (yieldSystematics.ts) — is
 * fitted on the first ⌊G/2⌋ groups, and every criterion reading such a network is judged — null and power — on
 * the other groups only, with the factor and the systematic applied.
 */
import { Binning } from '../../binning/Binning.js';
import { clopperPearson, normalQuantile } from '../../stats/index.js';
import { version } from '../../version.js';
import { evaluateCriteria, isDetection, type CriterionCalibration, type CriterionResult } from '../evaluateCriteria.js';
import type { ResolvedStudy } from '../resolveStudy.js';
import { summarizeEstimator, type EstimatorSummary } from '../summarizeEstimator.js';
import { summarizeScaleFactors } from '../metrics/sfSummary.js';
import { SF_METRICS, type Criterion } from '../studySchema.js';
import type { PointRecord, ToyRecord } from '../toyRecord.js';
import { deriveSeed } from '../../rng.js';
import { estimatorVerdict } from './estimatorVerdict.js';
import { atDefectPoint, pullFloors } from './pullFloors.js';
import { applyErrorScales, fitErrorScales, isScaled } from './errorScales.js';
import { applyYieldSystematics, fitYieldSystematics, hasYieldSystematic } from './yieldSystematics.js';
import { defectLabel, injectDefect, type Defect } from './injectDefect.js';
import type { StudyReference } from './referenceTargets.js';
import {
  calibrationStatus,
  criterionKey,
  isWeak,
  type BinPower,
  type CalibratedCriterion,
  type StudyCalibration,
} from './studyCalibration.js';
import { resampleBinomial, resampledModel, resampleNormal, type ResampledNull } from './resampledNull.js';
import { MIN_FLIPS_REPORTED, MIN_FLIPS_SPREAD, SPREAD_MIN_TOYS, summarizeVerdict } from './summarizeVerdict.js';

/** The local structure the closure scan must catch: truth ×2 in 5 GeV of pT in the central barrel. */
export const DEFAULT_BUMP: Extract<Defect, { kind: 'bump' }> = { kind: 'bump', eta: [0, 0.5], pt: [40, 45], factor: 0.5 };
/** Criteria judged per bin (their power per bin and the bins they cannot judge are reported). */
const PER_BIN_METRICS = new Set(['biasP', 'maxAbsBiasOverSigma', 'pullMeanP']);
/** Bins expecting at least this many flips per toy must be judged with power ≥ 0.9 against ±20 %. */
export const MUST_JUDGE_FLIPS = 100;
export const POWER_FLOOR = 0.9;

type PointLite = { label: string; estimators: Record<string, EstimatorSummary> };

export interface CalibrateMeta {
  nullToys: number;
  nullGenerator?: Record<string, unknown>;
  seed: string;
  /** Criteria of estimators left out of the null run (keys; point `*` = every point). */
  notMeasured?: string[];
  /** The study's `calibration.note`: what is not calibrated and why (cost). */
  note?: string;
}

function summarizeOne(
  study: ResolvedStudy,
  label: string,
  name: string,
  recs: readonly (PointRecord | undefined)[],
  reference: StudyReference | undefined,
  reuseScan?: EstimatorSummary['verdict'],
): EstimatorSummary {
  const s = summarizeEstimator(name, recs);
  // The scan's pseudo-experiments are the expensive part: only for estimators a scan criterion reads.
  const scanned = study.criteria.some((c) => c.metric === 'closureScanP' && (c.estimator === name || c.relativeTo === name));
  const reuse = !scanned ? null : reuseScan === undefined ? undefined : (reuseScan?.scan ?? null);
  s.verdict = estimatorVerdict(name, recs, reference?.points[label], deriveSeed(study.seed, 'scan', label, name), {}, reuse);
  return s;
}

function pointRecords(group: readonly ToyRecord[], label: string): (PointRecord | undefined)[] {
  return group.map((r) => r.points.find((q) => q.label === label));
}

export function calibrate(
  study: ResolvedStudy,
  nullRecords: readonly ToyRecord[],
  reference: StudyReference | undefined,
  meta: CalibrateMeta,
  bump: Extract<Defect, { kind: 'bump' }> = DEFAULT_BUMP,
): StudyCalibration {
  const T = study.toys;
  const unscaled = [...nullRecords].sort((a, b) => a.toy - b.toy);
  const G = Math.floor(unscaled.length / T);
  const binning = Binning.fromEdges(study.binning.eta, study.binning.pt);
  // Calibrated network errors (errorScales.ts): factors fitted on the first half of the groups; a criterion
  // that reads a calibrated network is then judged on the second half only.
  const fitGroups = Math.floor(G / 2);
  const errorScales = fitErrorScales(
    unscaled.slice(0, G * T),
    fitGroups * T,
    study.points.map((p) => p.label),
    reference,
    binning,
    study.criteria,
  );
  // The same halves give a paired study's networks their SC-yield systematic (yieldSystematics.ts).
  const yieldSystematics = fitYieldSystematics(
    unscaled.slice(0, G * T),
    fitGroups * T,
    study.points.map((p) => p.label),
    study.criteria,
  );
  // The systematic first: a yield that carries one keeps its bare training variance (errorScales.ts).
  const sorted = applyErrorScales(applyYieldSystematics(unscaled, yieldSystematics), errorScales, binning, 'this calibration');
  const groups = Array.from({ length: G }, (_, g) => sorted.slice(g * T, (g + 1) * T));
  // Judged on the second half: every criterion of a network with scaled errors; the yield criteria (the only
  // ones that read it) of a network with a yield systematic.
  const calibrated = (c: Criterion, name: string): boolean =>
    isScaled(errorScales, name) || (c.metric.startsWith('scYield') && hasYieldSystematic(yieldSystematics, name));
  const firstGroup = (c: Criterion): number =>
    calibrated(c, c.estimator) || (c.relativeTo != null && calibrated(c, c.relativeTo)) ? fitGroups : 0;
  // The records a pool-level summary of one estimator reads (per-bin errors): the second half for a scaled network.
  const poolOf = (name: string): ToyRecord[] => (isScaled(errorScales, name) ? sorted.slice(fitGroups * T) : sorted);
  const involved = new Set(study.criteria.flatMap((c) => [c.estimator, ...(c.relativeTo ? [c.relativeTo] : [])]));

  // Null verdicts.
  const nullPoints: PointLite[][] = groups.map((group) =>
    study.points.map((p) => {
      const recs = pointRecords(group, p.label);
      const estimators: Record<string, EstimatorSummary> = {};
      for (const e of p.estimators) estimators[e.name] = summarizeOne(study, p.label, e.name, recs, reference);
      return { label: p.label, estimators };
    }),
  );
  // A paired study's sf… metrics are judged on the group's scale-factor summary (metrics/sfSummary.ts).
  const sfPoints = (group: readonly ToyRecord[]) => summarizeScaleFactors(study, group)?.points ?? [];
  const evaluate = (criteria: readonly Criterion[], pts: PointLite[], group: readonly ToyRecord[]): CriterionResult[] =>
    evaluateCriteria(criteria, pts, sfPoints(group));
  const nullResults: CriterionResult[][] = nullPoints.map((pts, g) => evaluate(study.criteria, pts, groups[g]!));
  const template =
    nullResults[0] ??
    evaluate(
      study.criteria,
      study.points.map((p) => ({ label: p.label, estimators: {} })),
      [],
    );
  // A criterion with a nullPoint detects a defect built into its own point: its null is the same criterion
  // judged at nullPoint (a pass there is a false alarm), its power the rate at which it passes at its point.
  const atNull = study.criteria.map((c) => (c.nullPoint != null ? { ...c, point: c.nullPoint } : c));
  const builtIn = template.map((r) => r.criterion.nullPoint != null || r.criterion.detects != null);
  // A detection with no null point has no null in this study: power only (failures over zero groups).
  const noNull = template.map((r) => r.criterion.detects != null && r.criterion.nullPoint == null);
  const nullPointResults: CriterionResult[][] = template.some((r) => r.criterion.nullPoint != null)
    ? nullPoints.map((pts, g) => evaluate(atNull, pts, groups[g]!))
    : nullResults;

  // A detection's false alarm is a pass (the test fired without its defect); any other criterion's, a failure.
  const alarmIsPass = (c: Criterion): boolean => isDetection(c) || c.nullPoint != null || c.detects != null;
  const alarm = (r: CriterionResult): boolean => (alarmIsPass(r.criterion) ? r.pass : !r.pass);
  // Power: fraction of groups failing per (result index, defect label); per-bin powers separately.
  const power: Record<string, number>[] = template.map(() => ({}));
  const binPower: Map<string, { up: number; down: number }>[] = template.map(() => new Map());
  // In a paired study a global defect goes into the data samples only, so that it reaches the scale factors.
  const dataLabels = study.paired ? new Set(study.points.filter((p) => p.side === 'data').map((p) => p.label)) : undefined;
  const runDefect = (name: string, d: Defect, point: string | undefined): number[] => {
    const fails = new Array<number>(template.length).fill(0);
    // The points the defect goes into (absent: all); the same set picks the points to summarize again.
    const at = point != null ? new Set([point]) : dataLabels;
    groups.forEach((group, g) => {
      const injected = injectDefect(group, name, d, at);
      const pts = nullPoints[g]!.map((p) => {
        if (at && !at.has(p.label)) return p;
        if (!p.estimators[name]) return p;
        const reuse = d.kind === 'bin' ? p.estimators[name]!.verdict : undefined;
        return {
          ...p,
          estimators: { ...p.estimators, [name]: summarizeOne(study, p.label, name, pointRecords(injected, p.label), reference, reuse) },
        };
      });
      evaluate(study.criteria, pts, injected).forEach((r, i) => {
        if (g >= firstGroup(r.criterion) && alarm(r)) fails[i]!++;
      });
    });
    return fails.map((f, i) => {
      const n = G - firstGroup(template[i]!.criterion);
      return n > 0 ? f / n : NaN;
    });
  };
  const touches = (r: CriterionResult, name: string): boolean =>
    r.criterion.nullPoint == null && r.criterion.detects == null && (r.criterion.estimator === name || r.criterion.relativeTo === name);

  // Pool-level verdicts (all null toys) for the judged bins and the minimal detectable bias.
  const poolBins = new Map<string, ReturnType<typeof summarizeVerdict>>();
  for (const p of study.points) {
    for (const e of p.estimators) {
      if (!involved.has(e.name)) continue;
      // The bins a verdict of T toys judges (not the pool's own, larger set).
      const minFlips = T >= SPREAD_MIN_TOYS ? MIN_FLIPS_SPREAD : MIN_FLIPS_REPORTED;
      poolBins.set(
        `${p.label}/${e.name}`,
        summarizeVerdict(e.name, pointRecords(poolOf(e.name), p.label), 'reachable', reference?.points[p.label], { minFlips }),
      );
    }
  }

  const defects = new Set<string>();
  for (const name of involved) {
    // A paired study's scale factors are a ratio of two samples: a verdict's pooled SF error is a few per
    // cent (2.0 % for scale-factors' 50 toys of 1.5·10^5 Z), so a 5 % shift of the data side is under its 4σ
    // threshold by design; the power against a 20 % shift says what the SF criteria can see.
    const global: Defect[] = [{ kind: 'scale', factor: 1.05 }, ...(study.paired ? [{ kind: 'scale', factor: 1.2 } as const] : []), bump];
    for (const d of global) {
      const label = defectLabel(d);
      defects.add(label);
      runDefect(name, d, undefined).forEach((pw, i) => {
        if (touches(template[i]!, name)) power[i]![label] = pw;
      });
    }
    for (const p of study.points) {
      const pool = poolBins.get(`${p.label}/${name}`);
      if (!pool) continue;
      for (const b of pool.bins.filter((x) => x.judged)) {
        const up = runDefect(name, { kind: 'bin', bin: b.bin, factor: 1.2 }, p.label);
        const down = runDefect(name, { kind: 'bin', bin: b.bin, factor: 0.8 }, p.label);
        template.forEach((r, i) => {
          if (r.point === p.label && touches(r, name)) binPower[i]!.set(String(b.bin), { up: up[i]!, down: down[i]! });
        });
      }
    }
  }
  defects.add('bin +20 % / -20 % (each judged bin)');

  // The resampled null of result i (resampledNull.ts): its criterion as the null judges it (at its null point),
  // on the toys it is judged on, each draw evaluated as a real verdict is. Its metrics need only the
  // estimator's summary at that one point (no per-target verdict, no closure scan), or the group's
  // scale-factor summary for an sf… metric.
  const resample = (i: number): ResampledNull | null => {
    const r = template[i]!;
    const model = resampledModel(r.criterion, T);
    if (!model) return null;
    const c = r.criterion.nullPoint != null ? { ...r.criterion, point: r.criterion.nullPoint } : r.criterion;
    const point = r.criterion.nullPoint ?? r.point;
    const names = [c.estimator, ...(c.relativeTo ? [c.relativeTo] : [])];
    const pool = sorted.slice(firstGroup(r.criterion) * T, G * T);
    const sf = SF_METRICS.has(c.metric);
    const value = (group: ToyRecord[]): number => {
      const recs = pointRecords(group, point);
      const estimators: Record<string, EstimatorSummary> = {};
      if (!sf) for (const n of names) estimators[n] = summarizeEstimator(n, recs);
      return evaluateCriteria([c], [{ label: point, estimators }], sf ? sfPoints(group) : []).find((x) => x.point === point)?.value ?? NaN;
    };
    const seed = deriveSeed(study.seed, 'resampled-null', criterionKey(r.criterion, r.point));
    if (model === 'normal') return resampleNormal(c, pool, T, value, alarmIsPass(r.criterion), seed);
    // The failure rate of the whole pool, as one verdict: its failed toys.
    const f = value(pool);
    return Number.isFinite(f) ? resampleBinomial(c, pool.length, T, Math.round(f * pool.length)) : null;
  };

  const criteria: CalibratedCriterion[] = template.map((r, i) => {
    const c = r.criterion;
    const g0 = firstGroup(c);
    const counted = <X>(rows: X[]): X[] => rows.slice(g0);
    if (builtIn[i] && G > g0)
      power[i]![`its point's own defect (${c.detects ?? `absent at ${c.nullPoint}`})`] =
        counted(nullResults).filter((rs) => rs[i]!.pass).length / (G - g0);
    const groupsNull = noNull[i] ? 0 : G - g0;
    const failures = noNull[i] ? 0 : counted(nullPointResults).filter((rs) => alarm(rs[i]!)).length;
    const [lo, hi] = groupsNull > 0 ? clopperPearson(failures, groupsNull, 0.6827) : [NaN, NaN];
    const budget = r.budget;
    // A weak direct calibration gets a second measurement from its null toys resampled into verdicts.
    const weak = groupsNull > 0 && budget != null && isWeak({ budget, rateHi: hi });
    const resampled = weak ? resample(i) : null;
    const cal: CriterionCalibration = {
      ...(budget != null ? { budget } : {}),
      failures,
      groups: groupsNull,
      rate: groupsNull > 0 ? failures / groupsNull : NaN,
      rateLo: lo,
      rateHi: hi,
      status: calibrationStatus(failures, groupsNull, budget, c.detects, resampled ?? undefined),
      ...(resampled ? { resampled } : {}),
      ...(c.detects != null ? { detects: c.detects } : {}),
      power: power[i]!,
    };
    const out: CalibratedCriterion = { key: criterionKey(r.criterion, r.point), point: r.point, calibration: cal };
    if (PER_BIN_METRICS.has(r.criterion.metric)) {
      const pool = poolBins.get(`${r.point}/${r.criterion.estimator}`);
      const alpha = budget ?? 0.01;
      const judged = pool?.bins.filter((b) => b.judged) ?? [];
      const m = judged.length;
      const alphaBin = m > 0 ? -Math.expm1(Math.log1p(-alpha) / m) : NaN;
      const zc = normalQuantile(1 - alphaBin / 2) + normalQuantile(POWER_FLOOR);
      const bins: BinPower[] = judged.map((b) => {
        const g2 = Number.isFinite(b.targetErr) ? b.targetErr ** 2 : 0;
        const perToy = Math.max(b.meanBiasErr ** 2 - g2, 0) * b.toys;
        const seT = Math.sqrt(perToy / T + g2);
        const pw = binPower[i]!.get(String(b.bin)) ?? { up: NaN, down: NaN };
        return {
          bin: b.bin,
          label: binning.label(b.bin),
          expectedFlips: b.expectedFlips,
          target: b.target,
          mdb: Number.isFinite(seT) ? (zc * seT) / b.target : null,
          powerUp: pw.up,
          powerDown: pw.down,
        };
      });
      out.bins = bins;
      const must = bins.filter((b) => b.expectedFlips >= MUST_JUDGE_FLIPS);
      cal.unjudgedBins = must.filter((b) => !(Math.min(b.powerUp, b.powerDown) >= POWER_FLOOR)).map((b) => b.label);
      if (must.length) cal.power['min over bins >= 100 flips, +-20 %'] = Math.min(...must.map((b) => Math.min(b.powerUp, b.powerDown)));
    }
    return out;
  });
  // Pull floors over the whole null pool (≥ 100 toys where the calibration has them).
  const floors = study.points.flatMap((p) =>
    p.estimators.flatMap((e) =>
      pullFloors(
        p.label,
        e.name,
        pointRecords(poolOf(e.name), p.label),
        reference?.points[p.label],
        binning,
        pointRecords(sorted, p.label),
        atDefectPoint(study.criteria, p.label, e.name),
      ),
    ),
  );
  return {
    study: study.name,
    quick: study.quick,
    toysPerGroup: T,
    nullToys: meta.nullToys,
    groups: G,
    ...(meta.nullGenerator ? { nullGenerator: meta.nullGenerator } : {}),
    seed: meta.seed,
    version,
    defects: [...defects],
    criteria,
    pullFloors: floors,
    ...(errorScales.length ? { errorScales } : {}),
    ...(yieldSystematics.length ? { yieldSystematics } : {}),
    ...(meta.notMeasured?.length ? { notMeasured: meta.notMeasured } : {}),
    ...(meta.note ? { note: meta.note } : {}),
  };
}
