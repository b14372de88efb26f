/**
 * The closure test used in practice: weight every opposite-charge event by ε12/(1−ε12), with
 * ε12 = ε1 + ε2 − 2ε1ε2 (eq. 1) from the estimator's per-electron rates, and compare the predicted
 * same-charge distribution with the observed one, histogram by histogram.
 *
 *   χ² = Σ_b (S_b − P_b)² / (k_b·P_b + Σ_OC (w·r)²_b),   ndf = bins with a non-zero variance
 *
 * Pearson's form: the variance of the observed SC yield is the one expected under the prediction, k_b·P_b,
 * with k_b = Σw²/Σw of the bin's OC events (1 for unit weights; it carries the mix of window and negative
 * sideband weights over to the SC side). Using the observed count instead (Neyman's form) puts a near-zero
 * variance on an empty bin and lets one empty bin dominate χ². The prediction's own statistical error
 * Σ_OC (w·r)² is added; the estimator's uncertainty is not (it is correlated across bins), so χ²/ndf ≈ 1 is
 * the expectation for an unbiased estimator with ε fixed. Both sides carry the event weights `w`, so
 * sideband-subtracted tables (negative weights) work as they are.
 */
import { eps12 } from '../../method/pairFunction.js';
import type { EventTable } from '../../events/columns.js';
import { binIndex } from '../../util/binIndex.js';

export type ClosureVariable = 'pt' | 'eta' | 'm_ee';
/** A closure variable, or any per-electron column stem (column1/column2, e.g. a latent-model feature; edges required). */
export type ClosureColumn = ClosureVariable | (string & {});

export interface ClosureHistogram {
  variable: ClosureColumn;
  edges: number[];
  observed: number[];
  predicted: number[];
  /** Total variance per bin used in χ²: k_b·P_b + predictedVariance. */
  variance: number[];
  /** Statistical variance of the prediction, Σ_OC (w·r)². */
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
): ClosureHistogram {
  const nb = edges.length - 1;
  const obs = new Float64Array(nb);
  const pred = new Float64Array(nb);
  const varPred = new Float64Array(nb);
  const ocW = new Float64Array(nb);
  const ocW2 = new Float64Array(nb);
  const sc = table.columns.sc!;
  const w = table.columns.w!;
  const cols: [ArrayLike<number>, ArrayLike<number> | undefined] =
    variable === 'm_ee' ? [table.columns.m_ee!, undefined] : [table.columns[`${variable}1`]!, table.columns[`${variable}2`]!];
  for (let i = 0; i < table.n; i++) {
    const e1 = eps1[i]!;
    const e2 = eps2[i]!;
    if (!Number.isFinite(e1) || !Number.isFinite(e2)) continue;
    const wi = w[i]!;
    const p = eps12(e1, e2);
    const r = p / (1 - p);
    for (const col of cols) {
      if (!col) continue;
      const b = binIndex(edges, col[i]!);
      if (b < 0) continue;
      if (sc[i] === 1) obs[b] += wi;
      else {
        pred[b] += wi * r;
        varPred[b] += (wi * r) ** 2;
        ocW[b] += wi;
        ocW2[b] += wi * wi;
      }
    }
  }
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
