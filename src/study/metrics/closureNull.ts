/**
 * The exact null of the covariance-form SC closure (closureChi2.ts) in several per-electron variables at once,
 * by Monte Carlo: the labels are drawn again from the rates under test and χ² recomputed, so the p-value does
 * not rest on χ² following the χ² law.
 *
 * Why: χ² = Dᵀ V⁺ D has the right mean and covariance whatever the rates, but its tail is the χ² law's only
 * when every bin's residual is a sum of many small terms. A strongly tagged electron of the latent model
 * (ε ≈ 0.95, r = ε12/(1 − ε12) ≈ 20) puts a term of size w·(1 + r) into its bins; a sparse tail bin whose
 * variance rests on a few such events makes χ² heavy-tailed, and the χ²-law p-value of the true rates fell
 * below 0.01 in 2 of 20 toys of the features study (docs/electrons.md §4.2).
 *
 * The null, conditional on the selected events and their features: event i is SC with probability
 * p_i = ε12 (eq. 1), independently. With c_i = w_i·(1 + r_i) (so c_i·p_i = w_i·r_i) the closure residual is
 *   D = observed − predicted = Σ_i c_i·(y_i − p_i)·a_i
 * (the OC events enter the prediction with w·r, the SC events the observation with w; closureChi2.ts). A replica
 * draws every y_i ~ Bernoulli(p_i) and evaluates the same χ² with the same V⁺ (V does not look at the labels).
 *
 * Drawing: the events are grouped by p in octaves (2^−(k+1), 2^−k]; within a group the candidates are found by
 * geometric skips at rate 2^−k and kept with probability p_i·2^k ≥ ½. A replica therefore costs about twice the
 * expected number of SC events, not the number of events.
 *
 * Family-wise p-value over the variables: min-p (Westfall & Young 1993). Every replica draws the labels once for
 * all variables, so the replicas carry the variables' correlation; the observed smallest per-variable p is
 * compared with the replicas' smallest. Exact up to the Monte Carlo error, √(p(1 − p)/R). Beyond every replica
 * the family-wise p is at most (1 + F)/(R + 1) (the top replica of each of the F variables ties with it).
 *
 * The estimator's own uncertainty is not in this null (as it is not in V): it tests the rates as given.
 *
 * Memory: every event is kept until the replicas are drawn, 16 + 2·F bytes (28 for the six features: 10 MB for
 * the 3.4·10⁵ selected events of the features study's 10⁶ Z).
 */
import { createRng, type Seed } from '../../rng.js';
import type { PseudoInverse } from './closureChi2.js';

/** Replicas per null: the p-value's Monte Carlo error at p = 0.01 is 0.001. */
export const CLOSURE_NULL_REPLICAS = 10_000;

const OCTAVES = 48;
const NO_BIN = 255;

export interface ClosureNullResult {
  /** Per variable: (1 + replicas with χ² ≥ the observed)/(R + 1). NaN for a variable without bins. */
  p: number[];
  /** Family-wise (min-p over the variables). */
  family: number;
  replicas: number;
}

/** Events of one closure (variables × bins), kept compactly for the replicas. */
export class ClosureNullSampler {
  private n = 0;
  private p = new Float64Array(1024);
  private c = new Float64Array(1024);
  /** Per event and variable, two bins (NO_BIN: none): with p and c, 16 + 2·F bytes per event. */
  private bins: Uint8Array;
  /** Σ_i c_i·p_i·a_i per variable: the expectation subtracted from every replica. */
  private readonly base: Float64Array[];

  constructor(private readonly nbins: readonly number[]) {
    const wide = nbins.find((nb) => !(Number.isInteger(nb) && nb >= 1 && nb < NO_BIN));
    if (wide != null) throw new Error(`ClosureNullSampler: ${wide} bins; a variable has 1 to ${NO_BIN - 1}`);
    this.bins = new Uint8Array(1024 * 2 * nbins.length);
    this.base = nbins.map((nb) => new Float64Array(nb));
  }

  /** One event: P(SC) = `p`, weight `w`, and per variable the bins it fills (`fills[v]`, one or two entries). */
  addRow(p: number, w: number, fills: readonly (readonly number[])[]): void {
    const V = this.nbins.length;
    // P(SC) = 1 leaves no residual to draw (and c = w/(1 − p) would be infinite).
    if (!(p < 1)) return;
    if (this.n === this.p.length) this.grow();
    const i = this.n++;
    const c = w / (1 - p);
    this.p[i] = p;
    this.c[i] = c;
    for (let v = 0; v < V; v++) {
      const f = fills[v]!;
      this.bins[(i * V + v) * 2] = f.length > 0 ? f[0]! : NO_BIN;
      this.bins[(i * V + v) * 2 + 1] = f.length > 1 ? f[1]! : NO_BIN;
      for (const b of f) this.base[v]![b] += c * p;
    }
  }

  /**
   * The null's p-values for the observed residuals `observed[v]` (observed − predicted per bin) under the
   * pseudo-inverses `pinv[v]`, from `replicas` replicas drawn with `seed`.
   */
  pValues(
    observed: readonly ArrayLike<number>[],
    pinv: readonly PseudoInverse[],
    seed: Seed,
    replicas = CLOSURE_NULL_REPLICAS,
  ): ClosureNullResult {
    const V = this.nbins.length;
    const tObs = pinv.map((q, v) => q.chi2(observed[v]!));
    const t = this.nbins.map(() => new Float64Array(replicas));
    const groups = this.octaves();
    const rng = createRng(seed);
    const d = this.nbins.map((nb) => new Float64Array(nb));
    const minusBase = this.base.map((b) => b.map((x) => -x));
    for (let r = 0; r < replicas; r++) {
      for (let v = 0; v < V; v++) d[v]!.set(minusBase[v]!);
      for (const [k, rows] of groups.entries()) {
        if (rows.length === 0) continue;
        const q = 2 ** -k;
        const logStay = Math.log1p(-q);
        // k = 0: every event of the group is a candidate (q = 1 leaves no room to skip).
        let j = k === 0 ? 0 : Math.floor(Math.log(rng.uniform()) / logStay);
        while (j < rows.length) {
          const i = rows[j]!;
          if (rng.uniform() * q < this.p[i]!) this.fill(d, i);
          j += 1 + (k === 0 ? 0 : Math.floor(Math.log(rng.uniform()) / logStay));
        }
      }
      for (let v = 0; v < V; v++) t[v]![r] = pinv[v]!.chi2(d[v]!);
    }
    // Per-variable p of the observation and of every replica (its rank among the replicas), then min-p.
    const p = tObs.map((x, v) => (pinv[v]!.ndf > 0 ? (1 + countAtLeast(sorted(t[v]!), x)) / (replicas + 1) : NaN));
    const live = p.map((x, v) => (Number.isFinite(x) ? v : -1)).filter((v) => v >= 0);
    if (live.length === 0) return { p, family: NaN, replicas };
    const minObs = Math.min(...live.map((v) => p[v]!));
    const sortedT = t.map(sorted);
    let exceed = 0;
    for (let r = 0; r < replicas; r++) {
      let m = Infinity;
      for (const v of live) m = Math.min(m, countAtLeast(sortedT[v]!, t[v]![r]!) / (replicas + 1));
      if (m <= minObs) exceed++;
    }
    return { p, family: (1 + exceed) / (replicas + 1), replicas };
  }

  private fill(d: Float64Array[], i: number): void {
    const V = this.nbins.length;
    const c = this.c[i]!;
    for (let v = 0; v < V; v++) {
      const b0 = this.bins[(i * V + v) * 2]!;
      const b1 = this.bins[(i * V + v) * 2 + 1]!;
      if (b0 !== NO_BIN) d[v]![b0] += c;
      if (b1 !== NO_BIN) d[v]![b1] += c;
    }
  }

  /** Event indices by octave of p, in row order: octave k holds 2^−(k+1) < p ≤ 2^−k (the last also every smaller p). */
  private octaves(): Int32Array[] {
    const counts = new Int32Array(OCTAVES);
    const octave = new Int8Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const p = this.p[i]!;
      const k = p > 0 ? Math.min(OCTAVES - 1, Math.max(0, Math.floor(-Math.log2(p)))) : -1;
      octave[i] = k;
      if (k >= 0) counts[k]++;
    }
    const groups = Array.from(counts, (c) => new Int32Array(c));
    const at = new Int32Array(OCTAVES);
    for (let i = 0; i < this.n; i++) if (octave[i]! >= 0) groups[octave[i]!]![at[octave[i]!]!++] = i;
    return groups;
  }

  private grow(): void {
    const cap = this.p.length * 2;
    const p = new Float64Array(cap);
    p.set(this.p);
    const c = new Float64Array(cap);
    c.set(this.c);
    const bins = new Uint8Array(cap * 2 * this.nbins.length);
    bins.set(this.bins);
    this.p = p;
    this.c = c;
    this.bins = bins;
  }
}

function sorted(x: Float64Array): Float64Array {
  return Float64Array.from(x).sort();
}

/** How many of the ascending `s` are ≥ x. */
function countAtLeast(s: Float64Array, x: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return s.length - lo;
}
