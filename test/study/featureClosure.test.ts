/**
 * SC closure in the latent electron's features (src/study/metrics/featureClosure.ts) and the per-electron MSE
 * to the reachable target (electronMetrics.mseReach). On one seeded latent sample (flip rates ×10):
 *   - the reachable target itself closes in every feature: χ²/ndf within 4σ of 1 (σ = √(2/ndf)); 6 features →
 *     family-wise false-alarm rate ≈ 6·3e-5 (normal approximation of χ²);
 *   - power: the (|η|)-binned mean of the same target, which carries the right rates but not their feature
 *     dependence, fails in the features that move on a flip (q·Δφ, pixel hit) by far more than 4σ;
 *   - the exact null's family-wise p (closureNull.ts) is above 0.01 for the target (a 1 % false alarm on this
 *     one seeded sample) and at most (1 + F)/(R + 1) for the binned mean (beyond every replica);
 *   - mseReach is 0 for the target itself and positive for the binned mean; it is absent (NaN) without the columns.
 */
import { describe, expect, it } from 'vitest';
import { generateEvents } from '../../generators/zee/generateEvents.js';
import { featureClosures } from '../../src/study/metrics/featureClosure.js';
import { electronMetrics } from '../../src/study/metrics/electronMetrics.js';
import { windowTable } from '../../src/study/prepareTable.js';

describe('feature closure and mseReach', () => {
  it('the reachable target closes in every feature; a (|η|)-binned rate fails where the flip moves the feature', async () => {
    const gen = await generateEvents({
      config: { electron: { model: 'latent', trident: { a0: 0.2 } } },
      events: 120000,
      seed: 21,
      workers: 0,
    });
    const t = windowTable(gen.table!);
    const r1 = t.columns.eps_reach1!;
    const r2 = t.columns.eps_reach2!;
    const goodAll = featureClosures(t, r1, r2, 'good', 2000);
    const good = goodAll.hists;
    expect(Object.keys(good).sort()).toEqual(['curvsig', 'd0sig', 'dphiq', 'eop', 'ipix', 'reta']);
    for (const [f, h] of Object.entries(good)) {
      expect(h.ndf, f).toBeGreaterThan(0);
      expect(Math.abs(h.chi2 / h.ndf - 1), f).toBeLessThan(4 * Math.sqrt(2 / h.ndf));
    }
    // Binned mean of the target in |η| (the rates a (pT, |η|) fit could at best reach).
    const edges = [0, 0.6, 1.1, 1.52, 2.0, 2.5];
    const sum = new Float64Array(edges.length);
    const cnt = new Float64Array(edges.length);
    const bin = (eta: number): number =>
      edges.findIndex((e, j) => j < edges.length - 1 && Math.abs(eta) >= e && Math.abs(eta) < edges[j + 1]!);
    for (let i = 0; i < t.n; i++) {
      const b1 = bin(t.columns.eta1![i]!);
      const b2 = bin(t.columns.eta2![i]!);
      sum[b1] += r1[i]!;
      cnt[b1]++;
      sum[b2] += r2[i]!;
      cnt[b2]++;
    }
    const e1 = Float64Array.from(t.columns.eta1!, (x) => sum[bin(x)]! / cnt[bin(x)]!);
    const e2 = Float64Array.from(t.columns.eta2!, (x) => sum[bin(x)]! / cnt[bin(x)]!);
    const badAll = featureClosures(t, e1, e2, 'bad', 2000);
    const bad = badAll.hists;
    for (const f of ['dphiq', 'ipix']) expect(bad[f]!.chi2 / bad[f]!.ndf, f).toBeGreaterThan(1 + 10 * Math.sqrt(2 / bad[f]!.ndf));
    // The exact null (closureNull.ts, 2000 replicas): beyond every replica, a feature's p is 1/2001; the
    // family-wise min-p then counts the replicas at the top of each of the 6 features: at most 7/2001.
    for (const f of ['dphiq', 'ipix']) expect(badAll.null!.p[f], f).toBe(1 / 2001);
    expect(badAll.null!.family).toBeLessThanOrEqual(7 / 2001);
    expect(goodAll.null!.family).toBeGreaterThan(0.01);
    expect(electronMetrics(t, r1, r2).mseReach).toBe(0);
    expect(electronMetrics(t, e1, e2).mseReach).toBeGreaterThan(0);
    const plain = await generateEvents({ events: 3000, seed: 1, workers: 0 });
    expect(electronMetrics(plain.table!, plain.table!.columns.truth_eps1!, plain.table!.columns.truth_eps2!).mseReach).toBeNaN();
    const none = featureClosures(plain.table!, plain.table!.columns.truth_eps1!, plain.table!.columns.truth_eps2!, 'none');
    expect(Object.keys(none.hists)).toEqual([]);
    expect(none.null).toBeUndefined();
  });
});
