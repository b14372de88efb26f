/**
 * The shape of an estimator check: a named property of charge-flip estimators, run against one estimator on
 * known-truth samples, with a stated false-alarm budget (the probability that a correct estimator fails it).
 */
import type { Binning } from '../binning/Binning.js';
import type { EventTable } from '../events/columns.js';
import { deriveSeed } from '../rng.js';
import type { Estimator, EstimatorResult } from '../study/estimators/Estimator.js';

export type CheckPreset = 'quick' | 'full';

/** The estimator under test and how to call it. */
export interface CheckTarget {
  /** A label for messages and reports (e.g. `binned`, `external:python3 my_phi.py`). */
  name: string;
  estimator: Estimator;
  options: Record<string, unknown>;
}

export interface CheckContext {
  target: CheckTarget;
  preset: CheckPreset;
  /** The check's root seed: every sample and every estimator call derives its own seed from it. */
  seed: number;
  /** fast-check replay path of a previous failure (with the same seed), for `--replay`. */
  path?: string;
  log: (line: string) => void;
}

export type PropertyStatus = 'passed' | 'failed' | 'skipped';

export interface PropertyOutcome {
  property: string;
  status: PropertyStatus;
  /** One line: what was checked and what came out. */
  summary: string;
  /** On failure: the comparison that failed, with its numbers. */
  message?: string;
  /** Individual comparisons made. */
  checks: number;
  /** Family-wise probability that a correct estimator fails this property (0: not statistical). */
  falseAlarm: number;
  seed: number;
  /** fast-check's counterexample path: with the same seed it replays the failing case first. */
  path?: string;
  counterexample?: unknown;
  seconds: number;
}

export interface PropertyDefinition {
  name: string;
  /** One sentence for listings, JUnit and the report. */
  title: string;
  run(ctx: CheckContext): Promise<Omit<PropertyOutcome, 'property' | 'seconds' | 'seed'>>;
}

/** Run the estimator on one sample, with a seed derived from the check seed and the call's own label. */
export function callEstimator(
  ctx: CheckContext,
  table: EventTable,
  binning: Binning,
  ...label: (string | number)[]
): Promise<EstimatorResult> {
  const source = `check ${label.join(' ')} (estimator ${ctx.target.name})`;
  return ctx.target.estimator(table, {
    binning,
    seed: deriveSeed(ctx.seed, 'check', ...label),
    options: ctx.target.options,
    source,
  });
}

/** True when the estimator says it could not identify the rates: a non-ok status or `diagnostics.flagged`. */
export function reportsNonIdentifiable(res: EstimatorResult): boolean {
  const d = res.diagnostics ?? {};
  return res.status !== 'ok' || d.flagged === true || d.identifiable === false;
}
