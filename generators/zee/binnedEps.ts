/**
 * A binned truth ε map: values[i][j] for |η| in [absEtaEdges[i], absEtaEdges[i+1]) and pT in
 * [ptEdges[j], ptEdges[j+1]). pT outside the edges uses the nearest bin (the map extrapolates flat);
 * |η| beyond the last edge uses the last row (the config requires that edge to cover the acceptance).
 */
import type { EpsModel } from './analyticEps.js';

export function binnedEps(absEtaEdges: readonly number[], ptEdges: readonly number[], values: readonly (readonly number[])[]): EpsModel {
  const nEta = absEtaEdges.length - 1;
  const nPt = ptEdges.length - 1;
  const flat = new Float64Array(nEta * nPt);
  for (let i = 0; i < nEta; i++) for (let j = 0; j < nPt; j++) flat[i * nPt + j] = values[i]![j]!;
  const etaE = Float64Array.from(absEtaEdges);
  const ptE = Float64Array.from(ptEdges);
  const find = (edges: Float64Array, nBins: number, x: number): number => {
    // Few bins: a linear scan is faster than bisection and allocation-free.
    let b = 0;
    while (b < nBins - 1 && x >= edges[b + 1]!) b++;
    return b;
  };
  return (pt: number, absEta: number): number => flat[find(etaE, nEta, absEta) * nPt + find(ptE, nPt, pt)]!;
}
