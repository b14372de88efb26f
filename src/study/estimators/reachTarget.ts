/**
 * Adapter: the latent electron model's reachable target P(flip | features) (eps_reach1/2, written by the
 * generator; docs/electrons.md) as an estimator — the best a per-electron φ fed those features can do. Per bin:
 * the mean target over the bin's signal electrons (the runner's bin average). Its SC closure in every feature
 * is the reference the features study compares the estimators' closure with. A table without the columns
 * (a default-model sample) is a DataError naming the column.
 */
import { DataError } from '../../errors.js';
import type { Estimator } from './Estimator.js';

export const reachTargetEstimator: Estimator = async (table, ctx) => {
  const r1 = table.columns.eps_reach1;
  const r2 = table.columns.eps_reach2;
  if (!r1 || !r2)
    throw new DataError(
      ctx.source,
      r1 ? 'eps_reach2' : 'eps_reach1',
      'the reachable target needs a latent-electron sample (generator electron.model = latent)',
    );
  return { status: 'ok', electrons: { eps1: Float64Array.from(r1), eps2: Float64Array.from(r2) } };
};
