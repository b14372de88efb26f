/**
 * χ² distribution with k degrees of freedom (real k > 0), from @stdlib.
 *
 * The survival function is NOT 1 − CDF: that cancels to 0 once the CDF rounds to 1 (χ² = 100 with k = 10
 * has P = 2.5e−17, below the spacing of doubles near 1). It is the regularised UPPER incomplete gamma
 * Q(k/2, x/2), which @stdlib's gammainc evaluates directly (upper = true), accurate to ~1e−15 relative far
 * into the tail (checked against scipy.stats.chi2.sf down to 1e−200 in test/stats).
 */
import gammainc from '@stdlib/math-base-special-gammainc';
import stdChiSquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import stdChiSquareQuantile from '@stdlib/stats-base-dists-chisquare-quantile';

/** P(X ≤ x), X ~ χ²_k. */
export function chiSquareCdf(x: number, k: number): number {
  return stdChiSquareCdf(x, k);
}

/** P(X > x), X ~ χ²_k, accurate in the far tail (see above). */
export function chiSquareSf(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return gammainc(x / 2, k / 2, true, true);
}

/** The x with P(X ≤ x) = p. */
export function chiSquareQuantile(p: number, k: number): number {
  return stdChiSquareQuantile(p, k);
}
