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
import { z } from 'zod';
import { zodConfigError } from '../../config/zodConfigError.js';
import { accumulatorOptions, fitAccumulated, type BinnedTableFitOptions } from '../../fit/fitBinned.js';
import { BinnedTableAccumulator } from '../../fit/BinnedTableAccumulator.js';
import { pairProfileIntervals } from '../../fit/pairProfileIntervals.js';
import { notIdentifiableMessage, type Estimator, type EstimatorContext, type EstimatorResult } from './Estimator.js';

/** The binned estimator's options; unknown keys are refused (a typo must not be silently ignored). */
export const BinnedOptionsSchema = z.strictObject({
  errors: z.enum(['hessian', 'sandwich']).default('hessian'),
  maxIterations: z.number().int().positive().optional(),
  /** Profile-likelihood intervals beside the Hessian errors (a fit per bin and side: the costly part of a toy). */
  profileIntervals: z.boolean().default(true),
});
type BinnedOptions = z.output<typeof BinnedOptionsSchema>;

export const binnedEstimator: Estimator = async (table, ctx) => {
  const acc = binnedAccumulator(ctx);
  acc.add(table);
  const w = table.columns.w;
  let nonNegative = true;
  for (let e = 0; w && e < table.n && nonNegative; e++) if (!(w[e]! >= 0)) nonNegative = false;
  return binnedFromAccumulator(acc, ctx, nonNegative);
};

/**
 * The fit's input gathered chunk by chunk (all rows of each chunk, weights `w`): binnedEstimator feeds it the
 * whole table, a streamed toy (src/study/streamToy.ts) one generated block at a time, with the same result
 * bit for bit (BinnedTableAccumulator). Options are checked here, before any event is added.
 */
export function binnedAccumulator(ctx: EstimatorContext): BinnedTableAccumulator {
  const parsed = BinnedOptionsSchema.safeParse(ctx.options);
  if (!parsed.success) throw zodConfigError(parsed.error, ctx.options, ctx.source, 'options');
  return new BinnedTableAccumulator(ctx.binning, accumulatorOptions(fitOptions(ctx, parsed.data)));
}

function fitOptions(ctx: EstimatorContext, o: BinnedOptions): BinnedTableFitOptions {
  return { region: 'all', weightColumn: 'w', source: ctx.source, ...(o.maxIterations != null ? { maxIterations: o.maxIterations } : {}) };
}

/**
 * The estimate from the accumulated events. `nonNegativeWeights`: every added row's weight is ≥ 0 (then the
 * weighted likelihood is one, and its profile intervals mean something; src/fit/pairProfileIntervals.ts).
 */
export function binnedFromAccumulator(acc: BinnedTableAccumulator, ctx: EstimatorContext, nonNegativeWeights: boolean): EstimatorResult {
  const options = BinnedOptionsSchema.parse(ctx.options);
  const { errors, profileIntervals } = options;
  const res = fitAccumulated(acc, ctx.binning, fitOptions(ctx, options));
  const comps = res.identifiability.graph.components;
  const bipartite = comps.filter((c) => c.bipartite && !c.empty).length;
  const flat = res.identifiability.hessian.flat.length;
  const branch = res.branch;
  // A populated bipartite component or a flat direction: the bins there are not measured, so the estimate is
  // not judged (status notIdentifiable, counted as a failure by the summary), whatever the minimiser did.
  const status =
    res.status !== 'converged'
      ? 'notConverged'
      : branch === 'high' || branch === 'mixed'
        ? 'unphysicalBranch'
        : bipartite > 0 || flat > 0
          ? 'notIdentifiable'
          : 'ok';
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
    bins: {
      eps: res.eps,
      err: errors === 'sandwich' ? res.errSandwich : res.err,
      // Profile-likelihood intervals (ΔlnL = ½) beside the Hessian errors, where the likelihood is one.
      ...(errors === 'hessian' && profileIntervals && res.status === 'converged'
        ? nonNegativeWeights
          ? pairProfileIntervals(acc.result().pairs, res)
          : {}
        : {}),
    },
    diagnostics: {
      flagged: bipartite > 0 || flat > 0,
      bipartiteComponents: bipartite,
      flatDirections: flat,
      smallestScaledEigenvalue: res.identifiability.hessian.smallest[0]?.relative ?? null,
      branch,
      iterations: res.iterations,
    },
  };
}
