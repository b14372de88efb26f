/**
 * Standard normal CDF and quantile, and the error function, from @stdlib.
 *
 * Why not simple-statistics for these (it has them): measured against double-precision references,
 * its `cumulativeStdNormalProbability` is a 4-decimal table lookup (Φ(1) = 0.8413 vs 0.841344746…),
 * its `probit` is off by 2.8e-3 at p = 0.975 (1.95716 vs 1.959964), and its `errorFunction` by 3e-8 at
 * x = 0.5. Coverage intervals (Wilson, ±1σ / ±1.96σ bands) need full double precision, which the @stdlib
 * implementations (Boost-derived rational approximations) give: checked against scipy in test/stats.
 */
import stdlibErf from '@stdlib/math-base-special-erf';
import stdNormalCdf from '@stdlib/stats-base-dists-normal-cdf';
import stdNormalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** Φ(x) = P(Z ≤ x) for a standard normal Z. */
export function normalCdf(x: number): number {
  return stdNormalCdf(x, 0, 1);
}

/** Φ⁻¹(p): the z with P(Z ≤ z) = p; ∓Infinity at p = 0, 1, NaN outside [0, 1]. */
export function normalQuantile(p: number): number {
  return stdNormalQuantile(p, 0, 1);
}

/** erf(x) = (2/√π) ∫₀ˣ e^{−t²} dt. */
export function erf(x: number): number {
  return stdlibErf(x);
}
