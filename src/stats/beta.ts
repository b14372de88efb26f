/** Beta(a, b) distribution (real a, b > 0), from @stdlib: CDF = regularised incomplete beta I_x(a, b). */
import stdBetaCdf from '@stdlib/stats-base-dists-beta-cdf';
import stdBetaQuantile from '@stdlib/stats-base-dists-beta-quantile';

/** I_x(a, b) = P(X ≤ x), X ~ Beta(a, b). */
export function betaCdf(x: number, a: number, b: number): number {
  return stdBetaCdf(x, a, b);
}

/** The x with I_x(a, b) = p. */
export function betaQuantile(p: number, a: number, b: number): number {
  return stdBetaQuantile(p, a, b);
}
