/**
 * The binned fit on seeded toys: recovery, pull widths (ΔlnL = ½ errors), weighted errors (sandwich),
 * boundary and empty bins, failure reporting, typed errors on bad input.
 */
import { describe, expect, it } from 'vitest';
import { fitBinned } from '../../src/fit/fitBinned.js';
import { binnedNll } from '../../src/fit/binnedLikelihood.js';
import { pairCounts } from '../../src/fit/pairCounts.js';
import { sidebandSubtractionWeights } from '../../src/fit/sidebandWeights.js';
import { SELECTION_DEFAULTS, sidebandFactor } from '../../src/selection/selection.js';
import { DataError, ConfigError } from '../../src/errors.js';
import { createRng, deriveSeed } from '../../src/rng.js';
import { mean, sampleStandardDeviation } from '../../src/stats/index.js';
import { allPairs, toyPairs } from './toyPairs.js';
import { Matrix, CholeskyDecomposition } from 'ml-matrix';

const sd = sampleStandardDeviation;

/** Whitened residuals L⁻¹(ε̂ − ε) with cov = LLᵀ: K independent N(0, 1) per toy if cov is right. */
function whitened(epsHat: Float64Array, truth: readonly number[], cov: number[][]): number[] {
  const L = new CholeskyDecomposition(new Matrix(cov)).lowerTriangularMatrix;
  const K = truth.length;
  const z: number[] = [];
  for (let i = 0; i < K; i++) {
    let s = epsHat[i]! - truth[i]!;
    for (let j = 0; j < i; j++) s -= L.get(i, j) * z[j]!;
    z.push(s / L.get(i, i));
  }
  return z;
}

describe('fitBinned on toys', () => {
  it('recovers known ε within 4σ (σ from its own Hessian), including large ε where 2εε matters', () => {
    const truth = [3e-4, 2e-3, 1e-2, 0.05, 0.3];
    const t = toyPairs('fit/recover', truth, allPairs(5, 20000));
    const r = fitBinned({ bin1: t.bin1, bin2: t.bin2, sc: t.sc }, 5);
    expect(r.status).toBe('converged');
    expect(r.branch).toBe('low');
    expect(r.identifiability.identifiable).toBe(true);
    expect(r.gradientNorm).toBeLessThan(1e-6 * Math.sqrt(r.hessian[0]![0]!));
    for (let k = 0; k < 5; k++) {
      expect(r.binStatus[k]).toBe('fitted');
      expect(Math.abs(r.eps[k]! - truth[k]!) / r.err[k]!).toBeLessThan(4);
    }
  });

  it('err is the ΔlnL = ½ point: one bin, −ln L rises by ½ at ε̂ ± σ (to 2 %, the cubic term at S ≈ 2000)', () => {
    const t = toyPairs('fit/delta-lnl', [0.01], [{ i: 0, j: 0, n: 100000 }]);
    const r = fitBinned({ bin1: t.bin1, bin2: t.bin2, sc: t.sc }, 1);
    const pc = pairCounts({ bin1: t.bin1, bin2: t.bin2, sc: t.sc }, 1);
    for (const sign of [-1, 1]) {
      const d = binnedNll(Float64Array.of(r.eps[0]! + sign * r.err[0]!), pc) - r.nll;
      expect(Math.abs(d - 0.5)).toBeLessThan(0.01);
    }
  });

  it('ΔlnL = ½ errors match the toy-to-toy spread: whitened pulls have mean 0 and width 1 (60 toys × 5 bins)', () => {
    // Pulls are whitened with the fit's full covariance so the 5 per toy are independent: n = 300 values.
    // Standard errors: mean 1/√n = 0.058, width ≈ 1/√(2(n−1)) = 0.041; tolerance 4σ. Errors overstated by
    // √2 (ΔlnL = 1) would give width 0.71: 7σ away.
    const truth = [1e-3, 3e-3, 8e-3, 2e-2, 5e-2];
    const z: number[] = [];
    const zFromErr1: number[] = [];
    for (let toy = 0; toy < 60; toy++) {
      const t = toyPairs(deriveSeed('fit/pulls', toy), truth, allPairs(5, 3000));
      const r = fitBinned({ bin1: t.bin1, bin2: t.bin2, sc: t.sc }, 5);
      expect(r.status).toBe('converged');
      z.push(...whitened(r.eps, truth, r.cov));
      zFromErr1.push(
        ...whitened(
          r.eps,
          truth,
          r.cov.map((row) => row.map((v) => 2 * v)),
        ),
      );
    }
    const n = z.length;
    expect(Math.abs(mean(z))).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(sd(z) - 1)).toBeLessThan(4 / Math.sqrt(2 * (n - 1)));
    // The same check rejects the ΔlnL = 1 convention.
    expect(Math.abs(sd(zFromErr1) - 1)).toBeGreaterThan(4 / Math.sqrt(2 * (n - 1)));
  });

  it('sideband-subtracted weights: sandwich pulls have width 1, the plain Hessian ones do not (100 toys × 3 bins)', () => {
    // Window: signal pairs (flips from ε) plus background with a 2 % same-charge rate, as many background
    // same-charge events as signal ones in the lowest bin pair; sidebands hold twice the window's background
    // and get weight −0.5, so Σw subtracts it in expectation. Same-charge sums stay > 4σ above 0, so no pair
    // is clamped. n = 300 whitened pulls: mean SE 0.058, width SE 0.041, tolerance 4σ. The Hessian errors
    // ignore the subtracted background's variance (≈ 60 vs 40 signal SC in pair (0, 0)), so their width is
    // well above 1.
    const truth = [2e-3, 4e-3, 8e-3];
    const pairs = allPairs(3, 10000);
    const zs: number[] = [];
    const zh: number[] = [];
    for (let toy = 0; toy < 100; toy++) {
      const rng = createRng(deriveSeed('fit/sideband-pulls', toy));
      const sig = toyPairs(rng, truth, pairs);
      const bkg: { b1: number[]; b2: number[]; sc: number[]; w: number[] } = { b1: [], b2: [], sc: [], w: [] };
      for (const p of pairs) {
        const nWin = rng.poisson(2000);
        const nSide = rng.poisson(4000);
        for (let e = 0; e < nWin + nSide; e++) {
          bkg.b1.push(p.i);
          bkg.b2.push(p.j);
          bkg.sc.push(rng.uniform() < 0.02 ? 1 : 0);
          bkg.w.push(e < nWin ? 1 : sidebandFactor(SELECTION_DEFAULTS));
        }
      }
      const r = fitBinned(
        {
          bin1: Int32Array.from([...sig.bin1, ...bkg.b1]),
          bin2: Int32Array.from([...sig.bin2, ...bkg.b2]),
          sc: Uint8Array.from([...sig.sc, ...bkg.sc]),
          w: Float64Array.from([...sig.w, ...bkg.w]),
        },
        3,
      );
      expect(r.status).toBe('converged');
      expect(r.counts.clampedPairs).toEqual([]);
      zs.push(...whitened(r.eps, truth, r.covSandwich));
      zh.push(...whitened(r.eps, truth, r.cov));
    }
    const n = zs.length;
    const tolSd = 4 / Math.sqrt(2 * (n - 1));
    expect(Math.abs(mean(zs))).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(sd(zs) - 1)).toBeLessThan(tolSd);
    expect(sd(zh) - 1).toBeGreaterThan(tolSd);
  });

  it('weights that only rescale (w = 2 for all): same ε, Hessian error shrinks by √2, sandwich error does not', () => {
    const truth = [2e-3, 1e-2, 4e-2];
    const t = toyPairs('fit/rescale', truth, allPairs(3, 10000));
    const a = fitBinned({ bin1: t.bin1, bin2: t.bin2, sc: t.sc }, 3);
    const b = fitBinned({ bin1: t.bin1, bin2: t.bin2, sc: t.sc, w: new Float64Array(t.sc.length).fill(2) }, 3);
    for (let k = 0; k < 3; k++) {
      expect(b.eps[k]! / a.eps[k]! - 1).toBeCloseTo(0, 9);
      expect(a.err[k]! / b.err[k]!).toBeCloseTo(Math.SQRT2, 9);
      expect(b.errSandwich[k]! / a.errSandwich[k]!).toBeCloseTo(1, 9);
    }
  });

  it('a bin with no same-charge events is fixed at ε = 0 with a one-sided error; an unpopulated bin is empty', () => {
    const t = toyPairs(
      'fit/zero',
      [0, 0.01, 0.02, 0.5],
      [
        { i: 0, j: 0, n: 2000 },
        { i: 0, j: 1, n: 2000 },
        { i: 1, j: 1, n: 5000 },
        { i: 1, j: 2, n: 5000 },
        { i: 2, j: 2, n: 5000 },
      ],
    );
    const r = fitBinned({ bin1: t.bin1, bin2: t.bin2, sc: t.sc }, 4, { labels: ['a', 'b', 'c', 'd'] });
    expect(r.status).toBe('converged');
    expect(r.binStatus).toEqual(['zero', 'fitted', 'fitted', 'empty']);
    expect(r.eps[0]).toBe(0);
    // Bin 0 pairs with bin 1 (whose flips make SC events), so it is fitted and driven to the boundary.
    // Slope of −ln L at ε_0 = 0: self pair 2·N (no SC), pair (0, 1): (N − S_01/ε_1)(1 − 2ε_1).
    let s01 = 0;
    for (let e = 0; e < t.sc.length; e++) if (t.bin1[e]! + t.bin2[e]! === 1) s01 += t.sc[e]!;
    const slope = 4000 + (2000 - s01 / r.eps[1]!) * (1 - 2 * r.eps[1]!);
    expect(slope).toBeGreaterThan(0);
    expect(r.gradient[0]! / slope - 1).toBeCloseTo(0, 9);
    expect(r.err[0]! / (0.5 / slope) - 1).toBeCloseTo(0, 9);
    expect(Number.isNaN(r.eps[3]!)).toBe(true);
    // An empty bin is reported as such and does not raise the identifiability alarm (issue 11 item 3).
    expect(r.identifiability.identifiable).toBe(true);
    expect(r.identifiability.emptyBins).toEqual([3]);
    expect(r.identifiability.notes.join('\n')).toContain('bin 3 (d) has no events');
  });

  it('a fit that cannot converge is reported as failed with a reason, with its last state', () => {
    const t = toyPairs('fit/fail', [1e-3, 1e-2], allPairs(2, 5000));
    const r = fitBinned({ bin1: t.bin1, bin2: t.bin2, sc: t.sc }, 2, { maxIterations: 1 });
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/iteration limit 1/);
    expect(r.eps.every(Number.isFinite)).toBe(true);
  });

  it('same-charge fraction above ½ pins ε at the ½ boundary and fails', () => {
    const n = 100;
    const bin = new Int32Array(n);
    const sc = Uint8Array.from({ length: n }, (_, e) => (e < 80 ? 1 : 0));
    const r = fitBinned({ bin1: bin, bin2: bin, sc }, 1);
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/ε at the ½ boundary for bins 0/);
  });
});

describe('fitBinned rejects bad input with typed errors', () => {
  const ok = { bin1: Int32Array.of(0, 1), bin2: Int32Array.of(1, 1), sc: Uint8Array.of(0, 1) };
  it('empty data', () => {
    expect(() => fitBinned({ bin1: new Int32Array(0), bin2: new Int32Array(0), sc: new Uint8Array(0) }, 2)).toThrow(DataError);
  });
  it('bin outside 0..K-1, with the column and value', () => {
    expect(() => fitBinned({ ...ok, bin2: Int32Array.of(1, 5) }, 2)).toThrow(/bin2.*outside 0\.\.1.*got 5/);
  });
  it('NaN weight / sc not 0 or 1 / length mismatch', () => {
    expect(() => fitBinned({ ...ok, w: Float64Array.of(1, NaN) }, 2)).toThrow(/column w: non-finite weight at row 2/);
    expect(() => fitBinned({ ...ok, sc: Float64Array.of(0, 0.5) }, 2)).toThrow(/column sc: expected 0 or 1/);
    expect(() => fitBinned({ ...ok, sc: Uint8Array.of(0) }, 2)).toThrow(DataError);
  });
});

describe('sideband weights', () => {
  it('−(window width)/(sideband width): −0.5 for the defaults, base weights multiply', () => {
    expect(sidebandFactor(SELECTION_DEFAULTS)).toBe(-0.5);
    expect(sidebandFactor({ window: [75, 105], lowSideband: [60, 75], highSideband: [105, 120] })).toBe(-1);
    expect(Array.from(sidebandSubtractionWeights(Uint8Array.of(0, 1, 2), SELECTION_DEFAULTS, [2, 2, 4]))).toEqual([2, -1, -2]);
  });
  it('unknown region code and bad widths are typed errors', () => {
    expect(() => sidebandSubtractionWeights(Uint8Array.of(0, 3), SELECTION_DEFAULTS)).toThrow(/region: expected 0.*row 2/);
    expect(() => sidebandFactor({ window: [100, 80], lowSideband: [60, 80], highSideband: [100, 120] })).toThrow(ConfigError);
  });
});
