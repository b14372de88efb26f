/**
 * Aggregate events into the unordered bin-pair categories (i ≤ j) of the binned likelihood.
 *
 * For each pair: n = Σw over all events (OC + SC), s = Σw over SC events, and the sums of w² over OC and SC
 * events separately (the per-event score of the weighted likelihood differs between the two, so the sandwich
 * covariance needs them apart). Weights may be negative (sideband subtraction); a pair whose Σw is not
 * positive has no Poisson interpretation and is dropped, counted in `droppedPairs`. A kept pair whose
 * same-charge sum is negative (more subtracted sideband SC weight than window SC weight) would make −ln L
 * unbounded below (−S ln p → −∞ as p → 0, which drives a fit to ε = 0 and a meaningless Hessian); its S is
 * set to 0 — "no same-charge excess observed" — and the pair is listed in `clampedPairs`. This biases ε up
 * by at most the clamped amount; a study that sees clamped pairs has bins too small for sideband subtraction.
 */
import { DataError } from '../errors.js';

export interface BinnedInput {
  bin1: Int32Array;
  bin2: Int32Array;
  /** 1 for a same-charge event, 0 for opposite charge. */
  sc: Uint8Array | Float64Array;
  /** Event weights; all 1 when absent. */
  w?: Float64Array | undefined;
}

export interface PairCounts {
  K: number;
  /** Lower / upper bin of each kept pair (i ≤ j), in row-major (i, j) order. */
  i: Int32Array;
  j: Int32Array;
  n: Float64Array;
  s: Float64Array;
  w2oc: Float64Array;
  w2sc: Float64Array;
  /** Pairs with events whose Σw ≤ 0 (left out of the likelihood). */
  droppedPairs: { i: number; j: number; n: number }[];
  /** Kept pairs whose S < 0 was set to 0, with the original S. */
  clampedPairs: { i: number; j: number; s: number }[];
  nEvents: number;
  sumW: number;
}

export function pairCounts(input: BinnedInput, K: number, source = 'events'): PairCounts {
  const acc = new PairCountAccumulator(K, source);
  acc.add(input);
  return acc.result();
}

/**
 * The sums of pairCounts, added chunk by chunk: a file or a generated sample of any size is aggregated in
 * K² cells while only one chunk of events is in memory. Sums run in event order across chunks, so the counts
 * (and the fit on them) are bit-identical to pairCounts on the whole table; rows in errors count from the
 * first event of the first chunk.
 */
export class PairCountAccumulator {
  readonly K: number;
  private readonly N: Float64Array;
  private readonly S: Float64Array;
  private readonly W2oc: Float64Array;
  private readonly W2sc: Float64Array;
  private readonly seen: Uint8Array;
  private sumW = 0;
  private nEv = 0;

  constructor(
    K: number,
    private readonly source = 'events',
  ) {
    if (!Number.isInteger(K) || K < 1) throw new DataError(source, undefined, 'number of bins K must be a positive integer', K);
    this.K = K;
    const KK = K * K;
    this.N = new Float64Array(KK);
    this.S = new Float64Array(KK);
    this.W2oc = new Float64Array(KK);
    this.W2sc = new Float64Array(KK);
    this.seen = new Uint8Array(KK);
  }

  /** Events added so far. */
  get events(): number {
    return this.nEv;
  }

  add(input: BinnedInput): void {
    const { K, N, S, W2oc, W2sc, seen, source } = this;
    const { bin1, bin2, sc, w } = input;
    const nEv = bin1.length;
    if (bin2.length !== nEv) throw new DataError(source, 'bin2', `length ${bin2.length} differs from bin1's ${nEv}`);
    if (sc.length !== nEv) throw new DataError(source, 'sc', `length ${sc.length} differs from bin1's ${nEv}`);
    if (w && w.length !== nEv) throw new DataError(source, 'w', `length ${w.length} differs from bin1's ${nEv}`);
    const row0 = this.nEv + 1;
    let sumW = this.sumW;
    for (let e = 0; e < nEv; e++) {
      const a = bin1[e]!;
      const b = bin2[e]!;
      if (!(a >= 0 && a < K)) throw new DataError(source, 'bin1', `bin index outside 0..${K - 1} at row ${row0 + e}`, a);
      if (!(b >= 0 && b < K)) throw new DataError(source, 'bin2', `bin index outside 0..${K - 1} at row ${row0 + e}`, b);
      const c = sc[e]!;
      if (c !== 0 && c !== 1) throw new DataError(source, 'sc', `expected 0 or 1 at row ${row0 + e}`, c);
      const we = w ? w[e]! : 1;
      if (!Number.isFinite(we)) throw new DataError(source, 'w', `non-finite weight at row ${row0 + e}`, we);
      const k = a <= b ? a * K + b : b * K + a;
      seen[k] = 1;
      N[k] += we;
      sumW += we;
      if (c === 1) {
        S[k] += we;
        W2sc[k] += we * we;
      } else W2oc[k] += we * we;
    }
    this.sumW = sumW;
    this.nEv += nEv;
  }

  /** The kept pairs (Σw > 0), dropped and clamped pairs listed; an accumulator with no event is an error. */
  result(): PairCounts {
    const { K, N, S, W2oc, W2sc, seen, source } = this;
    if (this.nEv === 0) throw new DataError(source, undefined, 'no events to fit', 0);
    const keep: number[] = [];
    const droppedPairs: PairCounts['droppedPairs'] = [];
    for (let a = 0; a < K; a++) {
      for (let b = a; b < K; b++) {
        const k = a * K + b;
        if (!seen[k]) continue;
        if (N[k]! > 0) keep.push(k);
        else droppedPairs.push({ i: a, j: b, n: N[k]! });
      }
    }
    const m = keep.length;
    const out: PairCounts = {
      K,
      i: new Int32Array(m),
      j: new Int32Array(m),
      n: new Float64Array(m),
      s: new Float64Array(m),
      w2oc: new Float64Array(m),
      w2sc: new Float64Array(m),
      droppedPairs,
      clampedPairs: [],
      nEvents: this.nEv,
      sumW: this.sumW,
    };
    keep.forEach((k, q) => {
      out.i[q] = Math.floor(k / K);
      out.j[q] = k % K;
      out.n[q] = N[k]!;
      out.s[q] = Math.max(S[k]!, 0);
      if (S[k]! < 0) out.clampedPairs.push({ i: out.i[q]!, j: out.j[q]!, s: S[k]! });
      out.w2oc[q] = W2oc[k]!;
      out.w2sc[q] = W2sc[k]!;
    });
    return out;
  }
}
