/**
 * A short text summary for the terminal: toys, failures, a few headline metrics per point and estimator, and
 * every criterion with PASS/FAIL.
 */
import { calibrationStatusText } from './verdict/studyCalibration.js';
import type { StudySummary } from './summarizeStudy.js';
import { errorInflationText, pullFloorLabel, pullFloorText } from './verdict/pullFloors.js';
import { errorScaleText } from './verdict/errorScales.js';
import { yieldSystematicText } from './verdict/yieldSystematics.js';

const f = (x: number | null | undefined, d = 3): string =>
  x == null || !Number.isFinite(x) ? '—' : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toFixed(d);

/** A criterion's metric and estimator(s), as every line of the summary names it: metric(a) or metric(a/b). */
const label = (c: StudySummary['criteria'][number]): string =>
  `${c.criterion.metric}(${c.criterion.estimator}${c.criterion.relativeTo ? `/${c.criterion.relativeTo}` : ''})`;

export function printSummary(s: StudySummary, seconds?: number): string {
  const lines: string[] = [];
  lines.push(
    `study ${s.study}${s.quick ? ' (quick)' : ''}: ${s.toys.recorded}/${s.toys.requested} toys, ${s.toys.failed} failed${seconds != null ? `, ${seconds.toFixed(1)} s` : ''}`,
  );
  if (s.toys.missing.length)
    lines.push(`  missing toys: ${s.toys.missing.slice(0, 20).join(', ')}${s.toys.missing.length > 20 ? ', …' : ''}`);
  for (const p of s.points) {
    lines.push(`point ${p.label}: ${f(p.window, 0)} window events, ${f(p.windowSC, 0)} SC`);
    for (const [name, e] of Object.entries(p.estimators)) {
      const m = e.metrics;
      lines.push(
        `  ${name.padEnd(12)} fail ${f(m.failureRate, 2)}  |rel bias| ${f(m.meanAbsRelBias)}  max|bias/σ| ${f(m.maxAbsBiasOverSigma, 2)}  pull ${f(m.pullMean, 2)}±${f(m.pullWidth, 2)}  cov68 ${f(m.coverage68, 2)}  mse ${f(m.mse)}  χ²/ndf ${f(m.closureChi2Ndf, 2)}`,
      );
    }
  }
  for (const c of s.criteria) {
    const k = c.criterion;
    lines.push(
      `${c.pass ? 'PASS' : 'FAIL'} ${label(c)} @${c.point} = ${f(c.value, 4)} ${k.op} ${k.threshold}${k.why ? `  — ${k.why}` : ''}`,
    );
  }
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  for (const c of s.criteria) {
    const k = c.calibration;
    const budget = c.budget != null ? `budget ${pct(c.budget)}` : 'no budget';
    if (!k) {
      lines.push(
        `  false alarms of ${label(c)}@${c.point}: NOT MEASURED (${budget}) — ${c.notMeasured ?? (s.calibration && 'missing' in s.calibration ? s.calibration.missing : 'not in the calibration')}`,
      );
      continue;
    }
    const power = Object.entries(k.power)
      .map(([d, p]) => `${d} ${pct(p)}`)
      .join(', ');
    lines.push(
      `  false alarms of ${label(c)}@${c.point}: ${k.status === 'power only' ? calibrationStatusText(k) : `${k.failures}/${k.groups} = ${pct(k.rate)} (${budget}: ${calibrationStatusText(k)})`}${power ? `; power ${power}` : ''}`,
    );
  }
  const many = s.points.length > 1;
  const nullToys = s.calibration && 'file' in s.calibration ? s.calibration.nullToys : 0;
  for (const f of (s.pullFloors?.nullToys ?? []).filter((x) => x.region === 'all'))
    lines.push(`pull floor ${pullFloorLabel(f, many)}: ${pullFloorText(f, `${nullToys} null toys`)}`);
  for (const f of (s.pullFloors?.thisRun ?? []).filter((x) => x.region === 'all' && x.toys >= 100))
    lines.push(`pull floor ${pullFloorLabel(f, many)}: ${pullFloorText(f, 'this run')}`);
  for (const x of s.errorScales ?? []) lines.push(`${x.estimator} error (${x.region}${many ? `, ${x.point}` : ''}): ${errorScaleText(x)}`);
  for (const x of s.yieldSystematics ?? []) lines.push(`${x.estimator} SC yield${many ? ` (${x.point})` : ''}: ${yieldSystematicText(x)}`);
  for (const x of s.errorInflation ?? [])
    lines.push(`${x.estimator} error (${x.region}${many ? `, ${x.point}` : ''}): ${errorInflationText(x)}`);
  lines.push(s.criteriaDeferred ? `criteria not judged: ${s.criteriaDeferred}` : s.pass ? 'all criteria pass' : 'criteria FAILED');
  return `${lines.join('\n')}\n`;
}
