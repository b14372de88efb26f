// A complete test file a user puts in their own repository (vitest; jest is the same with its own imports).
// It checks an estimator function against the bench's properties; a failure message names the property, the
// failed comparison, the seed and the fast-check replay path. The bench runs this very file in its own CI.
import { describe, it } from 'vitest';
import {
  assertPassed,
  fitBinnedTable,
  flagsNonIdentifiablePairings,
  hasCalibratedPulls,
  isInvariantUnderRelabelling,
  recoversSmoothFamilies,
  staysOnPhysicalBranch,
  type Estimator,
} from 'qmisid-bench';

// Your estimator: per-bin (or per-electron) rates from the events it is given. Here a binned likelihood fit
// stands in for it. `table.columns` holds pt1, eta1, phi1, q1, …, sc (1 = same charge) and w (weights);
// ctx.binning is the (|η|, pT) binning the check compares in.
const myEstimator: Estimator = async (table, ctx) => {
  const fit = fitBinnedTable(table, ctx.binning, { region: 'all', weightColumn: 'w' });
  const bipartite = fit.identifiability.graph.components.some((c) => c.bipartite && !c.empty);
  return {
    status: fit.status === 'converged' ? 'ok' : 'notConverged',
    bins: { eps: fit.eps, err: fit.errSandwich },
    // Say when the data cannot fix the rates (a bipartite pairing graph): the identifiability property asks for it.
    diagnostics: { flagged: bipartite },
  };
};

describe('my charge-flip estimator', () => {
  it('recovers smooth ε(pT, |η|)', async () => assertPassed(await recoversSmoothFamilies(myEstimator)));
  it('stays on the physical branch', async () => assertPassed(await staysOnPhysicalBranch(myEstimator)));
  it('flags a bipartite pairing', async () => assertPassed(await flagsNonIdentifiablePairings(myEstimator)));
  it('does not depend on event order or e1 ↔ e2', async () => assertPassed(await isInvariantUnderRelabelling(myEstimator)));
  it('reports errors that cover', async () => assertPassed(await hasCalibratedPulls(myEstimator)));
});
