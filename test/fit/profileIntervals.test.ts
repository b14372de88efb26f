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
import { accumulatorOptions, fitAccumulated } from '../../src/fit/fitBinned.js';
import { BinnedTableAccumulator } from '../../src/fit/BinnedTableAccumulator.js';
import { Binning } from '../../src/binning/Binning.js';
import { deriveSeed } from '../../src/rng.js';
import { loadStudy } from '../../src/study/loadStudy.js';
import { resolveStudy } from '../../src/study/resolveStudy.js';
import { generate, toySeed } from '../../src/study/runToy.js';
import { windowTable } from '../../src/study/prepareTable.js';

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

describe('profileIntervals on a generated toy', () => {
  // Toy 90 of closure's quick null run (3·10^5 Z): bin 4 (|η| 0.5–1, pT 25–60 GeV) expects ~13 flips and is
  // fitted to 0. Scanning down from ε̂ + σ_Hessian with only a warm start, the other bins stayed where the
  // first point had moved them and the upper error came out 2·10⁻⁸.
  it('every end is at least ½ above the minimum with the other bins held at the fit (the profile lies below that)', () => {
    const { study: raw, source } = loadStudy('closure');
    const study = resolveStudy({ ...raw, seed: deriveSeed(raw.seed, 'null') } as typeof raw, { quick: true, source });
    const point = study.points[0]!;
    let table = generate(point.generator, point.events, deriveSeed(toySeed(study, 90), 'events'));
    table = windowTable(table);
    const binning = Binning.fromEdges(study.binning.eta, study.binning.pt);
    const o = { region: 'all' as const, weightColumn: 'w', source: 'toy 90' };
    const acc = new BinnedTableAccumulator(binning, accumulatorOptions(o));
    acc.add(table);
    const fit = fitAccumulated(acc, binning, o);
    const pc = acc.result().pairs;
    const { lo, hi } = profileIntervals(pc, fit);
    const best = Float64Array.from(fit.eps, (e) => (Number.isFinite(e) ? e : 0));
    const nll0 = binnedNll(best, pc);
    const held = (k: number, x: number) => {
      const w = Float64Array.from(best);
      w[k] = x;
      return binnedNll(w, pc) - nll0;
    };
    expect(fit.binStatus[4]).toBe('zero');
    // The ends are bisected to 10⁻⁴ of the Hessian error, so they sit within ~10⁻⁴ of ½ in −ln L: 10⁻³ of slack.
    let checked = 0;
    for (let k = 0; k < fit.K; k++) {
      if (!Number.isFinite(hi[k]!) || !(fit.eps[k]! + hi[k]! < 0.5)) continue;
      expect(held(k, best[k]! + hi[k]!), `bin ${k} upper end`).toBeGreaterThan(0.499);
      // A lower end at ε = 0 is the boundary (no crossing above it), not a ½ crossing.
      if (best[k]! - lo[k]! > 0) expect(held(k, best[k]! - lo[k]!), `bin ${k} lower end`).toBeGreaterThan(0.499);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });
});
