/**
 * Adapter: the standard binned likelihood fit (src/fit/fitBinned.ts) as a study estimator. The table arrives
 * with its weights already set (window, or window + sidebands with subtraction weights), so the fit runs on
 * all rows with the `w` column. Errors are the inverse-Hessian ones (ΔlnL = ½); `errors: "sandwich"` in the
 * options switches to the sandwich errors (correct for weighted events).
 *
 * Diagnostics: `flagged` is true when the fit's identifiability report finds a populated bipartite component
 * of the pairing graph or a flat Hessian direction (bins with no events at all are not counted: they are
 * unconstrained, not degenerate).
 */
import { ConfigError } from '../../errors.js';
import { fitBinnedTable } from '../../fit/fitBinned.js';
import { notIdentifiableMessage, type Estimator } from './Estimator.js';

export const binnedEstimator: Estimator = async (table, ctx) => {
  const errors = ctx.options.errors ?? 'hessian';
  if (errors !== 'hessian' && errors !== 'sandwich') throw new ConfigError('options.errors', errors, '"hessian" or "sandwich"', ctx.source);
  const maxIterations = ctx.options.maxIterations;
  if (maxIterations != null && !(Number.isInteger(maxIterations) && (maxIterations as number) > 0))
    throw new ConfigError('options.maxIterations', maxIterations, 'a positive integer', ctx.source);
  const res = fitBinnedTable(table, ctx.binning, {
    region: 'all',
    weightColumn: 'w',
    source: ctx.source,
    ...(maxIterations != null ? { maxIterations: maxIterations as number } : {}),
  });
  const comps = res.identifiability.graph.components;
  const bipartite = comps.filter((c) => c.bipartite && !c.empty).length;
  const flat = res.identifiability.hessian.flat.length;
  const branch = res.branch;
  // A populated bipartite component or a flat direction: the bins there are not measured, so the estimate is
  // not judged (status notIdentifiable, counted as a failure by the summary), whatever the minimiser did.
  const status = res.status !== 'converged' ? 'notConverged' : branch === 'high' || branch === 'mixed' ? 'unphysicalBranch' : bipartite > 0 || flat > 0 ? 'notIdentifiable' : 'ok';
  const reason = res.reason ?? (status === 'notIdentifiable' ? notIdentifiableMessage(res.identifiability.notes) : undefined);
  const component = new Array<number>(res.K).fill(-1);
  comps.forEach((c, ci) => c.bins.forEach((b) => (component[b] = ci)));
  return {
    status,
    graph: {
      edges: res.identifiability.graph.edges.map(([i, j]) => [i, j] as [number, number]),
      component,
      bipartite: comps.flatMap((c, ci) => (c.bipartite && !c.empty ? [ci] : [])),
      flatDirections: flat,
    },
    ...(reason != null ? { message: reason } : {}),
    bins: { eps: res.eps, err: errors === 'sandwich' ? res.errSandwich : res.err },
    diagnostics: {
      flagged: bipartite > 0 || flat > 0,
      bipartiteComponents: bipartite,
      flatDirections: flat,
      smallestScaledEigenvalue: res.identifiability.hessian.smallest[0]?.relative ?? null,
      branch,
      iterations: res.iterations,
    },
  };
};
