/**
 * Student's t distribution with ν degrees of freedom (real ν > 0), from @stdlib. ν = Infinity is the
 * normal limit, handled here explicitly so callers can pass "no dof correction" without a special case.
 * Replaces the integer-ν closed series and the bisection quantiles that src/study and test/properties
 * used to carry.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { normalCdf, normalQuantile } from './normal.js';

/** P(T_ν ≤ x). */
export function studentTCdf(x: number, dof: number): number {
  return dof === Infinity ? normalCdf(x) : tCdf(x, dof);
}

/** The x with P(T_ν ≤ x) = p. */
export function studentTQuantile(p: number, dof: number): number {
  return dof === Infinity ? normalQuantile(p) : tQuantile(p, dof);
}

/** Standard deviation of t_ν: √(ν/(ν − 2)) for ν > 2, Infinity for 1 < ν ≤ 2 (and here also ν ≤ 1), 1 for the normal. */
export function studentTStandardDeviation(dof: number): number {
  if (dof === Infinity) return 1;
  return dof > 2 ? Math.sqrt(dof / (dof - 2)) : Infinity;
}
