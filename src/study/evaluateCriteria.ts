/**
 * Pass/fail: each criterion of the study ({ metric, estimator, relativeTo?, point?, op, threshold }) is checked
 * at its scan point, or at every point when it names none. A metric that could not be computed (NaN, e.g. no
 * successful toy) fails: a criterion never passes by default.
 */
import type { Criterion } from './studySchema.js';
import type { EstimatorSummary } from './summarizeEstimator.js';

export interface CriterionResult {
  criterion: Criterion;
  point: string;
  value: number | null;
  pass: boolean;
}

export function metricValue(summary: EstimatorSummary | undefined, metric: string): number {
  if (!summary) return NaN;
  if (metric.startsWith('diagnostics.')) return summary.diagnostics[metric.slice('diagnostics.'.length)] ?? NaN;
  return summary.metrics[metric] ?? NaN;
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

export function evaluateCriteria(
  criteria: readonly Criterion[],
  points: readonly { label: string; estimators: Record<string, EstimatorSummary> }[],
): CriterionResult[] {
  const out: CriterionResult[] = [];
  for (const c of criteria) {
    for (const p of points) {
      if (c.point != null && c.point !== p.label) continue;
      let value = metricValue(p.estimators[c.estimator], c.metric);
      if (c.relativeTo != null) value /= metricValue(p.estimators[c.relativeTo], c.metric);
      out.push({ criterion: c, point: p.label, value: Number.isFinite(value) ? value : null, pass: compare(value, c.op, c.threshold) });
    }
  }
  return out;
}
