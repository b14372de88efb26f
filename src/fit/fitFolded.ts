/**
 * The forward-folded binned charge-flip fit: the binned likelihood (fitBinned.ts) with the same-charge yield of
 * each reco bin pair predicted by folding the flip response R into the parents, instead of N_ij · p_ij.
 *
 * Why: a flipped electron radiated (E → E·(1 − x), x ~ exponential, plus extra smearing; flipResponse.ts). Its
 * pair then (1) leaves a fixed mass window more often than an OC pair and (2) drops below the pT threshold or
 * into a lower pT bin. Both take SC events out of the cells the ordinary fit counts them in, which biases
 * ε low; a wider window removes (1) only.
 *
 * Model. Every selected event in the parent range (default: the whole selection, sidebands included, wider than the
 * window) stands for an unflipped parent with its two electrons' bins (a, b). Flipping leg a (probability
 * ε_a(1 − ε_b): exactly that leg, eq. 1 split by leg) moves the pair by R; it lands in reco cell c or is lost
 * (flipMigration.ts estimates P(lands in c) with `replicas` Monte Carlo draws of R per leg and parent). Then
 *   S_c ~ Poisson(μ_c),  μ_c = Σ_parents w [ ε_a(1−ε_b) P_a(c) + (1−ε_a)ε_b P_b(c) ] · (parent weight)
 * for every cell c of the fit window, fitted for ε with the binned fit's damped Newton minimiser
 * (fitEpsObjective), analytic gradient and Hessian (foldedLikelihood.ts), errors from the inverse Hessian
 * (ΔlnL = ½) and the sandwich.
 *
 * Which events are parents (`parents`):
 *   'oc' (default): the opposite-charge events, each weighted 1/(1 − p_ab) — an OC event is a parent that
 *     flipped neither leg or both, probability 1 − p. Their kinematics are those of unflipped parents up to
 *     the doubly flipped O(ε²) share. The OC yield is thus not fitted: it is the (conditioned-on) estimate of
 *     the parent yield, and its Poisson fluctuation enters the sandwich error through each event's influence.
 *   'all': every event, unit weight. With R = 1 this is exactly the ordinary fit (N_ij = OC + SC). With R ≠ 1,
 *     the SC events (a share ≈ 2ε) are parents whose kinematics a flip has already degraded and whose count
 *     the flip already moved; that biases ε by O(ε × migration) — negligible at ε ≈ 10⁻³, but measured +3.7 %
 *     (+6.5σ) at the stress test's ε = 8 % and 8 % loss, against +0.7 % (+1.3σ) for 'oc'.
 * The window's SC events are the observations in both cases.
 *
 * Assumptions (what remains): R is known (a wrong lossMean is a systematic; see docs/estimators.md, "The forward-folded fit"); ε is a
 * property of the parent (unflipped) electron's bin; parents outside the parent range or below the pT
 * threshold that a flip (upward smearing) would bring into the window are not modelled — the range must be
 * wider than the window on both sides; no backgrounds (weights must be ≥ 0, no sideband subtraction).
 */
import type { Binning } from '../binning/Binning.js';
import { requireColumn } from '../binning/assignBins.js';
import type { EventTable } from '../events/columns.js';
import type { Seed } from '../rng.js';
import { fitEpsObjective, type BinnedFitOptions, type BinnedFitResult, type BinStatus, type EpsObjective } from './newton.js';
import { flipMigration, type FlipMigration, type FoldingInput, type ParentMode } from './flipMigration.js';
import type { FlipResponse } from './flipResponse.js';
import { foldedNll, foldedNllDerivatives, foldedYields } from './foldedLikelihood.js';
import { SELECTION_DEFAULTS, selectedMassRange, type Selection } from '../selection/selection.js';

export interface FoldedFitOptions extends BinnedFitOptions {
  response: FlipResponse;
  /** Monte Carlo draws of R per parent and leg (default 16). */
  replicas?: number;
  /**
   * The events' selection (src/selection): its window is the fit window, its whole selected range (sidebands
   * included) the parent range, its pT thresholds the thresholds. Default: SELECTION_DEFAULTS.
   */
  selection?: Selection;
  /** Fit window [lo, hi) in GeV, overriding the selection's (e.g. a fixed window on a wider-window sample). */
  window?: readonly [number, number];
  /** Parent mass range [lo, hi) in GeV, overriding the selection's selected range. */
  range?: readonly [number, number];
  /** Leading / subleading pT thresholds, overriding the selection's. */
  ptMin?: readonly [number, number];
  parents?: ParentMode;
  /** Seed of the folding Monte Carlo. */
  seed: Seed;
}

export interface FoldedFitResult extends BinnedFitResult {
  folding: {
    response: FlipResponse;
    replicas: number;
    parents: ParentMode;
    window: [number, number];
    range: [number, number];
    ptMin: [number, number];
    cells: number;
    triplets: number;
    /** Cells with observed same-charge weight that no parent reaches (left out of the likelihood). */
    unreachableCells: { i: number; j: number; s: number }[];
    counts: FlipMigration['counts'];
    /** Expected and observed SC weight in the window at the result. */
    expectedSC: number;
    observedSC: number;
  };
}

export const DEFAULT_REPLICAS = 16;

export function fitFolded(input: FoldingInput, binning: Binning, opts: FoldedFitOptions): FoldedFitResult {
  const sel = opts.selection ?? SELECTION_DEFAULTS;
  const window = opts.window ?? sel.window;
  const range = opts.range ?? selectedMassRange(sel);
  const ptMin = opts.ptMin ?? sel.ptMin;
  const mig = flipMigration(input, binning, {
    window,
    range,
    ptMin,
    response: opts.response,
    replicas: opts.replicas ?? DEFAULT_REPLICAS,
    parents: opts.parents ?? 'oc',
    seed: opts.seed,
    ...(opts.source != null ? { source: opts.source } : {}),
  });
  return fitMigration(mig, { ...opts, labels: opts.labels ?? binning.labels() });
}

/** Bin a table (columns pt1 eta1 pt2 eta2 m_ee sc, weights from `weightColumn`) and fit it. */
export function fitFoldedTable(table: EventTable, binning: Binning, opts: FoldedFitOptions & { weightColumn?: string }): FoldedFitResult {
  const source = opts.source ?? 'events';
  const col = (c: string): ArrayLike<number> => requireColumn(table, c, source);
  return fitFolded(
    {
      pt1: col('pt1'),
      eta1: col('eta1'),
      pt2: col('pt2'),
      eta2: col('eta2'),
      m_ee: col('m_ee'),
      sc: col('sc'),
      w: opts.weightColumn != null ? col(opts.weightColumn) : undefined,
    },
    binning,
    { ...opts, source },
  );
}

/** The fit on a precomputed migration (e.g. to refit with another start, or to compare parent modes). */
export function fitMigration(mig: FlipMigration, opts: BinnedFitOptions & { response: FlipResponse }): FoldedFitResult {
  const K = mig.K;
  // Roles: a bin is active when some parent flipping there lands in the window; 'zero' when none of the cells
  // its flips reach holds same-charge weight (−ln L then rises with its ε everywhere).
  const V = new Float64Array(K);
  const S = new Float64Array(K);
  const touched = Array.from({ length: K }, () => new Set<number>());
  for (let t = 0; t < mig.tV.length; t++) {
    V[mig.tA[t]!] += mig.tV[t]!;
    touched[mig.tA[t]!]!.add(mig.tC[t]!);
  }
  const binStatus: BinStatus[] = [];
  const start = new Float64Array(K).fill(NaN);
  for (let k = 0; k < K; k++) {
    for (const c of touched[k]!) S[k] += mig.s[c]!;
    if (!(V[k]! > 0)) binStatus.push('empty');
    else if (!(S[k]! > 0)) {
      binStatus.push('zero');
      start[k] = 0;
    } else {
      binStatus.push('fitted');
      const given = opts.start?.[k];
      // S over the cells bin k reaches ≈ ε_k V_k + (the partners' flips): half of S/V is a fair start.
      start[k] = Math.min(Math.max(given != null && given > 0 && given < 0.5 ? given : S[k]! / V[k]! / 2, 1e-7), 0.25);
    }
  }
  const pairs = new Set<number>();
  for (let t = 0; t < mig.tV.length; t++) {
    const a = Math.min(mig.tA[t]!, mig.tB[t]!);
    const b = Math.max(mig.tA[t]!, mig.tB[t]!);
    pairs.add(a * K + b);
  }
  const edges = [...pairs].sort((x, y) => x - y).map((p) => [Math.floor(p / K), p % K] as [number, number]);
  const objective: EpsObjective = {
    K,
    edges,
    nll: (e) => foldedNll(e, mig),
    derivatives: (e, withMeat) => foldedNllDerivatives(e, mig, withMeat),
  };
  const res = fitEpsObjective(
    objective,
    binStatus,
    start,
    { nEvents: mig.counts.selected, sumW: mig.counts.parentSumW, pairs: mig.cellI.length, droppedPairs: [], clampedPairs: [] },
    opts,
  );
  const mu = foldedYields(res.eps, mig);
  const unreachableCells: { i: number; j: number; s: number }[] = [];
  let expectedSC = 0;
  let observedSC = 0;
  mu.forEach((m, c) => {
    if (m > 0) {
      expectedSC += m;
      observedSC += mig.s[c]!;
    } else if (mig.s[c]! > 0) unreachableCells.push({ i: mig.cellI[c]!, j: mig.cellJ[c]!, s: mig.s[c]! });
  });
  return {
    ...res,
    folding: {
      response: opts.response,
      replicas: mig.replicas,
      parents: mig.parents,
      window: [mig.selection.window[0], mig.selection.window[1]],
      range: [mig.selection.range[0], mig.selection.range[1]],
      ptMin: [mig.selection.ptMin[0], mig.selection.ptMin[1]],
      cells: mig.cellI.length,
      triplets: mig.tV.length,
      unreachableCells,
      counts: mig.counts,
      expectedSC,
      observedSC,
    },
  };
}
