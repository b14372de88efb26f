/** Poisson(μ) distribution, from @stdlib. */
import stdPoissonCdf from '@stdlib/stats-base-dists-poisson-cdf';

/** P(K ≤ k), K ~ Poisson(μ); k is floored. */
export function poissonCdf(k: number, mu: number): number {
  return stdPoissonCdf(k, mu);
}
