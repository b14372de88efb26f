/**
 * Adapter: the forward-folded binned fit (src/fit/fitFolded.ts) as a study estimator. It needs the parents
 * outside the window, so the runner hands it the whole selected table (window and sidebands, generated
 * weights); the fit applies its own window. Options (checked here, unknown keys rejected):
 *   response  { lossMean, extraSmear } — the flip response R the fit assumes (required; per scan point it is
 *             set to the generator's detector.flip, or deliberately mis-set to measure the systematic)
 *   replicas  Monte Carlo draws of R per parent and leg (default 16)
 *   window, range, ptMin — fit window, parent range and pT thresholds (defaults: the selection defaults of
 *             src/selection, i.e. a fixed window whatever the point's generator selection)
 *   parents   'oc' (default) | 'all' (see fitFolded.ts)
 *   errors    'sandwich' (default: the OC parents' own fluctuation is in it) | 'hessian'
 * The Monte Carlo seed is the estimator's seed from the toy.
 */
import { z } from 'zod';
import { DEFAULT_REPLICAS, fitFoldedTable } from '../../fit/fitFolded.js';
import { MAX_REPLICAS } from '../../fit/flipMigration.js';
import { zodConfigError } from '../../config/zodConfigError.js';
import { notIdentifiableMessage, type Estimator } from './Estimator.js';
import { SELECTION_DEFAULTS, selectedMassRange } from '../../selection/selection.js';
import { flipResponseSchema } from '../../fit/flipResponse.js';

const range = z.tuple([z.number().finite(), z.number().finite()]);

export const FoldedOptionsSchema = z.strictObject({
  response: flipResponseSchema,
  replicas: z.number().int().min(1).max(MAX_REPLICAS).default(DEFAULT_REPLICAS),
  window: range.default([...SELECTION_DEFAULTS.window]),
  range: range.default(selectedMassRange(SELECTION_DEFAULTS)),
  ptMin: z.tuple([z.number().finite().nonnegative(), z.number().finite().nonnegative()]).default([...SELECTION_DEFAULTS.ptMin]),
  parents: z.enum(['oc', 'all']).default('oc'),
  errors: z.enum(['sandwich', 'hessian']).default('sandwich'),
  maxIterations: z.number().int().positive().optional(),
});

export const binnedFoldedEstimator: Estimator = async (table, ctx) => {
  const parsed = FoldedOptionsSchema.safeParse(ctx.options);
  if (!parsed.success) throw zodConfigError(parsed.error, ctx.options, ctx.source, 'options');
  const o = parsed.data;
  const res = fitFoldedTable(table, ctx.binning, {
    response: o.response,
    replicas: o.replicas,
    window: o.window,
    range: o.range,
    ptMin: o.ptMin,
    parents: o.parents,
    seed: ctx.seed,
    weightColumn: 'w',
    source: ctx.source,
    ...(o.maxIterations != null ? { maxIterations: o.maxIterations } : {}),
  });
  const comps = res.identifiability.graph.components;
  const bipartite = comps.filter((c) => c.bipartite && !c.empty).length;
  const flat = res.identifiability.hessian.flat.length;
  const status =
    res.status !== 'converged'
      ? 'notConverged'
      : res.branch === 'high' || res.branch === 'mixed'
        ? 'unphysicalBranch'
        : bipartite > 0 || flat > 0
          ? 'notIdentifiable'
          : 'ok';
  const reason = res.reason ?? (status === 'notIdentifiable' ? notIdentifiableMessage(res.identifiability.notes) : undefined);
  return {
    status,
    ...(reason != null ? { message: reason } : {}),
    bins: { eps: res.eps, err: o.errors === 'sandwich' ? res.errSandwich : res.err },
    diagnostics: {
      flagged: bipartite > 0 || flat > 0,
      bipartiteComponents: bipartite,
      flatDirections: flat,
      branch: res.branch,
      iterations: res.iterations,
      lostFraction: res.folding.counts.lostFraction,
      unreachableCells: res.folding.unreachableCells.length,
      expectedSC: res.folding.expectedSC,
      observedSC: res.folding.observedSC,
    },
  };
};
