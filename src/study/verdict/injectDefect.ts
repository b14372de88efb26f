/**
 * Known defects injected into an estimator's stored output, to measure each criterion's power without
 * retraining or refitting anything (issue 10, item 5). A defect rewrites the toy records of one estimator:
 *   bin    ε̂_k × factor in one bin; its reported errors stay those of the correct estimator (scaling them
 *          with the estimate would make an upward defect harder and a downward one easier to see);
 *   scale  every bin × factor, and the closure-scan prediction with it (ε12/(1 − ε12) is ≈ linear in ε), and
 *          a paired study's predicted SC yield;
 *   bump   the closure-scan prediction × factor in an (|η|, pT) box: a narrow local structure the estimator
 *          missed (factor 0.5 = truth ×2 there). Its per-bin outputs are left alone — averaged over a study
 *          bin such a miss is small, which is the point of a binning-free test.
 * A bin defect does not touch the scan prediction (it would need the per-electron rates, which records do
 * not keep); the scan's power is measured with scale and bump defects.
 */
import type { EstimatorRecord, PointRecord, ToyRecord } from '../toyRecord.js';
import { scanCellsIn } from './closureScan.js';

export type Defect =
  | { kind: 'bin'; bin: number; factor: number }
  | { kind: 'scale'; factor: number }
  | { kind: 'bump'; eta: [number, number]; pt: [number, number]; factor: number };

export function defectLabel(d: Defect, binLabel?: (k: number) => string): string {
  const pct = (f: number): string => `${f > 1 ? '+' : ''}${Math.round((f - 1) * 100)} %`;
  if (d.kind === 'bin') return `bin ${binLabel ? binLabel(d.bin) : d.bin} ${pct(d.factor)}`;
  if (d.kind === 'scale') return `scale ${pct(d.factor)}`;
  return `bump x${(1 / d.factor).toFixed(1)} missed in |eta| ${d.eta[0]}-${d.eta[1]}, pT ${d.pt[0]}-${d.pt[1]} GeV`;
}

const mul = (xs: (number | null)[] | undefined, f: number, only?: number): (number | null)[] | undefined =>
  xs?.map((x, k) => (x == null || (only != null && k !== only) ? x : x * f));

function injectRecord(rec: EstimatorRecord, d: Defect): EstimatorRecord {
  if (rec.status !== 'ok') return rec;
  if (d.kind === 'bump') {
    const cells = new Set(scanCellsIn(d.eta, d.pt));
    return { ...rec, ...(rec.scan ? { scan: rec.scan.map((x, c) => (x != null && cells.has(c) ? x * d.factor : x)) } : {}) };
  }
  const only = d.kind === 'bin' ? d.bin : undefined;
  const out: EstimatorRecord = { ...rec, eps: mul(rec.eps, d.factor, only)! };
  if (d.kind === 'scale' && rec.scan) out.scan = mul(rec.scan, d.factor)!;
  // The predicted SC yield of a paired study (Σ ε12, ≈ linear in ε for small ε) scales with it.
  if (d.kind === 'scale' && rec.scYield) out.scYield = { ...rec.scYield, predicted: rec.scYield.predicted * d.factor };
  return out;
}

/** Records with the defect applied to `estimator` at every point (or at `point` only, or at the points of a set). */
export function injectDefect(
  records: readonly ToyRecord[],
  estimator: string,
  d: Defect,
  point?: string | ReadonlySet<string>,
): ToyRecord[] {
  const at = point == null ? undefined : typeof point === 'string' ? new Set([point]) : point;
  return records.map((r) => ({
    ...r,
    points: r.points.map((p): PointRecord => {
      const rec = p.estimators[estimator];
      if (!rec || (at && !at.has(p.label))) return p;
      return { ...p, estimators: { ...p.estimators, [estimator]: injectRecord(rec, d) } };
    }),
  }));
}
