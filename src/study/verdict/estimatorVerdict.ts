/**
 * Everything the verdict criteria of one estimator at one scan point read: the multi-toy statistics against
 * both targets (summarizeVerdict.ts) and the binning-free closure scan on the cells summed over the toys
 * (closureScan.ts).
 */
import { finite, type PointRecord } from '../toyRecord.js';
import { closureScanP, SCAN_CELLS, type ScanResult } from './closureScan.js';
import type { PointReference } from './referenceTargets.js';
import { summarizeVerdict, type VerdictOptions, type VerdictSummary } from './summarizeVerdict.js';

export interface EstimatorVerdict {
  reachable: VerdictSummary;
  model: VerdictSummary;
  /** Null when no toy stored the scan cells (older records). */
  scan: ScanResult | null;
}

export function estimatorVerdict(
  name: string,
  points: readonly (PointRecord | undefined)[],
  reference: PointReference | undefined,
  scanSeed: string,
  opts: VerdictOptions = {},
  /** A scan result to reuse (a defect that leaves the scan cells alone): skips the pseudo-experiments. */
  reuseScan?: ScanResult | null,
): EstimatorVerdict {
  if (reuseScan !== undefined) {
    return {
      reachable: summarizeVerdict(name, points, 'reachable', reference, opts),
      model: summarizeVerdict(name, points, 'model', reference, opts),
      scan: reuseScan,
    };
  }
  const obs = new Float64Array(SCAN_CELLS);
  const pred = new Float64Array(SCAN_CELLS);
  let used = 0;
  for (const p of points) {
    const rec = p?.estimators[name];
    if (!p || !rec || rec.status !== 'ok' || !p.scanObs || !rec.scan) continue;
    for (let c = 0; c < SCAN_CELLS; c++) {
      obs[c] += p.scanObs[c] ?? 0;
      pred[c] += finite(rec.scan[c]) || 0;
    }
    used++;
  }
  return {
    reachable: summarizeVerdict(name, points, 'reachable', reference, opts),
    model: summarizeVerdict(name, points, 'model', reference, opts),
    scan: used > 0 ? closureScanP(obs, pred, scanSeed) : null,
  };
}
