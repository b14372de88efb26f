/**
 * A binned estimate seen along one axis of its (|η|, pT) binning: per slice of that axis, the estimate of the
 * slice's bins averaged with their electron counts as weights, errors added in quadrature with the same weights
 * (the bins are independent). The ε curves draw it beside the fine truth profile.
 */
import { finite } from '../toyRecord.js';

export interface CoarsePoint {
  /** Slice centre (geometric for pT), the electron-weighted estimate and its error, the slice edges. */
  x: number;
  eps: number;
  err: number;
  xlo: number;
  xhi: number;
}

/** Bins are numbered i·nPt + j (|η| slice i, pT slice j); `count` holds the electrons per bin. */
export function coarseProfile(
  binning: { eta: readonly number[]; pt: readonly number[] },
  count: readonly number[],
  eps: readonly (number | null)[],
  err: readonly (number | null)[],
  variable: 'pt' | 'abseta',
): CoarsePoint[] {
  const { eta, pt } = binning;
  const nPt = pt.length - 1;
  const edges = variable === 'pt' ? pt : eta;
  const out: CoarsePoint[] = [];
  for (let s = 0; s < edges.length - 1; s++) {
    let n = 0;
    let sum = 0;
    let v = 0;
    const bins = variable === 'pt' ? eta.slice(1).map((_, i) => i * nPt + s) : pt.slice(1).map((_, j) => s * nPt + j);
    for (const k of bins) {
      const c = count[k] ?? 0;
      const e = finite(eps[k]);
      if (!(c > 0) || !Number.isFinite(e)) continue;
      const sk = finite(err[k]);
      n += c;
      sum += c * e;
      v += Number.isFinite(sk) ? (c * sk) ** 2 : 0;
    }
    if (n > 0) {
      const lo = edges[s]!;
      const hi = edges[s + 1]!;
      out.push({ x: variable === 'pt' ? Math.sqrt(lo * hi) : (lo + hi) / 2, eps: sum / n, err: Math.sqrt(v) / n, xlo: lo, xhi: hi });
    }
  }
  return out;
}
