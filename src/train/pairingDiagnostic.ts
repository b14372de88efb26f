/**
 * Identifiability of φ from its training sample (issue 11 item 4). The pair loss only sees ε through
 * ε12(e1, e2) (eq. 1, 3); if the sample's pairing graph in a coarse (|η|, pT) binning has a populated bipartite
 * component — e.g. every event one barrel and one endcap electron — then ε_A + δ, ε_B − δ (eq. 5; exactly:
 * u_A + δ, u_B − δ with u = ln(1 − 2ε)) fits the data as well for any δ, and what the network returns along
 * that direction is set by its initialisation and smoothness, not by the data. Ensemble members started the
 * same way agree with each other there, so their spread does not reveal it; the graph does, deterministically.
 * Edges are the pair categories with positive Σw over the events the loss describes (w > 0; negative
 * sideband weights are a background model, not data). Empty bins are listed apart (not an alarm).
 */
import type { Binning } from '../binning/Binning.js';
import { describeFlatComponent, pairingGraph } from '../identifiability/pairingGraph.js';
import type { TrainingSet } from './trainingSet.js';
import { mapTyped } from '../util/mapTyped.js';

export interface PairingDiagnostic {
  binning: { eta: number[]; pt: number[] };
  /** Every populated component has an odd cycle. */
  identifiable: boolean;
  bipartiteComponents: number;
  emptyBins: number;
  /** One line per bipartite component: the flat direction in words (which bins go up, which down). */
  notes: string[];
}

export function pairingDiagnostic(set: TrainingSet, binning: Binning): PairingDiagnostic | undefined {
  if (!set.bins) return undefined;
  const w = mapTyped(Float64Array, set.w, (v) => (v > 0 ? v : 0));
  const g = pairingGraph(set.bins.bin1, set.bins.bin2, set.bins.K, w);
  const bip = g.components.filter((c) => c.bipartite && !c.empty);
  const labels = binning.labels();
  return {
    binning: { eta: [...binning.etaEdges], pt: [...binning.ptEdges] },
    identifiable: bip.length === 0,
    bipartiteComponents: bip.length,
    emptyBins: g.components.filter((c) => c.empty).length,
    notes: bip.map((c) => `bipartite pairing, epsilon not identified along: ${describeFlatComponent(c, labels)}`),
  };
}
