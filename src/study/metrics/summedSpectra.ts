/**
 * Histograms summed over the successful toys for the report: the OC and SC m_ee spectra of a scan point, and an
 * estimator's SC closure histograms (observed, predicted, the χ² variance and the prediction's part of it).
 * Sums, not means: the plots show counts and the closure χ² of the sum.
 */
import { finite, jsonNumber, type ClosureHistRecord, type EstimatorRecord, type PointRecord } from '../toyRecord.js';

export interface SummedMass {
  toys: number;
  edges: number[];
  oc: number[];
  sc: number[];
}

export interface SummedClosureHist {
  edges: number[];
  observed: (number | null)[];
  predicted: (number | null)[];
  variance: (number | null)[];
  /** null where a toy's record had no predictedVariance (records written before it was stored). */
  predictedVariance: (number | null)[];
}

export interface SummedClosure {
  toys: number;
  pt: SummedClosureHist;
  eta: SummedClosureHist;
  m_ee: SummedClosureHist;
}

/** `points`: the scan point's record from every successful toy. Absent when no toy stored spectra. */
export function summedMass(points: readonly PointRecord[]): SummedMass | undefined {
  const pts = points.filter((p) => p.mass);
  if (pts.length === 0) return undefined;
  const edges = pts[0]!.mass!.edges;
  return {
    toys: pts.length,
    edges,
    oc: edges.slice(1).map((_, b) => pts.reduce((a, p) => a + p.mass!.oc[b]!, 0)),
    sc: edges.slice(1).map((_, b) => pts.reduce((a, p) => a + p.mass!.sc[b]!, 0)),
  };
}

/** Estimator `name`'s closure histograms summed over the toys where it succeeded and stored them. */
export function summedClosure(name: string, points: readonly PointRecord[]): SummedClosure | undefined {
  const recs = points.map((p) => p.estimators[name]).filter((r): r is EstimatorRecord => r?.status === 'ok' && r.closureHist != null);
  if (recs.length === 0) return undefined;
  const one = (v: 'pt' | 'eta' | 'm_ee'): SummedClosureHist => {
    const hs = recs.map((r) => r.closureHist![v]);
    const edges = hs[0]!.edges;
    const sum = (f: (h: ClosureHistRecord) => readonly (number | null)[]) =>
      edges.slice(1).map((_, b) => jsonNumber(hs.reduce((a, h) => a + finite(f(h)[b]), 0)));
    return {
      edges,
      observed: sum((h) => h.observed),
      predicted: sum((h) => h.predicted),
      variance: sum((h) => h.variance),
      predictedVariance: sum((h) => h.predictedVariance ?? []),
    };
  };
  return { toys: recs.length, pt: one('pt'), eta: one('eta'), m_ee: one('m_ee') };
}
