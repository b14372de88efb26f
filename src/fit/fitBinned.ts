/**
 * The standard binned charge-flip likelihood fit (physics.md, "the standard binned method"):
 * S_ij ~ Poisson(N_ij (ε_i + ε_j − 2 ε_i ε_j)) for every populated unordered bin pair, fitted for ε_1..ε_K.
 *
 * Pipeline: events → pair counts (pairCounts) → bins fixed at ε = 0 / left empty → damped Newton (newton.ts) in
 * θ = logit(2ε) → Hessian of −ln L in ε space → covariance (ΔlnL = ½) and sandwich covariance →
 * identifiability (pairing graph + Hessian eigen-diagnostics) → branch.
 *
 * Why Newton: K ≤ ~40 and the gradient and Hessian are analytic and cheap (one pass over ≤ K(K+1)/2 pairs),
 * so a Newton step costs a K×K Cholesky and converges quadratically to machine precision in ~10 steps —
 * far tighter than a quasi-Newton's ftol stop, which matters when comparing errors at 1e-5. Damping
 * (Levenberg–Marquardt on the diagonal) and a backtracking line search keep it descending where the Hessian
 * is indefinite far from the minimum or singular (flat directions).
 *
 * Why θ = logit(2ε), i.e. ε = ½ sigmoid(θ): it keeps every ε in (0, ½), the physical branch of the exact
 * symmetry ε ↔ 1 − ε (eq. 3), so the fit lands on ε < ½ by construction and reports it (`branch`). In
 * (0, ½) each p_ij increases in each ε, so there is no mirrored minimum inside the box. A bin whose pairs
 * have no same-charge weight at all (Σ S ≤ 0) has its maximum at the boundary ε = 0 (∂(−ln L)/∂ε_k > 0
 * everywhere); it is fixed there and given the one-sided error ½ / ∂(−ln L)/∂ε_k (ΔlnL = ½ along ε_k).
 *
 * Weighted events: N_ij = Σw and S_ij = Σw·sc are put into the Poisson form (the standard "weighted
 * likelihood"). Its maximum is a consistent estimator, but the inverse Hessian is the covariance only for
 * unit weights: with weights it treats Σw as if it were a Poisson count. `err` is always the inverse-Hessian
 * error (ΔlnL = ½; what the peer code and the usual practice report); `errSandwich` is H⁻¹ M H⁻¹ with M the
 * sum over events of the per-event score outer products, which is the right covariance for any weights
 * (including negative sideband weights) and reduces to ≈ `err` for unit weights. Use `errSandwich` for
 * pulls of weighted fits.
 */

import type { Binning } from '../binning/Binning.js';
import type { EventTable } from '../events/columns.js';
import type { FitRegion, Selection } from '../selection/selection.js';
import { BinnedTableAccumulator, type BinnedTableAccumulatorOptions } from './BinnedTableAccumulator.js';
import { binnedNll, binnedNllDerivatives } from './binnedLikelihood.js';
import { fitEpsObjective, type BinnedFitOptions, type BinnedFitResult, type BinStatus, type EpsObjective } from './newton.js';
import { pairCounts, type BinnedInput, type PairCounts } from './pairCounts.js';

// The minimiser and its result type live in newton.ts (shared with the folded fit); re-exported for callers.
export { fitEpsObjective, type BinnedFitOptions, type BinnedFitResult, type BinStatus, type EpsObjective } from './newton.js';

export function fitBinned(input: BinnedInput, K: number, opts: BinnedFitOptions = {}): BinnedFitResult {
  const pc = pairCounts(input, K, opts.source);
  return fitPairCounts(pc, opts);
}

/** The fit on already aggregated pair counts. */
export function fitPairCounts(pc: PairCounts, opts: BinnedFitOptions = {}): BinnedFitResult {
  const K = pc.K;

  // 1. Bin roles: empty (no kept pair), zero (no same-charge weight in any pair), fitted.
  const pairsOf = new Float64Array(K);
  const sOf = new Float64Array(K);
  const nOf = new Float64Array(K);
  const hasPositiveS = new Uint8Array(K);
  for (let q = 0; q < pc.n.length; q++) {
    for (const b of pc.i[q] === pc.j[q] ? [pc.i[q]!] : [pc.i[q]!, pc.j[q]!]) {
      pairsOf[b]++;
      sOf[b] += pc.s[q]!;
      nOf[b] += pc.n[q]!;
      if (pc.s[q]! > 0) hasPositiveS[b] = 1;
    }
  }
  const binStatus: BinStatus[] = Array.from({ length: K }, (_, k) => (pairsOf[k] === 0 ? 'empty' : hasPositiveS[k] ? 'fitted' : 'zero'));

  // 2. Start: half the bin's same-charge fraction (p ≈ 2ε for like pairs), inside (0, ½).
  const eps = new Float64Array(K).fill(NaN);
  for (let k = 0; k < K; k++) {
    if (binStatus[k] === 'zero') eps[k] = 0;
    if (binStatus[k] === 'fitted') {
      const given = opts.start?.[k];
      const guess = given != null && given > 0 && given < 0.5 ? given : sOf[k]! / nOf[k]! / 2;
      eps[k] = Math.min(Math.max(guess, 1e-7), 0.25);
    }
  }
  const edges = Array.from(pc.i, (i, q) => [i, pc.j[q]!] as [number, number]);
  const objective: EpsObjective = { K, edges, nll: (e) => binnedNll(e, pc), derivatives: (e) => binnedNllDerivatives(e, pc) };
  const counts = { nEvents: pc.nEvents, sumW: pc.sumW, pairs: pc.n.length, droppedPairs: pc.droppedPairs, clampedPairs: pc.clampedPairs };
  return fitEpsObjective(objective, binStatus, eps, counts, opts);
}

export type { FitRegion } from '../selection/selection.js';

export interface BinnedTableFitOptions extends BinnedFitOptions {
  /** Which events enter (default 'window'): the mass window, all events, or window minus scaled sidebands. */
  region?: FitRegion;
  /**
   * The selection of the events (window, sidebands, pT thresholds): it sets the sideband weight. Required for
   * 'sideband-subtracted'.
   */
  selection?: Selection;
  /** Regions from m_ee and pT under `selection`, not the `region` column (a selection other than the file's). */
  regionsFromKinematics?: boolean;
  /** Weight column; unit weights when absent. */
  weightColumn?: string;
}

/**
 * Bin a table and fit it. Events with an electron outside the binning are dropped and counted
 * (`counts.eventsOutside`); which events and weights enter is selectRows' (src/selection/selection.ts).
 */
export function fitBinnedTable(table: EventTable, binning: Binning, opts: BinnedTableFitOptions = {}): BinnedFitResult {
  const acc = new BinnedTableAccumulator(binning, accumulatorOptions(opts));
  acc.add(table);
  return fitAccumulated(acc, binning, opts);
}

/** The BinnedTableAccumulator options that fitBinnedTable's options imply. */
export function accumulatorOptions(opts: BinnedTableFitOptions): BinnedTableAccumulatorOptions {
  return {
    region: opts.region ?? 'window',
    source: opts.source ?? 'events',
    ...(opts.selection ? { selection: opts.selection } : {}),
    ...(opts.regionsFromKinematics ? { regionsFromKinematics: true } : {}),
    ...(opts.weightColumn != null ? { weightColumn: opts.weightColumn } : {}),
  };
}

/** The fit on the chunks a BinnedTableAccumulator gathered (a streamed file, a generated sample). */
export function fitAccumulated(acc: BinnedTableAccumulator, binning: Binning, opts: BinnedTableFitOptions = {}): BinnedFitResult {
  const source = opts.source ?? 'events';
  const { pairs, eventsOutside, electronsOutside } = acc.result();
  const res = fitPairCounts(pairs, { ...opts, labels: opts.labels ?? binning.labels(), source });
  res.counts.eventsOutside = eventsOutside;
  res.counts.electronsOutside = electronsOutside;
  return res;
}
