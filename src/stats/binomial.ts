/** Binomial(n, p) distribution, from @stdlib. */
import stdBinomialCdf from '@stdlib/stats-base-dists-binomial-cdf';

/** P(K ≤ k), K ~ Binomial(n, p); k is floored (the CDF is a step function). */
export function binomialCdf(k: number, n: number, p: number): number {
  return stdBinomialCdf(k, n, p);
}
