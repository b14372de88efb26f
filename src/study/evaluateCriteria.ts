/**
 * Pass/fail: each criterion of the study ({ metric, estimator, relativeTo?, point?, op, threshold }) is checked
 * at its scan point, or at every point when it names none. A metric that could not be computed (NaN, e.g. no
 * successful toy) fails: a criterion never passes by default.
 */
import type { ResampledNull } from './verdict/resampledNull.js';
import { P_VALUE_METRICS, SF_METRICS, type Criterion } from './studySchema.js';
import type { EstimatorSummary } from './summarizeEstimator.js';
import type { TargetKind } from './verdict/referenceTargets.js';

export interface CriterionResult {
  criterion: Criterion;
  point: string;
  value: number | null;
  pass: boolean;
  /** Stated false-alarm budget (p-value criteria: the threshold, unless the criterion states one). */
  budget?: number;
  /** Target the metric was computed against (verdict metrics). */
  target?: TargetKind;
  /** Measured false-alarm rate and power (studies/calibration/), attached by summarizeStudy when stored. */
  calibration?: CriterionCalibration;
  /** Why no false-alarm rate is attached (the calibration left this criterion's estimator out, and why). */
  notMeasured?: string;
}

export interface CriterionCalibration {
  budget?: number;
  /** Null groups (of the study's toy count) that raised a false alarm (failed; detection criteria: passed), of how many. */
  failures: number;
  groups: number;
  rate: number;
  /** Clopper–Pearson 68.27 % interval of the rate. */
  rateLo: number;
  rateHi: number;
  /**
   * 'ok' | 'failed' (above the budget beyond its one-sided 95 % Clopper–Pearson bound, or a weak criterion's
   * model rate beyond its one-sided 95 % bound: verdict/resampledNull.ts) | 'no budget' |
   * 'power only' (a detection of a defect every point of the study carries: no null here, `detects` says which).
   */
  status: 'ok' | 'failed' | 'no budget' | 'power only';
  /** The built-in defect a `power only` criterion detects (its `detects`). */
  detects?: string;
  /** Power against each injected defect (fraction of groups failing), e.g. { "scale +5 %": 0.93 }. */
  power: Record<string, number>;
  /** Bins whose +20 % injection the criterion detects with power < 0.9 though they expect ≥ 100 flips per toy. */
  unjudgedBins?: string[];
  /** A weak direct calibration's second measurement, from the null toys resampled into verdicts (verdict/resampledNull.ts). */
  resampled?: ResampledNull;
}

/** The verdict metrics live per target (reachable / model) in summary.verdict. */
const VERDICT_METRICS = new Set(['biasP', 'pooledBiasP', 'pullMeanP', 'pullWidthP', 'coverage68P', 'coverage95P']);

/** What a criterion reads: an estimator's summary at a point, or a scale-factor pair's summary (metrics only). */
export type MetricSource = Pick<EstimatorSummary, 'metrics'> & Partial<Pick<EstimatorSummary, 'diagnostics' | 'verdict'>>;

export function metricValue(summary: MetricSource | undefined, metric: string, target: TargetKind = 'reachable'): number {
  if (!summary) return NaN;
  if (metric.startsWith('diagnostics.')) return summary.diagnostics?.[metric.slice('diagnostics.'.length)] ?? NaN;
  if (metric === 'closureScanP') return summary.verdict?.scan?.p ?? NaN;
  if (VERDICT_METRICS.has(metric)) return summary.verdict?.[target].metrics[metric] ?? NaN;
  return summary.metrics[metric] ?? NaN;
}

/**
 * The stated false-alarm budget: `budget` when given; for a p-value metric the threshold (p > α fails with
 * probability α on the null; p < α — a detection the study asserts — fires with probability α there).
 */
export function criterionBudget(c: Criterion): number {
  if (c.budget != null) return c.budget;
  return P_VALUE_METRICS.has(c.metric) ? c.threshold : DEFAULT_BUDGET;
}

/**
 * The false-alarm budget of a criterion that states none and is not a p-value: at most 1 % of null verdicts
 * (of the study's toy count, where the estimators' assumptions hold) may fail it. `qmisid calibrate` measures
 * the rate and reports a criterion above it as a failed calibration.
 */
export const DEFAULT_BUDGET = 0.01;

/**
 * A detection criterion asserts that a p-value is small (`p < α`): on the null its false alarm is PASSING,
 * and its power is the fraction of defect groups where it passes. Every other criterion raises an alarm by
 * failing.
 */
export function isDetection(c: Criterion): boolean {
  return P_VALUE_METRICS.has(c.metric) && (c.op === '<' || c.op === '<=');
}

export function compare(value: number, op: Criterion['op'], threshold: number): boolean {
  if (!Number.isFinite(value)) return false;
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
  }
}

/**
 * `sfPoints`: a paired study's scale-factor summary per scan point (metrics/sfSummary.ts); the sf… metrics are
 * judged there, every other metric at the study's points.
 */
export function evaluateCriteria(
  criteria: readonly Criterion[],
  points: readonly { label: string; estimators: Record<string, MetricSource> }[],
  sfPoints: readonly { label: string; estimators: Record<string, MetricSource> }[] = [],
): CriterionResult[] {
  const out: CriterionResult[] = [];
  for (const c of criteria) {
    for (const p of SF_METRICS.has(c.metric) ? sfPoints : points) {
      if (c.point != null && c.point !== p.label) continue;
      // A criterion naming no point holds at every point that runs its estimator (a paired study runs some
      // estimators on one sample only, a scan point may restrict them); a named point must run it.
      if (c.point == null && !(c.estimator in p.estimators)) continue;
      const target = c.target ?? 'reachable';
      let value = metricValue(p.estimators[c.estimator], c.metric, target);
      if (c.relativeTo != null) value /= metricValue(p.estimators[c.relativeTo], c.metric, target);
      const budget = criterionBudget(c);
      const verdictMetric = VERDICT_METRICS.has(c.metric);
      out.push({
        criterion: c,
        point: p.label,
        value: Number.isFinite(value) ? value : null,
        pass: compare(value, c.op, c.threshold),
        budget,
        ...(verdictMetric ? { target } : {}),
      });
    }
  }
  return out;
}
