/**
 * The folded φ-trainer's acceptance/migration factors (docs/trainer.md, "The folded φ-trainer"): per window
 * pair and leg ℓ, the factor r_ℓ by which the flip response R (flipResponse.ts) scales the same-charge
 * intensity of "leg ℓ flipped" relative to the unfolded method (eq. 1 split by leg, method.md):
 *
 *   odds(SC : OC | pair in window) = [ε1(1 − ε2)·r1 + (1 − ε1)ε2·r2] / [(1 − ε1)(1 − ε2) + ε1ε2]
 *   ⇒ f_fold = log(1 + e^{φ1+φ2}) − log(r1·e^{φ1} + r2·e^{φ2})
 *            = softplus(φ1 + φ2) − logaddexp(φ1 + ρ1, φ2 + ρ2),   ρ = ln r      (eq. 3 with offsets)
 *
 * r comes from the folded binned fit's own migration (flipMigration.ts, parents 'oc'): for the reco cell
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
import { flipResponseSchema } from '../fit/flipResponse.js';
import type { Seed } from '../rng.js';
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

export function foldOffsets(
  table: EventTable,
  binning: Binning,
  fold: FoldOptions,
  seed: Seed,
  opts: { weightColumn?: string; source?: string } = {},
): FoldOffsets {
  const source = opts.source ?? '<table>';
  const col = (c: string): ArrayLike<number> => requireColumn(table, c, source);
  const m = col('m_ee');
  const sc = col('sc');
  const w = opts.weightColumn != null && table.columns[opts.weightColumn] ? table.columns[opts.weightColumn]! : undefined;
  const mig = flipMigration(
    { pt1: col('pt1'), eta1: col('eta1'), pt2: col('pt2'), eta2: col('eta2'), m_ee: m, sc, w },
    binning,
    { window: fold.window, range: fold.range, ptMin: fold.ptMin, response: fold.response, replicas: fold.replicas, parents: 'oc', seed, source },
  );
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
  const rows: number[] = [];
  const rho1: number[] = [];
  const rho2: number[] = [];
  let unreachableSC = 0;
  let outsideBinning = 0;
  let noOcCell = 0;
  let sumW = 0;
  let sumWr = 0;
  const rho = (r: number): number => (r > 0 ? Math.log(r) : RHO_FLOOR);
  for (let i = 0; i < table.n; i++) {
    if (!inWindow(i)) continue;
    const [b1, b2] = bins(i);
    const c = b1 >= 0 && b2 >= 0 ? cellOf.get(Math.min(b1, b2) * K + Math.max(b1, b2)) : undefined;
    let r1 = 1;
    let r2 = 1;
    if (b1 < 0 || b2 < 0) outsideBinning++;
    else if (c == null || !(O[c]! > 0)) {
      // No OC event of the window in this cell (a sparse cell holding only SC events): no yield to normalise
      // the migration by, so the pair keeps the plain loss (counted) rather than being dropped (which would
      // bias ε low). With R = 1 this keeps the folded trainer equal to the plain one.
      noOcCell++;
    } else if (b1 === b2) r1 = r2 = U[2 * c]! / (2 * O[c]!);
    else {
      // Leg 1 flipped: the other leg (2) stays in b2; leg 2 flipped: the other leg stays in b1.
      const slot = (other: number): number => (other === mig.cellJ[c] ? 0 : 1);
      r1 = U[2 * c + slot(b2)]! / O[c]!;
      r2 = U[2 * c + slot(b1)]! / O[c]!;
    }
    if (sc[i] === 1 && !(r1 > 0) && !(r2 > 0)) {
      unreachableSC++;
      continue;
    }
    rows.push(i);
    rho1.push(rho(r1));
    rho2.push(rho(r2));
    if (sc[i] === 0) {
      const wi = w ? w[i]! : 1;
      sumW += wi;
      sumWr += (wi * (r1 + r2)) / 2;
    }
  }
  return {
    rows: Uint32Array.from(rows),
    rho1: Float32Array.from(rho1),
    rho2: Float32Array.from(rho2),
    summary: {
      windowEvents: rows.length,
      unreachableSC,
      outsideBinning,
      noOcCell,
      meanFactor: sumW > 0 ? sumWr / sumW : NaN,
      lostFraction: mig.counts.lostFraction,
      replicas: mig.replicas,
    },
  };
}
