/**
 * Issue 11, items 2 and 3, on generator samples (not Asimov toys): the identifiability alarm must follow the
 * pairing graph of the populated bins, whatever the minimiser did.
 *   - barrelEndcap pairing (the degeneracy study's bipartite point): every populated bin is 'flat' with NaN
 *     errors, `identifiable` is false, and the study estimator's status is notIdentifiable, which the summary
 *     counts as a failure (never ok). Before the fix the Newton fit pinned one bin at ε = 0 and reported the
 *     others as 'fitted' with small errors.
 *   - every topology, default binning (crack bins empty by the selection): `identifiable` is true and the crack
 *     bins are listed as empty. Before the fix every such fit said identifiable: false.
 * No statistical tolerance: the graph is a deterministic function of the sample.
 */
import { describe, expect, it } from 'vitest';
import { generateEvents } from '../../generators/zee/generateEvents.js';
import { Binning } from '../../src/binning/Binning.js';
import { fitBinnedTable } from '../../src/fit/fitBinned.js';
import { binnedEstimator } from '../../src/study/estimators/binned.js';
import { applyPairing, windowTable } from '../../src/study/prepareTable.js';
import { summarizeEstimator } from '../../src/study/summarizeEstimator.js';
import type { PointRecord } from '../../src/study/toyRecord.js';

async function sample(topology: 'any' | 'barrelEndcap') {
  const { table } = await generateEvents({ events: 150_000, count: 'selected', seed: 'alarms', workers: 0 });
  return windowTable(applyPairing(table!, { topology, etaSplit: 1.37 }));
}

describe('identifiability alarms on generator samples', () => {
  it('bipartite (barrel–endcap) pairing: every populated bin flat with NaN errors, estimator status notIdentifiable', async () => {
    const t = await sample('barrelEndcap');
    const binning = Binning.defaults();
    const fit = fitBinnedTable(t, binning);
    expect(fit.identifiability.identifiable).toBe(false);
    expect(fit.identifiability.bipartiteComponents).toBeGreaterThanOrEqual(1);
    const populated = fit.binStatus.flatMap((s, k) => (s === 'empty' ? [] : [k]));
    expect(populated.length).toBeGreaterThan(4);
    for (const k of populated) {
      expect(fit.binStatus[k], `bin ${k}`).toBe('flat');
      expect(Number.isNaN(fit.err[k]!), `err of bin ${k}`).toBe(true);
      expect(Number.isNaN(fit.errSandwich[k]!), `sandwich err of bin ${k}`).toBe(true);
    }
    const res = await binnedEstimator(t, { binning, seed: 's', options: {}, source: 'test', threads: 1 });
    expect(res.status).toBe('notIdentifiable');
    expect(res.message).toMatch(/bipartite/);
    expect(res.diagnostics?.flagged).toBe(true);
    // The summary never counts it as ok.
    const point = {
      label: 'p',
      events: t.n,
      window: t.n,
      windowSC: 0,
      truth: [],
      count: [],
      estimators: {
        binned: {
          status: res.status,
          eps: [],
          err: [],
          electron: { n: 0, mse: null, meanRelBias: null, phiKappaMean: null, phiKappaRms: null },
          closure: { pt: { chi2: 0, ndf: 0 }, eta: { chi2: 0, ndf: 0 }, m_ee: { chi2: 0, ndf: 0 } },
          diagnostics: res.diagnostics ?? {},
        },
      },
    } as PointRecord;
    const s = summarizeEstimator('binned', [point]);
    expect(s.failures.notIdentifiable).toBe(1);
    expect(s.metrics.failureRate).toBe(1);
    expect(s.metrics.flaggedFraction).toBe(1);
  });

  it('every topology, default binning: identifiable although the crack bins are empty, which are listed apart', async () => {
    const t = await sample('any');
    const binning = Binning.defaults();
    const fit = fitBinnedTable(t, binning);
    expect(fit.status).toBe('converged');
    const crack = [12, 13, 14, 15]; // |η| 1.37–1.52 × 4 pT bins (k = iη·nPt + iPt)
    for (const k of crack) expect(binning.label(k)).toMatch(/1\.37–1\.52/);
    expect(fit.identifiability.emptyBins).toEqual(crack);
    expect(fit.identifiability.bipartiteComponents).toBe(0);
    expect(fit.identifiability.identifiable).toBe(true);
    const res = await binnedEstimator(t, { binning, seed: 's', options: {}, source: 'test', threads: 1 });
    expect(res.status).toBe('ok');
    expect(res.diagnostics?.flagged).toBe(false);
  });
});
