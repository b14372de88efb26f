/**
 * SC closure (closureChi2.ts: OC events weighted by ε12/(1 − ε12) against the observed SC yield) in each
 * per-electron feature of the latent electron model (docs/electrons.md), filled once per electron. The features
 * move when the charge flips, so only rates that follow the features — the reachable target P(flip | features)
 * — close in them; a (pT, |η|) binning predicts the OC feature shape for the SC events and fails where the flip
 * moves the feature. Only the features present in the table are done (none for a default sample). The χ² is
 * closureChi2's 'covariance' form: strongly tagged electrons (weights r up to ~20) make the per-bin form
 * over-dispersed (docs/electrons.md §4.1).
 */
import { ELECTRON_FEATURES, type EventTable } from '../../events/columns.js';
import { ClosureAccumulator, type ClosureHistogram } from './closureChi2.js';

const logEdges = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n + 1 }, (_, i) => Number((lo * (hi / lo) ** (i / n)).toPrecision(6)));
const linEdges = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n + 1 }, (_, i) => Number((lo + ((hi - lo) * i) / n).toPrecision(6)));
/** Outer edges far out, so every electron lands in a bin (the outer bins are the overflows). */
const wrap = (edges: number[]): number[] => [-1e9, ...edges, 1e9];

export const FEATURE_CLOSURE_EDGES: Record<(typeof ELECTRON_FEATURES)[number], number[]> = {
  eop: wrap(logEdges(0.9, 8, 12)),
  d0sig: wrap(linEdges(-6, 6, 12)),
  dphiq: wrap(linEdges(-0.04, 0.06, 10)),
  ipix: [-0.5, 0.5, 1.5],
  curvsig: wrap(logEdges(10, 200, 10)),
  reta: wrap(linEdges(0.85, 0.98, 13)),
};

export function featureClosures(table: EventTable, eps1: ArrayLike<number>, eps2: ArrayLike<number>): Record<string, ClosureHistogram> {
  const acc = new FeatureClosureAccumulator();
  acc.add(table, eps1, eps2);
  return acc.result();
}

/** featureClosures chunk by chunk (bit-identical, see ClosureAccumulator); the features are those of the first chunk. */
export class FeatureClosureAccumulator {
  private hists: Map<string, ClosureAccumulator> | undefined;

  add(table: EventTable, eps1: ArrayLike<number>, eps2: ArrayLike<number>): void {
    if (!this.hists) {
      this.hists = new Map();
      for (const f of ELECTRON_FEATURES) {
        if (!table.columns[`${f}1`] || !table.columns[`${f}2`]) continue;
        this.hists.set(f, new ClosureAccumulator(f, FEATURE_CLOSURE_EDGES[f], 'covariance'));
      }
    }
    for (const h of this.hists.values()) h.add(table, eps1, eps2);
  }

  result(): Record<string, ClosureHistogram> {
    const out: Record<string, ClosureHistogram> = {};
    for (const [f, h] of this.hists ?? []) out[f] = h.result();
    return out;
  }
}
