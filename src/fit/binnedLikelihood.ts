/**
 * −ln L of the binned charge-flip model and its analytic derivatives in ε space.
 *
 * Per unordered bin pair (i ≤ j): S_ij ~ Poisson(N_ij · p_ij) with the full pair flip probability
 *   p_ij = ε_i + ε_j − 2 ε_i ε_j                      (note eq. 1: ε1(1−ε2) + (1−ε1)ε2)
 * so −ln L = Σ_pairs [ N p − S ln p ] (constant ln S! dropped). With weights, N and S are weighted sums
 * (the "weighted likelihood"); see fitBinned for what its curvature then means.
 *
 * Derivatives per pair, with r = N − S/p and c = S/p²:
 *   ∂/∂ε_i = r (1 − 2ε_j);  ∂²/∂ε_i² = c (1 − 2ε_j)²;  ∂²/∂ε_i∂ε_j = c (1 − 2ε_i)(1 − 2ε_j) − 2r
 *   self pair (i = j): p = 2ε(1 − ε), p' = 2 − 4ε, p'' = −4: ∂ = r p', ∂² = c p'² − 4r.
 * The −2r / −4r terms (r times ∂²p) vanish only in sum at the minimum, not pair by pair, so they matter
 * for the errors.
 */
import { eps12 } from '../method/pairFunction.js';
import type { PairCounts } from './pairCounts.js';

/**
 * −ln L at ε. A pair with p = 0 and S ≤ 0 contributes N·0 = 0 (its best-fit rate is zero); with S > 0 the
 * value is +∞.
 */
export function binnedNll(eps: Float64Array, pc: PairCounts): number {
  let f = 0;
  for (let q = 0; q < pc.n.length; q++) {
    const p = eps12(eps[pc.i[q]!]!, eps[pc.j[q]!]!);
    const s = pc.s[q]!;
    f += pc.n[q]! * p;
    if (s !== 0) {
      if (p > 0) f -= s * Math.log(p);
      else if (s > 0) return Infinity;
    }
  }
  return f;
}

export interface NllDerivatives {
  nll: number;
  /** ∂(−ln L)/∂ε, length K. */
  grad: Float64Array;
  /** ∂²(−ln L)/∂ε∂ε, K×K row-major. */
  hess: Float64Array;
  /** Σ_events (score)(score)ᵀ, K×K row-major: the "meat" of the sandwich covariance. */
  meat: Float64Array;
}

export function binnedNllDerivatives(eps: Float64Array, pc: PairCounts): NllDerivatives {
  const K = pc.K;
  const grad = new Float64Array(K);
  const hess = new Float64Array(K * K);
  const meat = new Float64Array(K * K);
  let nll = 0;
  for (let q = 0; q < pc.n.length; q++) {
    const i = pc.i[q]!;
    const j = pc.j[q]!;
    const n = pc.n[q]!;
    const s = pc.s[q]!;
    const ei = eps[i]!;
    const ej = eps[j]!;
    const p = eps12(ei, ej);
    nll += n * p;
    if (s !== 0) nll -= p > 0 ? s * Math.log(p) : s > 0 ? -Infinity : 0;
    if (!(p > 0)) {
      // Both bins at ε = 0: only the linear term survives (∂p/∂ε = 1 for i ≠ j, 2 for i = j).
      if (i === j) grad[i] += 2 * n;
      else {
        grad[i] += n;
        grad[j] += n;
      }
      continue;
    }
    const r = n - s / p;
    const c = s / (p * p);
    // Per-event score w (1 − sc/p) ∇p: OC events give w∇p, SC events w(1 − 1/p)∇p.
    const m = pc.w2oc[q]! + pc.w2sc[q]! * (1 - 1 / p) * (1 - 1 / p);
    if (i === j) {
      const d = 2 - 4 * ei;
      grad[i] += r * d;
      hess[i * K + i] += c * d * d - 4 * r;
      meat[i * K + i] += m * d * d;
    } else {
      const a = 1 - 2 * ej; // ∂p/∂ε_i
      const b = 1 - 2 * ei; // ∂p/∂ε_j
      grad[i] += r * a;
      grad[j] += r * b;
      hess[i * K + i] += c * a * a;
      hess[j * K + j] += c * b * b;
      const off = c * a * b - 2 * r;
      hess[i * K + j] += off;
      hess[j * K + i] += off;
      meat[i * K + i] += m * a * a;
      meat[j * K + j] += m * b * b;
      meat[i * K + j] += m * a * b;
      meat[j * K + i] += m * a * b;
    }
  }
  return { nll, grad, hess, meat };
}
