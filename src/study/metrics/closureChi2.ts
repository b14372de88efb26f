/**
 * The closure test used in practice: weight every opposite-charge event by r = ε12/(1−ε12), with
 * ε12 = ε1 + ε2 − 2ε1ε2 (eq. 1) from the estimator's per-electron rates, and compare the predicted
 * same-charge distribution with the observed one, histogram by histogram.
 *
 * Residual of one event i with weight w_i, label y_i (1 = SC) and fill vector a_i (a_ib = how many of its
 * electrons land in bin b: 0, 1 or 2; m_ee fills once per event):
 *   d_i = w_i·(y_i − (1 − y_i)·r_i)·a_i,     D = Σ_i d_i = observed − predicted
 * Under the prediction (P(SC) = ε12) E[d_i] = 0 and Var(y − (1 − y)r) = p + (1 − p)r² = r, so
 *   V = Cov(D) = Σ_i w_i² r_i a_i a_iᵀ   over every event, SC or OC, with its predicted r_i
 * Pearson's form: the variance expected under the prediction, which does not look at the labels (Neyman's form,
 * the observed count, gives an empty bin a near-zero variance). The per-bin form used before, Σ_OC w²r +
 * Σ_OC (w r)², has the same expectation (E[(1 − y)(r + r²)] = (1 − p)·r/(1 − p) = r) but sums over the OC events
 * only: for a strongly tagged electron (ε = 0.85: 85 % of its events are SC) it rests on the few OC events that
 * happen to be there, is anti-correlated with D (fewer OC events: a smaller prediction and a smaller variance)
 * and inflated χ² (the case of test/study/closureChi2.test.ts: mean χ²/ndf 5.9 with the per-bin form, 1.0 here).
 *   χ² = Dᵀ V⁺ D,   ndf = rank V (eigenvalues above 1e-10 of the largest)
 * The full covariance matters because every event fills two bins of a per-electron variable with the same
 * residual: with weights r up to ~20 (strongly tagged electrons of the latent model, docs/electrons.md) the
 * per-bin sum treated those bins as independent, and its χ² was over-dispersed (variance of χ²/ndf 2–15× the
 * χ² law's on the reachable target over toys) so the true rates failed χ²/ndf < 2 in a third of the toys.
 * The estimator's own uncertainty is not in V: χ² ≈ ndf is the expectation for the true rates.
 * Both sides carry the event weights `w`, so sideband-subtracted tables (negative weights) work as they are.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { eps12 } from '../../method/pairFunction.js';
import type { EventTable } from '../../events/columns.js';
import { binIndex } from '../../util/binIndex.js';

export type ClosureVariable = 'pt' | 'eta' | 'm_ee';
/** A closure variable, or any per-electron column stem (column1/column2, e.g. a latent-model feature; edges required). */
export type ClosureColumn = ClosureVariable | (string & {});

/**
 * 'covariance': χ² = Dᵀ V⁺ D with V over every event (above). 'perBin': the earlier per-bin form
 * Σ_b D_b²/(k_b·P_b + Σ_OC (w·r)²), k_b = Σw²/Σw of the bin's OC events, ndf = bins with a variance. The per-bin
 * form is kept for the pt, η and m_ee closures of every study (their records and the report's closure plots,
 * which recompute it per bin); it is adequate for small ε and wrong with strongly tagged electrons, so the
 * latent model's feature closure (featureClosure.ts) uses 'covariance'.
 */
export type ClosureForm = 'covariance' | 'perBin';

export interface ClosureHistogram {
  variable: ClosureColumn;
  edges: number[];
  observed: number[];
  predicted: number[];
  /** Variance per bin: the diagonal of V, Σ_all w²r·a² ('covariance'), or k_b·P_b + predictedVariance ('perBin'). */
  variance: number[];
  /** Statistical variance of the prediction, Σ_OC (w·r·a)². */
  predictedVariance: number[];
  chi2: number;
  ndf: number;
}

/** Default histogram edges: pT and η filled once per electron, m_ee once per event. */
export const CLOSURE_EDGES: Record<ClosureVariable, number[]> = {
  pt: [25, 30, 35, 40, 45, 50, 55, 60, 70, 90, 130, 1000],
  eta: Array.from({ length: 21 }, (_, i) => Number((-2.5 + 0.25 * i).toFixed(2))),
  m_ee: Array.from({ length: 21 }, (_, i) => 80 + i),
};

/**
 * `eps1`, `eps2`: the estimator's rates for electron 1 and 2 of every row. Rows with a NaN rate (an electron
 * outside the estimator's binning) are left out of both sides.
 */
export function closureChi2(
  table: EventTable,
  eps1: ArrayLike<number>,
  eps2: ArrayLike<number>,
  variable: ClosureColumn,
  edges: readonly number[] = CLOSURE_EDGES[variable as ClosureVariable],
  form: ClosureForm = 'perBin',
): ClosureHistogram {
  const acc = new ClosureAccumulator(variable, edges, form);
  acc.add(table, eps1, eps2);
  return acc.result();
}

/**
 * closureChi2 chunk by chunk (a streamed toy, src/study/streamToy.ts): the sums run in row order across the
 * chunks, so the histogram and χ² are bit-identical to closureChi2 on the concatenated rows.
 */
export class ClosureAccumulator {
  private readonly nb: number;
  private readonly obs: Float64Array;
  private readonly pred: Float64Array;
  private readonly varPred: Float64Array;
  private readonly cov: Float64Array;
  private readonly ocW: Float64Array;
  private readonly ocW2: Float64Array;
  private readonly fill: number[] = [];

  constructor(
    readonly variable: ClosureColumn,
    readonly edges: readonly number[] = CLOSURE_EDGES[variable as ClosureVariable],
    readonly form: ClosureForm = 'perBin',
  ) {
    const nb = (this.nb = edges.length - 1);
    this.obs = new Float64Array(nb);
    this.pred = new Float64Array(nb);
    this.varPred = new Float64Array(nb);
    this.cov = new Float64Array(nb * nb);
    this.ocW = new Float64Array(nb);
    this.ocW2 = new Float64Array(nb);
  }

  add(table: EventTable, eps1: ArrayLike<number>, eps2: ArrayLike<number>): void {
    const { fill, variable, edges } = this;
    const sc = table.columns.sc!;
    const w = table.columns.w!;
    const cols: [ArrayLike<number>, ArrayLike<number> | undefined] =
      variable === 'm_ee' ? [table.columns.m_ee!, undefined] : [table.columns[`${variable}1`]!, table.columns[`${variable}2`]!];
    for (let i = 0; i < table.n; i++) {
      const e1 = eps1[i]!;
      const e2 = eps2[i]!;
      if (!Number.isFinite(e1) || !Number.isFinite(e2)) continue;
      const p = eps12(e1, e2);
      fill.length = 0;
      for (const col of cols) {
        if (!col) continue;
        const b = binIndex(edges, col[i]!);
        if (b >= 0) fill.push(b);
      }
      this.addRow(w[i]!, p / (1 - p), sc[i] === 1, fill);
    }
  }

  /**
   * One event: weight `w`, r = ε12/(1 − ε12), its label, and the (one or two) bins it fills (a bin filled twice
   * appears twice). `add` calls this per row; the feature closure (featureClosure.ts) calls it directly, having
   * found the bins once for the closure and its Monte Carlo null (closureNull.ts).
   */
  addRow(w: number, r: number, isSC: boolean, fill: readonly number[]): void {
    if (fill.length === 0) return;
    const { nb, obs, pred, varPred, cov, ocW, ocW2, form } = this;
    // a aᵀ over the filled bins, counting a bin filled twice as a_b = 2; SC and OC events alike.
    const v = w * w * r;
    for (const b of fill) for (const c of fill) cov[b * nb + c] += v;
    if (isSC) {
      for (const b of fill) obs[b] += w;
      return;
    }
    for (const b of fill) {
      pred[b] += w * r;
      ocW[b] += w;
      ocW2[b] += w * w;
    }
    if (form === 'covariance') {
      const a0 = fill.length === 2 && fill[0] === fill[1] ? 2 : 1;
      for (const b of new Set(fill)) varPred[b] += (w * r * a0) ** 2;
    } else for (const b of fill) varPred[b] += (w * r) ** 2;
  }

  /** The covariance form's V⁺ (closureNull.ts evaluates χ² of its replicas with it). Call after the last row. */
  pseudoInverse(): PseudoInverse {
    return pseudoInverse(this.cov, this.nb);
  }

  result(): ClosureHistogram {
    const { nb, obs, pred, varPred, cov, ocW, ocW2, variable, edges, form } = this;
    if (form === 'perBin') {
      const variance = new Float64Array(nb);
      let chi2 = 0;
      let ndf = 0;
      for (let b = 0; b < nb; b++) {
        const k = ocW[b]! > 0 ? ocW2[b]! / ocW[b]! : 1;
        variance[b] = k * Math.max(pred[b]!, 0) + varPred[b]!;
        if (!(variance[b]! > 0)) continue;
        chi2 += (obs[b]! - pred[b]!) ** 2 / variance[b]!;
        ndf++;
      }
      return histogram(variable, edges, obs, pred, variance, varPred, chi2, ndf);
    }
    const variance = Float64Array.from({ length: nb }, (_, b) => cov[b * nb + b]!);
    const pinv = pseudoInverse(cov, nb);
    const chi2 = pinv.chi2(Float64Array.from(obs, (o, b) => o - pred[b]!));
    return histogram(variable, edges, obs, pred, variance, varPred, chi2, pinv.ndf);
  }
}

function histogram(
  variable: ClosureColumn,
  edges: readonly number[],
  obs: Float64Array,
  pred: Float64Array,
  variance: Float64Array,
  varPred: Float64Array,
  chi2: number,
  ndf: number,
): ClosureHistogram {
  return {
    variable,
    edges: [...edges],
    observed: [...obs],
    predicted: [...pred],
    variance: [...variance],
    predictedVariance: [...varPred],
    chi2,
    ndf,
  };
}

/**
 * V⁺ over the bins with a positive variance: V's eigenvectors and eigenvalues above 1e-10 of the largest.
 * χ²(d) = Σ_k (u_kᵀ d)²/λ_k, ndf = their number (the rank of V there).
 */
export class PseudoInverse {
  constructor(
    /** The bins kept (positive variance). */
    private readonly keep: readonly number[],
    /** Eigenvectors, one row per kept eigenvalue, over `keep`. */
    private readonly vectors: readonly Float64Array[],
    private readonly values: readonly number[],
  ) {}

  get ndf(): number {
    return this.values.length;
  }

  chi2(d: ArrayLike<number>): number {
    const { keep, vectors, values } = this;
    let chi2 = 0;
    for (let k = 0; k < values.length; k++) {
      const u = vectors[k]!;
      let proj = 0;
      for (let j = 0; j < keep.length; j++) proj += u[j]! * d[keep[j]!]!;
      chi2 += (proj * proj) / values[k]!;
    }
    return chi2;
  }
}

function pseudoInverse(cov: Float64Array, nb: number): PseudoInverse {
  const keep = Array.from({ length: nb }, (_, b) => b).filter((b) => cov[b * nb + b]! > 0);
  if (keep.length === 0) return new PseudoInverse([], [], []);
  const V = new Matrix(keep.map((b) => keep.map((c) => 0.5 * (cov[b * nb + c]! + cov[c * nb + b]!))));
  const eig = new EigenvalueDecomposition(V, { assumeSymmetric: true });
  const lambda = eig.realEigenvalues;
  const U = eig.eigenvectorMatrix;
  const tol = 1e-10 * Math.max(...lambda);
  const vectors: Float64Array[] = [];
  const values: number[] = [];
  lambda.forEach((l, k) => {
    if (!(l > tol)) return;
    vectors.push(Float64Array.from(keep, (_, j) => U.get(j, k)));
    values.push(l);
  });
  return new PseudoInverse(keep, vectors, values);
}
