/**
 * Adapter: the oracle — the same network trained per electron on the truth flip label
 * (src/train/oracle.ts). It uses information no analysis has and bounds what the reco features allow.
 */
import type { Estimator } from './Estimator.js';
import { networkEstimate, trainerOptions } from './networkEstimate.js';

export const oracleEstimator: Estimator = async (table, ctx) => {
  const { trainOracle } = await import('../../train/oracle.js');
  const model = await trainOracle(table, trainerOptions(ctx), { source: ctx.source, maxThreads: ctx.threads });
  return networkEstimate(model, table, ctx);
};
