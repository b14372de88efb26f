/**
 * Adapter: the method — φ trained through the constrained pair classifier (eq. 3, src/train/trainModel.ts) —
 * as a study estimator. Options are the trainer's options (features, epochs, ensemble, ocKeep, …) plus
 * `tradeoffEtaSplit` (see networkEstimate.ts); the seed comes from the toy.
 */
import type { Estimator } from './Estimator.js';
import { networkEstimate, trainerOptions } from './networkEstimate.js';

export const phiEstimator: Estimator = async (table, ctx) => {
  const { trainModel } = await import('../../train/trainModel.js');
  const model = await trainModel(table, trainerOptions(ctx), { source: ctx.source, maxThreads: ctx.threads });
  return networkEstimate(model, table, ctx);
};
