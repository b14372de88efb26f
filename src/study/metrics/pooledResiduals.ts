/**
 * The pooled relative residual of one toy over a set of bins, the core of the pooledRelBias metric and of the
 * verdict's pooled-bias test: r_t = Σ_k w_k (ε̂_tk − g_tk)/s_k / Σ_k w_k with a-priori weights w_k (expected
 * flips per toy) and a per-bin scale s_k (the mean target), and its variance v_t = Σ_k (w_k σ_tk/s_k)² / (Σw)²
 * from the reported errors (the caller says how a bin's error term is formed, and which target g it uses).
 * A toy with a non-finite estimate or target in any bin is left out (not counted as zero).
 */
import { finite, type EstimatorRecord, type PointRecord } from '../toyRecord.js';

export interface PooledBin {
  bin: number;
  /** w_k: the bin's a-priori weight. */
  weight: number;
  /** s_k: the bin's scale (mean target), so that the residual is relative. */
  scale: number;
}

export function pooledResiduals<B extends PooledBin>(
  ok: readonly { rec: EstimatorRecord; point: PointRecord }[],
  bins: readonly B[],
  target: (point: PointRecord, b: B) => number,
  /** The bin's term of Σ (w_k σ_tk/s_k)² for estimate e against target g (NaN when it has no error). */
  varianceTerm: (rec: EstimatorRecord, b: B, e: number, g: number) => number,
): { rt: number[]; vt: number[] } {
  const sw = bins.reduce((a, b) => a + b.weight, 0);
  const rt: number[] = [];
  const vt: number[] = [];
  if (!(sw > 0)) return { rt, vt };
  for (const { rec, point } of ok) {
    let r = 0;
    let v = 0;
    let good = true;
    for (const b of bins) {
      const e = finite(rec.eps[b.bin]);
      const g = target(point, b);
      if (!Number.isFinite(e) || !Number.isFinite(g)) good = false;
      r += (b.weight * (e - g)) / b.scale;
      v += varianceTerm(rec, b, e, g);
    }
    if (!good) continue;
    rt.push(r / sw);
    vt.push(v / (sw * sw));
  }
  return { rt, vt };
}
