/**
 * The background model of the φ-trainer under sideband subtraction (docs/trainer.md, pairLoss.ts).
 *
 * Sideband subtraction hands the trainer window events with w > 0 and sideband events with w < 0, |w| = the
 * window/sideband width ratio (times any event weight). Σ|w| over the negative-weight events of a pair
 * category c is the sideband estimate of the background under the peak in that category — split by charge:
 *
 *   A_c = Σ_{w<0, OC} |w|,   B_c = Σ_{w<0, SC} |w|,   N_c = Σ_{w>0} w,   S_c = Σ_{w>0, SC} w,
 *
 * with σ(B_c)² = Σ_{w<0, SC} w² (the nuisance's Poisson error, recorded). The categories are the unordered
 * pairs of the coarse (|η|, pT) bins (the study binning; electrons outside it form one extra bin). Each window
 * event of c then carries the probabilities a_c = A_c/N_c (background OC) and r_c = B_c/N_c (background SC):
 *
 *   P(SC | e1, e2) = (1 − a_c − r_c)·ε12(e1, e2) + r_c,          ε12 = σ(−f(φ1, φ2))  (eq. 1, 3)
 *
 * In a category with constant ε12 the maximum of this likelihood is ε12 = (S_c − B_c)/(N_c − A_c − B_c), the
 * sideband-subtracted rate the binned fit uses; every event keeps a non-negative weight, so the loss is a
 * proper likelihood bounded below by 0.
 *
 * No clamp of B_c to the window's own S_c: where the estimate exceeds it (a downward fluctuation of S_c or an
 * upward one of B_c) the likelihood simply pulls ε12 down there, as the weighted subtraction would; clamping
 * would cut those fluctuations and bias ε up (measured: +12.6 % on the toy of test/train/trainer.test.ts,
 * where the background is 57 % of the SC events). Such categories are counted (`excessCategories`). A
 * category whose subtracted yield N_c − A_c − B_c is ≤ 0 carries no signal (β_c ≥ 1 would make P(OC) or
 * P(SC) negative): it is left out of the loss, its events dropped and counted, as the binned fit drops a pair
 * with Σw ≤ 0.
 */
import { DataError } from '../errors.js';
import type { TrainingSet } from './trainingSet.js';

export interface BackgroundSummary {
  /** Pair categories holding window (w > 0) events. */
  categories: number;
  /** Σw of the window events and of their SC events (before subtraction). */
  windowW: number;
  windowSC: number;
  /** Σ_c B_c over the categories kept and its Poisson error √Σw² over their negative SC events; Σ_c A_c. */
  backgroundSC: number;
  backgroundSCErr: number;
  backgroundOC: number;
  /** Categories whose B_c exceeds the window's S_c or A_c its OC count (kept); categories (and their window events) left out. */
  excessCategories: number;
  droppedCategories: number;
  droppedEvents: number;
}

export interface BackgroundRates {
  /** Per event of the training set: background OC / SC probability of its category (0 for unused events). */
  oc: Float32Array;
  sc: Float32Array;
  /** The window events kept (w > 0, category not dropped) and their weights, in the order given. */
  index: Uint32Array;
  w: Float64Array;
  /** Signal estimates for the starting ε: Σ_c (S_c − B_c) and Σ_c (N_c − A_c − B_c). */
  signalSC: number;
  signalW: number;
  summary: BackgroundSummary;
}

/** Category of an event: unordered pair of coarse bins, bin K = outside the binning. */
function categoryOf(set: TrainingSet, i: number): number {
  const b = set.bins!;
  const K1 = b.K + 1;
  const x = b.bin1[i]! < 0 ? b.K : b.bin1[i]!;
  const y = b.bin2[i]! < 0 ? b.K : b.bin2[i]!;
  return x <= y ? x * K1 + y : y * K1 + x;
}

/** Rates from the events `idx` with weights `w` (a member's training events: split or bootstrap applied). */
export function sidebandBackground(set: TrainingSet, idx: Uint32Array, w: Float64Array, source = '<training split>'): BackgroundRates {
  if (!set.bins) throw new DataError(source, 'pt1', 'the sideband background model needs pt1, eta1, pt2, eta2 to form pair categories');
  const K1 = set.bins.K + 1;
  const C = K1 * K1;
  const N = new Float64Array(C);
  const S = new Float64Array(C);
  const A = new Float64Array(C);
  const B = new Float64Array(C);
  const B2 = new Float64Array(C);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const c = categoryOf(set, i);
    const wk = w[k]!;
    if (wk >= 0) {
      N[c] += wk;
      if (set.sc[i]) S[c] += wk;
    } else if (set.sc[i]) {
      B[c] -= wk;
      B2[c] += wk * wk;
    } else A[c] -= wk;
  }
  const rOC = new Float64Array(C);
  const rSC = new Float64Array(C);
  const drop = new Uint8Array(C);
  const summary: BackgroundSummary = {
    categories: 0,
    windowW: 0,
    windowSC: 0,
    backgroundSC: 0,
    backgroundSCErr: 0,
    backgroundOC: 0,
    excessCategories: 0,
    droppedCategories: 0,
    droppedEvents: 0,
  };
  let signalSC = 0;
  let signalW = 0;
  let var2 = 0;
  for (let c = 0; c < C; c++) {
    if (!(N[c]! > 0)) continue;
    summary.categories++;
    summary.windowW += N[c]!;
    summary.windowSC += S[c]!;
    const b = B[c]!;
    const a = A[c]!;
    if (b > S[c]! || a > N[c]! - S[c]!) summary.excessCategories++;
    if (!(N[c]! - a - b > 0)) {
      drop[c] = 1;
      summary.droppedCategories++;
      continue;
    }
    rOC[c] = a / N[c]!;
    rSC[c] = b / N[c]!;
    summary.backgroundSC += b;
    summary.backgroundOC += a;
    var2 += B2[c]!;
    signalSC += S[c]! - b;
    signalW += N[c]! - a - b;
  }
  summary.backgroundSCErr = Math.sqrt(var2);
  const oc = new Float32Array(set.n);
  const sc = new Float32Array(set.n);
  for (let i = 0; i < set.n; i++) {
    const c = categoryOf(set, i);
    oc[i] = rOC[c]!;
    sc[i] = rSC[c]!;
  }
  const keepIdx: number[] = [];
  const keepW: number[] = [];
  for (let k = 0; k < idx.length; k++) {
    if (!(w[k]! >= 0)) continue;
    if (drop[categoryOf(set, idx[k]!)]) {
      summary.droppedEvents++;
      continue;
    }
    keepIdx.push(idx[k]!);
    keepW.push(w[k]!);
  }
  return { oc, sc, index: Uint32Array.from(keepIdx), w: Float64Array.from(keepW), signalSC, signalW, summary };
}
