/**
 * Plain-JSON form of a binned fit result: typed arrays become arrays, NaN (empty or flat bins) becomes null
 * (JSON has no NaN), nothing else is renamed, so `fit.json` reads like BinnedFitResult.
 */
import type { BinnedFitResult } from './fitBinned.js';

const arr = (x: ArrayLike<number>): (number | null)[] => Array.from(x, (v) => (Number.isFinite(v) ? v : null));
const mat = (m: number[][]): (number | null)[][] => m.map(arr);

export function binnedFitToJson(r: BinnedFitResult): Record<string, unknown> {
  const h = r.identifiability.hessian;
  return {
    status: r.status,
    ...(r.reason != null ? { reason: r.reason } : {}),
    K: r.K,
    labels: r.labels,
    eps: arr(r.eps),
    err: arr(r.err),
    errSandwich: arr(r.errSandwich),
    binStatus: r.binStatus,
    branch: r.branch,
    iterations: r.iterations,
    nll: r.nll,
    gradient: arr(r.gradient),
    gradientNorm: r.gradientNorm,
    cov: mat(r.cov),
    covSandwich: mat(r.covSandwich),
    hessian: mat(r.hessian),
    identifiability: {
      identifiable: r.identifiability.identifiable,
      bipartiteComponents: r.identifiability.bipartiteComponents,
      emptyBins: r.identifiability.emptyBins,
      notes: r.identifiability.notes,
      graph: { edges: r.identifiability.graph.edges, components: r.identifiability.graph.components },
      hessian: {
        bins: h.bins,
        threshold: h.threshold,
        eigenvalues: arr(h.eigenvalues),
        scaledEigenvalues: arr(h.scaledEigenvalues),
        smallest: h.smallest.map((d) => ({ ...d, direction: arr(d.direction) })),
        flat: h.flat.map((d) => ({ ...d, direction: arr(d.direction) })),
      },
    },
    counts: r.counts,
  };
}
