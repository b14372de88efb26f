/**
 * Profile-likelihood intervals of the binned fit (ΔlnL = ½, asymmetric), beside its inverse-Hessian errors.
 * For bin k: the ε_k at which min over the other bins of −ln L rises by ½ above its minimum, below and above
 * the estimate. In bins with few flips the likelihood in ε_k is skewed (a Poisson count): the Hessian error
 * is then too small on the low side and too large on the high side (measured pull width 1.46 in a ~14-flip
 * bin), and at ε̂ = 0 it says nothing; the profile interval is [0, hi] there.
 *
 * The inner minimisation is Newton in ε over the other fitted bins (warm-started from the previous point of
 * the scan), the outer one a bracketing then bisection on ε_k to 10⁻⁴ of the Hessian error. Only for unit or
 * Poisson-like weights: with sideband-subtraction weights the likelihood is not one, and the caller uses
 * the sandwich error instead.
 */
import { Matrix, solve } from 'ml-matrix';
import type { BinnedFitResult } from './fitBinned.js';
import { binnedNll, binnedNllDerivatives } from './binnedLikelihood.js';
import type { PairCounts } from './pairCounts.js';

export interface ProfileIntervals {
  /** Distance from ε̂ down to the lower end (≥ 0) and up to the upper end; NaN where the bin was not fitted. */
  lo: Float64Array;
  hi: Float64Array;
}

const EPS_MAX = 0.5 - 1e-9;

export function profileIntervals(pc: PairCounts, fit: BinnedFitResult): ProfileIntervals {
  const K = pc.K;
  const lo = new Float64Array(K).fill(NaN);
  const hi = new Float64Array(K).fill(NaN);
  const best = Float64Array.from(fit.eps, (e) => (Number.isFinite(e) ? e : 0));
  const nll0 = binnedNll(best, pc);
  const fitted = fit.binStatus.map((s) => s === 'fitted');
  // −ln L minimised over the other fitted bins with ε_k = x, by Newton from `start` (modified in place).
  const minimise = (k: number, x: number, start: Float64Array): number => {
    start[k] = x;
    const free: number[] = [];
    for (let b = 0; b < K; b++) if (b !== k && fitted[b]) free.push(b);
    let f = binnedNll(start, pc);
    for (let it = 0; it < 30 && free.length; it++) {
      const d = binnedNllDerivatives(start, pc);
      const g = free.map((b) => d.grad[b]!);
      const H = new Matrix(free.map((a) => free.map((b) => d.hess[a * K + b]!)));
      let step: number[];
      try {
        step = solve(H, Matrix.columnVector(g)).getColumn(0);
      } catch {
        break;
      }
      let t = 1;
      let improved = false;
      for (let ls = 0; ls < 30; ls++) {
        const trial = Float64Array.from(start);
        free.forEach((b, a) => (trial[b] = Math.min(Math.max(start[b]! - t * step[a]!, 1e-300), EPS_MAX)));
        const ft = binnedNll(trial, pc);
        if (ft <= f) {
          const gain = f - ft;
          start.set(trial);
          f = ft;
          improved = gain > 1e-10;
          break;
        }
        t /= 2;
      }
      if (!improved) break;
    }
    return f;
  };
  // The profile at x, from two starts: the previous point of the scan (warm, usually the closer one) and the
  // best fit. The warm start alone can be stranded: scanning down from ε̂ + σ_Hessian in a bin fitted to 0,
  // the other bins, moved to compensate at the first point, did not come back, and the profile rose as ε_k fell
  // (ΔlnL 6 → 16), giving an upper error of 2·10⁻⁸ for 13 expected flips (test/fit/profileIntervals.test.ts).
  const profiled = (k: number, x: number, work: Float64Array): number => {
    const fromBest = Float64Array.from(best);
    const fw = minimise(k, x, work);
    const fb = minimise(k, x, fromBest);
    if (fb < fw) work.set(fromBest);
    return Math.min(fw, fb) - nll0 - 0.5;
  };
  for (let k = 0; k < K; k++) {
    if (!(fitted[k] || fit.binStatus[k] === 'zero')) continue;
    const e0 = best[k]!;
    const scale = Number.isFinite(fit.err[k]) && fit.err[k]! > 0 ? fit.err[k]! : Math.max(e0, 1e-6);
    for (const dir of [1, -1] as const) {
      if (dir === -1 && e0 === 0) {
        lo[k] = 0;
        continue;
      }
      const work = Float64Array.from(best);
      let inner = e0;
      let outer = NaN;
      let step = scale;
      for (let j = 0; j < 60; j++) {
        const x = dir === 1 ? Math.min(e0 + step, EPS_MAX) : Math.max(e0 - step, 0);
        if (profiled(k, x, work) > 0) {
          outer = x;
          break;
        }
        inner = x;
        if (x === 0 || x === EPS_MAX) break;
        step *= 2;
      }
      if (!Number.isFinite(outer)) {
        // No crossing before the boundary: the interval reaches it.
        (dir === 1 ? hi : lo)[k] = Math.abs(inner - e0);
        continue;
      }
      for (let j = 0; j < 60 && Math.abs(outer - inner) > 1e-4 * scale; j++) {
        const mid = 0.5 * (inner + outer);
        if (profiled(k, mid, work) > 0) outer = mid;
        else inner = mid;
      }
      (dir === 1 ? hi : lo)[k] = Math.abs(0.5 * (inner + outer) - e0);
    }
  }
  return { lo, hi };
}
