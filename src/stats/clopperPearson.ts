/**
 * Clopper–Pearson ("exact") central interval for a binomial probability: with α = 1 − cl,
 *   lo = B⁻¹(α/2; k, n − k + 1)  (0 at k = 0),   hi = B⁻¹(1 − α/2; k + 1, n − k)  (1 at k = n),
 * B⁻¹ the beta quantile (the binomial tail sums equal incomplete-beta values, so this inverts them exactly).
 * Default cl = 0.6827 (±1σ).
 *
 * Non-integer k, n (weighted or effective counts): the same beta quantiles with real parameters, i.e. the
 * continuous extension of the binomial tails through I_x(a, b). It reduces to the exact interval at integer
 * counts and is monotone in k and n in between; it is NOT an exact-coverage interval for weighted data.
 */
import { betaQuantile } from './beta.js';
import { checkCounts } from './checkCounts.js';

export function clopperPearson(k: number, n: number, cl = 0.6827): [number, number] {
  checkCounts('clopperPearson', k, n, cl);
  const alpha = 1 - cl;
  const lo = k === 0 ? 0 : betaQuantile(alpha / 2, k, n - k + 1);
  const hi = k === n ? 1 : betaQuantile(1 - alpha / 2, k + 1, n - k);
  return [lo, hi];
}
