/**
 * Profile-likelihood intervals of the binned fit: at both ends −ln L (profiled over the other bins) is ½
 * above its minimum; at low counts the interval is asymmetric (longer upwards, as for a Poisson mean); a bin
 * with zero flips gets [0, hi] with hi > 0.
 */
import { describe, expect, it } from 'vitest';
import { fitPairCounts } from '../../src/fit/fitBinned.js';
import { binnedNll } from '../../src/fit/binnedLikelihood.js';
import { pairCounts } from '../../src/fit/pairCounts.js';
import { profileIntervals } from '../../src/fit/profileIntervals.js';

/** Two bins: N events per pair type with S same-charge among them (deterministic counts). */
function counts(pairs: { i: number; j: number; n: number; s: number }[]) {
  const bin1: number[] = [];
  const bin2: number[] = [];
  const sc: number[] = [];
  for (const p of pairs) {
    for (let e = 0; e < p.n; e++) {
      bin1.push(p.i);
      bin2.push(p.j);
      sc.push(e < p.s ? 1 : 0);
    }
  }
  return pairCounts({ bin1: Int32Array.from(bin1), bin2: Int32Array.from(bin2), sc: Uint8Array.from(sc) }, 2);
}

describe('profileIntervals', () => {
  it('ends at Delta(-ln L) = 1/2, asymmetric at low counts', () => {
    const pc = counts([
      { i: 0, j: 0, n: 20000, s: 400 },
      { i: 0, j: 1, n: 3000, s: 12 },
      { i: 1, j: 1, n: 500, s: 1 },
    ]);
    const fit = fitPairCounts(pc);
    const { lo, hi } = profileIntervals(pc, fit);
    for (let k = 0; k < 2; k++) {
      expect(lo[k]!).toBeGreaterThan(0);
      expect(hi[k]!).toBeGreaterThan(lo[k]!);
    }
    // Bin 1 (~13 flips' worth): the upper side is clearly longer than the lower one.
    expect(hi[1]! / lo[1]!).toBeGreaterThan(1.1);
    // Check the crossing: fix bin 1 at its upper end, minimise bin 0 by a fine 1D scan.
    const nll0 = binnedNll(fit.eps, pc);
    const x = fit.eps[1]! + hi[1]!;
    let best = Infinity;
    for (let t = -400; t <= 400; t++) {
      const e0 = fit.eps[0]! * (1 + t * 1e-4);
      best = Math.min(best, binnedNll(Float64Array.from([e0, x]), pc));
    }
    expect(best - nll0).toBeCloseTo(0.5, 3);
  });

  it('a bin with zero same-charge events has [0, hi], hi > 0', () => {
    const pc = counts([
      { i: 0, j: 0, n: 20000, s: 400 },
      { i: 0, j: 1, n: 3000, s: 60 },
      { i: 1, j: 1, n: 300, s: 0 },
    ]);
    const fit = fitPairCounts(pc);
    const { lo, hi } = profileIntervals(pc, fit);
    expect(lo[1]! >= 0 && hi[1]! > 0).toBe(true);
  });
});
