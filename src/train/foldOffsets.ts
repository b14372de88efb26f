/**
 * The folded φ-trainer's acceptance/migration factors (docs/trainer.md, "The folded φ-trainer"): per window
 * pair and leg ℓ, the factor r_ℓ by which the flip response R (flipResponse.ts) scales the same-charge
 * intensity of "leg ℓ flipped" relative to the unfolded method (eq. 1 split by leg, method.md):
 *
 *   odds(SC : OC | pair in window) = [ε1(1 − ε2)·r1 + (1 − ε1)ε2·r2] / [(1 − ε1)(1 − ε2) + ε1ε2]
 *   ⇒ f_fold = log(1 + e^{φ1+φ2}) − log(r1·e^{φ1} + r2·e^{φ2})
 *            = softplus(φ1 + φ2) − logaddexp(φ1 + ρ1, φ2 + ρ2),   ρ = ln r      (eq. 3 with offsets)
 *
 * Two resolutions of r (option `factors`). 'leg' (default, legFoldOffsets below): per leg from its |η| bin and a
 * fine pT slice, the same Monte Carlo of R as the folded fit, marginal over the partner and m_ee. 'cell': from
 * the folded binned fit's own migration (flipMigration.ts, parents 'oc'): for the reco cell
 * c = {i, j} of the pair and its leg ℓ in bin i (the other leg in bin j, which a flip of ℓ does not move),
 *
 *   r_ℓ = U_{c, other = j} / O_c,   U_{c, j} = Σ_a V_{(a, j) → c},   O_c = Σ_{OC events of the window in c} w
 *
 * — the OC parents (of the whole parent range, sidebands included) whose flip of one leg lands in c with the
 * other leg in bin j, over the window's OC yield in c. For i = j both legs share U, so r1 = r2 = U/(2O_c).
 * Summed over a cell's OC events this reproduces the folded fit's μ_c = Σ_t V_t h(ε_a, ε_b)/q(ε_a, ε_b)
 * (foldedLikelihood.ts) when ε_a = ε_i, i.e. when ε does not change across the migration distance of one flip
 * (the assumption of this trainer; exact for rates flat in pT, which the selection-bias study uses). With
 * R = 1 and unit weights every replica lands in its own cell, U = O_c exactly and ρ ≡ 0: the plain loss, bit
 * for bit.
 *
 * Events: the table is the whole selection (window and sidebands; parents); the trainer learns from the
 * window's events (m_ee in `window`). A window event outside the binning, or in a cell without window OC events
 * (no yield to normalise the migration by), keeps ρ = 0 (no correction; counted). A same-charge window event
 * whose legs no flipped parent reaches (r1 = r2 = 0) cannot be described and is left out of the training
 * (counted), as the folded fit leaves such a cell out. A leg with r = 0 (no flip of it lands
 * there) gets ρ = RHO_FLOOR, a probability e^{−30} ≈ 10⁻¹³ instead of −∞.
 */
import { z } from 'zod';
import type { Binning } from '../binning/Binning.js';
import { requireColumn } from '../binning/assignBins.js';
import type { EventTable } from '../events/columns.js';
import { DEFAULT_REPLICAS } from '../fit/fitFolded.js';
import { flipMigration, MAX_REPLICAS } from '../fit/flipMigration.js';
import { drawFlipFactor, flipResponseSchema } from '../fit/flipResponse.js';
import { ConfigError, DataError } from '../errors.js';
import { createRng, type Seed } from '../rng.js';
import { SELECTION_DEFAULTS, selectedMassRange } from '../selection/selection.js';

const massRange = z.tuple([z.number().finite(), z.number().finite()]);

/** The trainer's `fold` option (one schema: trainer config, CLI config file and study estimator options). */
export const FoldOptionsSchema = z.strictObject({
  /** The flip response R the trainer assumes (flipResponse.ts; a `profile` name or explicit values). */
  response: flipResponseSchema,
  /** Monte Carlo draws of R per parent and leg (flipMigration.ts). */
  replicas: z.number().int().min(1).max(MAX_REPLICAS).default(DEFAULT_REPLICAS),
  /** Fit window [lo, hi) in GeV: the events trained on. */
  window: massRange.default([...SELECTION_DEFAULTS.window]),
  /** Parent mass range [lo, hi): must contain the window, wider on both sides. */
  range: massRange.default(selectedMassRange(SELECTION_DEFAULTS)),
  ptMin: z.tuple([z.number().finite().nonnegative(), z.number().finite().nonnegative()]).default([...SELECTION_DEFAULTS.ptMin]),
  /**
   * 'leg' (default): r per leg from its own |η| bin and a fine pT slice (FOLD_PT_STEPS), marginal over the
   * partner and m_ee — smooth in pT, so φ need not jump at the study's pT bin edges. 'cell': r per reco cell
   * (bin pair) and leg, the folded fit's own cells (measured: a residual bias where the cells' pT edges are
   * fine, see docs/trainer.md).
   */
  factors: z.enum(['leg', 'cell']).default('leg'),
});
export type FoldOptions = z.output<typeof FoldOptionsSchema>;

/** ρ of a leg that no flip reaches (r = 0): a finite stand-in for −∞ (e^{−30} ≈ 10⁻¹³). */
export const RHO_FLOOR = -30;

export interface FoldSummary {
  /** Window events trained on, and those left out (same-charge, cell unreachable by any parent). */
  windowEvents: number;
  unreachableSC: number;
  /** Window events outside the binning (trained with ρ = 0, no correction). */
  outsideBinning: number;
  /** Window events in a cell without window OC events (trained with ρ = 0, no correction). */
  noOcCell: number;
  /** Σw(r1 + r2)/2 over the window's OC events divided by their Σw: the mean acceptance/migration factor. */
  meanFactor: number;
  /** Fraction of flipped-parent replicas (weighted) that leave the window, the thresholds or the binning. */
  lostFraction: number;
  replicas: number;
}

export interface FoldOffsets {
  /** Rows of the table to train on (window events, unreachable SC events left out), ascending. */
  rows: Uint32Array;
  /** ρ1, ρ2 per trained row (aligned with `rows`). */
  rho1: Float32Array;
  rho2: Float32Array;
  summary: FoldSummary;
}

/**
 * The per-pair factors r1, r2 of the window events as both factor models produce them, turned into offsets
 * ρ = log r: a same-charge pair that no flip can reach (r1 = r2 = 0) is left out and counted; the OC events'
 * mean factor is kept for the summary.
 */
class FoldAccumulator {
  readonly rows: number[] = [];
  readonly rho1: number[] = [];
  readonly rho2: number[] = [];
  unreachableSC = 0;
  outsideBinning = 0;
  noOcCell = 0;
  private sumW = 0;
  private sumWr = 0;

  constructor(
    private readonly sc: ArrayLike<number>,
    private readonly w: ArrayLike<number> | undefined,
  ) {}

  add(i: number, r1: number, r2: number): void {
    if (this.sc[i] === 1 && !(r1 > 0) && !(r2 > 0)) {
      this.unreachableSC++;
      return;
    }
    const rho = (r: number): number => (r > 0 ? Math.log(r) : RHO_FLOOR);
    this.rows.push(i);
    this.rho1.push(rho(r1));
    this.rho2.push(rho(r2));
    if (this.sc[i] === 0) {
      const wi = this.w ? this.w[i]! : 1;
      this.sumW += wi;
      this.sumWr += (wi * (r1 + r2)) / 2;
    }
  }

  result(lostFraction: number, replicas: number): FoldOffsets {
    return {
      rows: Uint32Array.from(this.rows),
      rho1: Float32Array.from(this.rho1),
      rho2: Float32Array.from(this.rho2),
      summary: {
        windowEvents: this.rows.length,
        unreachableSC: this.unreachableSC,
        outsideBinning: this.outsideBinning,
        noOcCell: this.noOcCell,
        meanFactor: this.sumW > 0 ? this.sumWr / this.sumW : NaN,
        lostFraction,
        replicas,
      },
    };
  }
}

export function foldOffsets(
  table: EventTable,
  binning: Binning,
  fold: FoldOptions,
  seed: Seed,
  opts: { weightColumn?: string; source?: string } = {},
): FoldOffsets {
  const source = opts.source ?? '<table>';
  if (fold.factors === 'leg') return legFoldOffsets(table, binning, fold, seed, opts);
  const col = (c: string): ArrayLike<number> => requireColumn(table, c, source);
  const m = col('m_ee');
  const sc = col('sc');
  const w = opts.weightColumn != null && table.columns[opts.weightColumn] ? table.columns[opts.weightColumn]! : undefined;
  const mig = flipMigration({ pt1: col('pt1'), eta1: col('eta1'), pt2: col('pt2'), eta2: col('eta2'), m_ee: m, sc, w }, binning, {
    window: fold.window,
    range: fold.range,
    ptMin: fold.ptMin,
    response: fold.response,
    replicas: fold.replicas,
    parents: 'oc',
    seed,
    source,
  });
  const K = binning.size;
  const nc = mig.cellI.length;
  // U per (cell, other-leg bin) — the other leg's bin is one of the cell's two bins: slot 0 = cellJ, 1 = cellI.
  const U = new Float64Array(2 * nc);
  for (let t = 0; t < mig.tV.length; t++) {
    const c = mig.tC[t]!;
    U[2 * c + (mig.tB[t] === mig.cellJ[c] ? 0 : 1)] += mig.tV[t]!;
  }
  // O_c: window OC weight per cell, and the cell of each row (rows inside the binning).
  const O = new Float64Array(nc);
  const cellOf = new Map<number, number>();
  for (let c = 0; c < nc; c++) cellOf.set(mig.cellI[c]! * K + mig.cellJ[c]!, c);
  const [wLo, wHi] = fold.window;
  const pt1 = col('pt1');
  const pt2 = col('pt2');
  const eta1 = col('eta1');
  const eta2 = col('eta2');
  const bins = (i: number): [number, number] => [binning.index(pt1[i]!, Math.abs(eta1[i]!)), binning.index(pt2[i]!, Math.abs(eta2[i]!))];
  const inWindow = (i: number): boolean => m[i]! >= wLo && m[i]! < wHi;
  for (let i = 0; i < table.n; i++) {
    if (!inWindow(i) || sc[i] !== 0) continue;
    const [b1, b2] = bins(i);
    if (b1 < 0 || b2 < 0) continue;
    const c = cellOf.get(Math.min(b1, b2) * K + Math.max(b1, b2));
    if (c != null) O[c] += w ? w[i]! : 1;
  }
  const acc = new FoldAccumulator(sc, w);
  for (let i = 0; i < table.n; i++) {
    if (!inWindow(i)) continue;
    const [b1, b2] = bins(i);
    const c = b1 >= 0 && b2 >= 0 ? cellOf.get(Math.min(b1, b2) * K + Math.max(b1, b2)) : undefined;
    let r1 = 1;
    let r2 = 1;
    if (b1 < 0 || b2 < 0) acc.outsideBinning++;
    else if (c == null || !(O[c]! > 0)) {
      // No OC event of the window in this cell (a sparse cell holding only SC events): no yield to normalise
      // the migration by, so the pair keeps the plain loss (counted) rather than being dropped (which would
      // bias ε low). With R = 1 this keeps the folded trainer equal to the plain one.
      acc.noOcCell++;
    } else if (b1 === b2) r1 = r2 = U[2 * c]! / (2 * O[c]!);
    else {
      // Leg 1 flipped: the other leg (2) stays in b2; leg 2 flipped: the other leg stays in b1.
      const slot = (other: number): number => (other === mig.cellJ[c] ? 0 : 1);
      r1 = U[2 * c + slot(b2)]! / O[c]!;
      r2 = U[2 * c + slot(b1)]! / O[c]!;
    }
    acc.add(i, r1, r2);
  }
  return acc.result(mig.counts.lostFraction, mig.replicas);
}

/**
 * Fine pT slices of the 'leg' factors [GeV]: 1 GeV up to 60, 2 GeV to 100, 5 GeV to 150, then 150–200–300–500–∞.
 * (Below the lowest threshold nothing is selected.) Fine enough that r is smooth on the scale of a flip's
 * shift (2–7 GeV), coarse enough for ~10² OC legs per slice and |η| bin at 10⁵ window events.
 */
export const FOLD_PT_STEPS: readonly [number, number][] = [
  [60, 1],
  [100, 2],
  [150, 5],
  [200, 50],
  [300, 100],
  [500, 200],
];

function ptSliceEdges(lo: number): number[] {
  const e = [lo];
  for (const [upTo, step] of FOLD_PT_STEPS) while (e[e.length - 1]! + step <= upTo + 1e-9) e.push(e[e.length - 1]! + step);
  e.push(Infinity);
  return e;
}

function sliceOf(edges: readonly number[], v: number): number {
  // edges ascending, last = ∞; v ≥ edges[0] (selected electrons pass the thresholds)
  let lo = 0;
  let hi = edges.length - 1;
  if (!(v >= edges[0]!)) return -1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (v >= edges[mid]!) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The 'leg' factors: r_ℓ = A(η-bin, pT slice of leg ℓ) / O(η-bin, slice), where A is the weight of flipped-leg
 * replicas ARRIVING in that (|η| bin, slice) inside the window and thresholds — each OC parent of the parent range
 * flips each leg `replicas` times with R (flipResponse.ts), pT × f, m_ee × √f, legs re-ordered, selection applied
 * again, exactly as flipMigration — and O the weight of the window's OC legs there. It is the per-electron
 * marginal of the cell factor (over the partner and m_ee): in the small-ε Poisson score of a per-electron φ, only
 * this marginal enters; with R = 1 and unit weights A = O and r ≡ 1 exactly.
 */
function legFoldOffsets(
  table: EventTable,
  binning: Binning,
  fold: FoldOptions,
  seed: Seed,
  opts: { weightColumn?: string; source?: string },
): FoldOffsets {
  const source = opts.source ?? '<table>';
  const col = (c: string): ArrayLike<number> => requireColumn(table, c, source);
  const m = col('m_ee');
  const sc = col('sc');
  const pt1 = col('pt1');
  const pt2 = col('pt2');
  const eta1 = col('eta1');
  const eta2 = col('eta2');
  const w = opts.weightColumn != null && table.columns[opts.weightColumn] ? table.columns[opts.weightColumn]! : undefined;
  const [wLo, wHi] = fold.window;
  const [rLo, rHi] = fold.range;
  const [p1Min, p2Min] = fold.ptMin;
  if (!(wLo >= rLo && wHi <= rHi && wHi > wLo))
    throw new ConfigError('fold.window', fold.window, `inside the parent range [${fold.range.join(', ')}]`, source);
  const edges = ptSliceEdges(Math.min(p1Min, p2Min));
  const nS = edges.length - 1;
  const etaEdges = binning.etaEdges;
  const nE = etaEdges.length - 1;
  const etaBin = (a: number): number => {
    if (!(a >= etaEdges[0]! && a < etaEdges[nE]!)) return -1;
    let k = 0;
    while (k < nE - 1 && a >= etaEdges[k + 1]!) k++;
    return k;
  };
  const A = new Float64Array(nE * nS);
  const O = new Float64Array(nE * nS);
  const rng = createRng(seed);
  const M = fold.replicas;
  let flippedW = 0;
  let lostW = 0;
  const pt = [0, 0];
  const eta = [0, 0];
  for (let i = 0; i < table.n; i++) {
    const wi = w ? w[i]! : 1;
    if (!(Number.isFinite(wi) && wi >= 0))
      throw new DataError(
        source,
        opts.weightColumn ?? 'w',
        `the folded trainer needs finite weights ≥ 0 (no sideband subtraction); row ${i + 1}`,
        wi,
      );
    const mi = m[i]!;
    pt[0] = pt1[i]!;
    pt[1] = pt2[i]!;
    eta[0] = Math.abs(eta1[i]!);
    eta[1] = Math.abs(eta2[i]!);
    if (sc[i] !== 0) continue;
    if (!(mi >= rLo && mi < rHi && Math.max(pt[0]!, pt[1]!) > p1Min && Math.min(pt[0]!, pt[1]!) > p2Min)) continue;
    if (binning.index(pt[0]!, eta[0]!) < 0 || binning.index(pt[1]!, eta[1]!) < 0) continue;
    if (mi >= wLo && mi < wHi)
      for (let l = 0; l < 2; l++) {
        const s = sliceOf(edges, pt[l]!);
        if (s >= 0) O[etaBin(eta[l]!) * nS + s] += wi;
      }
    for (let l = 0; l < 2; l++) {
      const e = etaBin(eta[l]!);
      const po = pt[1 - l]!;
      let kept = 0;
      for (let r = 0; r < M; r++) {
        const f = drawFlipFactor(rng, fold.response, pt[l]! * Math.cosh(eta[l]!), eta[l]!);
        if (!(f > 0)) continue;
        const mr = mi * Math.sqrt(f);
        if (!(mr >= wLo && mr < wHi)) continue;
        const p = pt[l]! * f;
        if (!(Math.max(p, po) > p1Min && Math.min(p, po) > p2Min)) continue;
        if (binning.index(p, eta[l]!) < 0) continue;
        const s = sliceOf(edges, p);
        if (s < 0) continue;
        A[e * nS + s] += wi / M;
        kept++;
      }
      flippedW += wi;
      lostW += (wi * (M - kept)) / M;
    }
  }
  const acc = new FoldAccumulator(sc, w);
  const factor = (p: number, a: number): number | undefined => {
    const e = etaBin(a);
    const s = sliceOf(edges, p);
    if (e < 0 || s < 0) return undefined;
    const o = O[e * nS + s]!;
    return o > 0 ? A[e * nS + s]! / o : undefined;
  };
  for (let i = 0; i < table.n; i++) {
    if (!(m[i]! >= wLo && m[i]! < wHi)) continue;
    let r1 = 1;
    let r2 = 1;
    const in1 = binning.index(pt1[i]!, Math.abs(eta1[i]!)) >= 0;
    const in2 = binning.index(pt2[i]!, Math.abs(eta2[i]!)) >= 0;
    if (!in1 || !in2) acc.outsideBinning++;
    else {
      const f1 = factor(pt1[i]!, Math.abs(eta1[i]!));
      const f2 = factor(pt2[i]!, Math.abs(eta2[i]!));
      // A slice without window OC legs has no yield to normalise by: that leg keeps r = 1 (counted).
      if (f1 == null || f2 == null) acc.noOcCell++;
      r1 = f1 ?? 1;
      r2 = f2 ?? 1;
    }
    acc.add(i, r1, r2);
  }
  return acc.result(flippedW > 0 ? lostW / flippedW : 0, M);
}
