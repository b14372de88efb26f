/**
 * Calibrated network errors (issue 10, item 7). A network's ensemble sd measures the members' scatter, not the
 * smoothing bias every member shares, so against the reachable target its pulls are too wide (pullFloors.ts,
 * errorInflation). `qmisid calibrate` therefore measures, per scan point, network and detector region, the
 * factor s by which the ensemble sd must grow for its 68.27 % Student-t interval to cover 68.27 % of the
 * pulls, on the FIRST half of the null verdicts (whole groups, in toy order), and stores it with the study
 * (StudyCalibration.errorScales). From then on:
 *
 *   - every run of the study states that network's error as σ = s·sd (err, errLo, errHi and, for a paired
 *     study, the members' spread of the predicted SC yield, Var_train·s²_all) — the criteria, the pulls and the
 *     report all read the calibrated error, and the report says so;
 *   - the calibration measures the false-alarm rate and power of every criterion that reads such a network on
 *     the SECOND half of the null verdicts only, so the rate is measured on toys the factor was not fitted on.
 *
 * s < 1 (an ensemble that over-covers) is not applied: the stated error never shrinks below the members'
 * spread. Bins of a region with no factor (too few flips to fit one) take the factor over all bins.
 *
 * A factor is fitted only where the network's assumptions hold: never at a point that carries a defect built
 * in for a detection criterion on it (the criterion's `point` when it has a `nullPoint`), and never for a
 * network named by a `detects` criterion (every point carries that defect). There the factor would absorb the
 * very bias the criterion must see — measured: mismodelling's unmorphed network at 'shift' asked for ×2.6.
 * Such a point borrows the factor fitted at the criterion's `nullPoint` instead (`fittedAt`): the detection's
 * false-alarm rate is measured there with the factor, so its power must be measured with the same error.
 */
import type { Binning } from '../../binning/Binning.js';
import { ConfigError } from '../../errors.js';
import { pointDetections } from './pointDetections.js';
import type { Criterion } from '../studySchema.js';
import type { EstimatorRecord, PointRecord, ToyRecord } from '../toyRecord.js';
import { errorInflation, fx, regionOf, type ErrorInflation } from './pullFloors.js';
import type { StudyReference } from './referenceTargets.js';

/** One fitted factor: ErrorInflation (the fit on the first half and its check on the second). */
export type ErrorScale = ErrorInflation & {
  /** Toy indices the factor was fitted on (the first half's groups): [first, last]. */
  fitToyRange: [number, number];
  /** Set when the factor was fitted at another point (the null point of a detection at this one). */
  fittedAt?: string;
};

/** Networks of the study: estimators whose error is an ensemble spread (records carry errDof). */
function ensembleNames(records: readonly ToyRecord[], label: string): string[] {
  const names = new Set<string>();
  for (const r of records)
    for (const p of r.points)
      if (p.label === label) for (const [n, rec] of Object.entries(p.estimators)) if (rec.errDof != null) names.add(n);
  return [...names].sort();
}

/** Whether (point, estimator) carries a defect a criterion detects there: no factor may be fitted on it. */
export function carriesDefect(criteria: readonly Criterion[], point: string, estimator: string): boolean {
  return criteria.some(
    (c) =>
      (c.estimator === estimator || c.relativeTo === estimator) &&
      (c.detects != null || (c.nullPoint != null && (c.point == null || c.point === point))),
  );
}

/**
 * The point whose fit (point, estimator) borrows because a detection criterion's built-in defect sits there:
 * that criterion's `nullPoint`, where its false-alarm rate is measured. Undefined otherwise.
 */
export function borrowsFrom(criteria: readonly Criterion[], point: string, estimator: string): string | undefined {
  const from = new Set(
    pointDetections(criteria, estimator)
      .filter((c) => c.point === point)
      .map((c) => c.nullPoint!),
  );
  // Two null points for one (point, estimator) would make its stated error depend on which criterion is read.
  if (from.size > 1)
    throw new ConfigError(
      'criteria',
      [...from].join(', '),
      `the detections of ${estimator} at point '${point}' name different nullPoints; give them one`,
    );
  return from.values().next().value;
}

/**
 * Copies of the fits made at a detection's null point for the detection's own point (`fittedAt` = the null
 * point), for every (point, estimator) that carries a defect and borrows (borrowsFrom). Shared by the
 * calibrated factors and the SC-yield systematics.
 */
export function withBorrowed<X extends { point: string; estimator: string; fittedAt?: string }>(
  fits: readonly X[],
  labels: readonly string[],
  criteria: readonly Criterion[],
): X[] {
  const out = [...fits];
  for (const point of labels)
    for (const name of new Set(fits.map((x) => x.estimator))) {
      const from = borrowsFrom(criteria, point, name);
      if (from == null || from === point || !carriesDefect(criteria, point, name)) continue;
      for (const x of fits) if (x.point === from && x.estimator === name) out.push({ ...x, point, fittedAt: from });
    }
  return out;
}

/**
 * Factors fitted on sorted[0, fitCount) and checked on sorted[fitCount, end), for every point and every
 * ensemble estimator with a reference (reachable targets) at that point and no built-in defect there.
 */
export function fitErrorScales(
  sorted: readonly ToyRecord[],
  fitCount: number,
  labels: readonly string[],
  reference: StudyReference | undefined,
  binning: Binning,
  criteria: readonly Criterion[] = [],
): ErrorScale[] {
  if (fitCount < 2 || sorted.length - fitCount < 2 || !reference) return [];
  const range: [number, number] = [sorted[0]!.toy, sorted[fitCount - 1]!.toy];
  const out: ErrorScale[] = [];
  for (const label of labels) {
    const ref = reference.points[label];
    if (!ref) continue;
    const recs = sorted.map((r) => r.points.find((q) => q.label === label));
    for (const name of ensembleNames(sorted, label)) {
      if (carriesDefect(criteria, label, name)) continue;
      for (const x of errorInflation(label, name, recs, ref, binning, fitCount))
        // A factor below 1 is not applied (the error never shrinks below the spread): its check is the unscaled one.
        out.push({ ...x, ...(x.scale != null && x.scale < 1 ? { after: x.before } : {}), fitToyRange: range });
    }
  }
  return withBorrowed(out, labels, criteria);
}

/** The factor applied to bin k of (point, estimator): its region's, else the all-bins one; never below 1. */
export function scaleFor(scales: readonly ErrorScale[], point: string, estimator: string, binning: Binning, k: number): number {
  const mine = scales.filter((s) => s.point === point && s.estimator === estimator);
  if (!mine.length) return 1;
  const region = regionOf(binning, k);
  const pick = mine.find((s) => s.region === region && s.scale != null) ?? mine.find((s) => s.region === 'all');
  return Math.max(1, pick?.scale ?? 1);
}

/**
 * Whether (point, estimator) has an applied factor (> 1 in some region): its errors change, so its criteria are
 * judged on the second half only. Factors below 1 change nothing and cost no toys.
 */
export function isScaled(scales: readonly ErrorScale[], estimator: string, point?: string): boolean {
  return scales.some((s) => s.estimator === estimator && (point == null || s.point === point) && s.scale != null && s.scale > 1);
}

/** A short label for the report: which error a network states after calibration. */
export function scaledIntervalLabel(scales: readonly ErrorScale[], point: string, estimator: string, source: string): string {
  const mine = scales.filter((s) => s.point === point && s.estimator === estimator && s.scale != null);
  const parts = mine.map((s) => `${s.region} x${Math.max(1, s.scale!).toFixed(2)}`);
  const at = mine[0]?.fittedAt != null ? ` at point ${mine[0].fittedAt}` : '';
  const toys = mine[0] ? `null toys ${mine[0].fitToyRange[0]}-${mine[0].fitToyRange[1]}${at}` : 'null toys';
  return `ensemble sd x calibrated factor (${parts.join(', ')}; fitted on ${toys} of ${source})`;
}

const mul = (xs: (number | null)[] | undefined, f: readonly number[]): (number | null)[] | undefined =>
  xs?.map((x, k) => (x == null ? x : x * (f[k] ?? 1)));

/** What one calibrated (point, network) does to each of its records: per-bin factors, the all-bins one, the label. */
interface Scaling {
  factors: number[];
  all: number;
  interval: string;
}

function scaleRecord(rec: EstimatorRecord, s: Scaling): EstimatorRecord {
  const out: EstimatorRecord = { ...rec, err: mul(rec.err, s.factors)!, interval: s.interval, errFactors: s.factors };
  if (rec.errLo) out.errLo = mul(rec.errLo, s.factors)!;
  if (rec.errHi) out.errHi = mul(rec.errHi, s.factors)!;
  // The members' spread of the SC yield grows with the factor, unless the yield carries its own calibrated
  // systematic (yieldSystematics.ts), which is that same smoothing bias measured on the yield itself.
  if (rec.scYield && rec.scYield.systematicRel == null)
    out.scYield = { ...rec.scYield, trainVariance: rec.scYield.trainVariance * s.all * s.all };
  return out;
}

/** The records with every calibrated network's errors multiplied by its factors (others untouched). */
export function applyErrorScales(
  records: readonly ToyRecord[],
  scales: readonly ErrorScale[] | undefined,
  binning: Binning,
  source: string,
): ToyRecord[] {
  if (!scales?.length) return [...records];
  // Each (point, network)'s factors are worked out once, not per record and bin.
  const memo = new Map<string, Scaling | null>();
  const scalingOf = (point: string, name: string): Scaling | null => {
    const key = JSON.stringify([point, name]);
    let s = memo.get(key);
    if (s === undefined) {
      s = isScaled(scales, name, point)
        ? {
            factors: Array.from({ length: binning.size }, (_, k) => scaleFor(scales, point, name, binning, k)),
            all: Math.max(1, scales.find((x) => x.point === point && x.estimator === name && x.region === 'all')?.scale ?? 1),
            interval: scaledIntervalLabel(scales, point, name, source),
          }
        : null;
      memo.set(key, s);
    }
    return s;
  };
  return records.map((r) => ({
    ...r,
    points: r.points.map((p): PointRecord => {
      let estimators = p.estimators;
      for (const name of Object.keys(p.estimators)) {
        const s = scalingOf(p.label, name);
        if (s) estimators = { ...estimators, [name]: scaleRecord(p.estimators[name]!, s) };
      }
      return estimators === p.estimators ? p : { ...p, estimators };
    }),
  }));
}

/** One line for the console and the report: the factor applied, where it was fitted, and its check. */
export function errorScaleText(x: ErrorScale): string {
  const s = x.scale == null ? null : Math.max(1, x.scale);
  return (
    `stated error = ensemble sd x${fx(s, 2)} (fitted ${fx(x.scale, 2)} ± ${fx(x.scaleErr, 2)} on null toys ${x.fitToyRange[0]}-${x.fitToyRange[1]}` +
    `${x.fittedAt != null ? ` at point ${x.fittedAt}` : ''}, ` +
    `${x.bins} bins >= 5 flips${x.scale != null && x.scale < 1 ? '; below 1, not applied' : ''}); on the other ${x.testToys} null toys: ` +
    `cov68 ${fx(x.before.coverage68)} ± ${fx(x.before.coverage68Err)} -> ${fx(x.after.coverage68)} ± ${fx(x.after.coverage68Err)}, ` +
    `pull width ${fx(x.before.width)} -> ${fx(x.after.width)}`
  );
}
