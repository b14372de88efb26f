/**
 * Wilson score interval for a binomial probability (Wilson 1927): with p̂ = k/n and z = Φ⁻¹(1 − (1 − cl)/2),
 *   centre = (p̂ + z²/2n) / (1 + z²/n),   half-width = z/(1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²).
 * k and n may be real effective counts (e.g. n_eff = (Σw)²/Σw², k = p̂·n_eff). Default cl = 0.6827 (±1σ).
 */
import { checkCounts } from './checkCounts.js';
import { normalQuantile } from './normal.js';

export function wilson(k: number, n: number, cl = 0.6827): [number, number] {
  checkCounts('wilson', k, n, cl);
  const z = normalQuantile(1 - (1 - cl) / 2);
  const p = k / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
