/**
 * Clopper–Pearson (scipy.stats.beta.ppf) and Wilson (formula evaluated in Python with scipy's norm.ppf) at
 * integer and real counts, cl = 0.6827 and 0.95. Tolerance 1e−9 relative: the beta inversion's precision.
 */
import { describe, expect, it } from 'vitest';
import { binomialCdf, clopperPearson, normalCdf, wilson } from '../../src/stats/index.js';
import { err, REF } from './reference.js';

describe('clopperPearson', () => {
  it('matches scipy beta.ppf, with lo = 0 at k = 0 and hi = 1 at k = n', () => {
    for (const r of REF.clopperPearson) {
      const [lo, hi] = clopperPearson(r.k, r.n, r.cl);
      expect(err(lo, r.interval[0], 1e-300), `lo(${r.k}/${r.n}, ${r.cl})`).toBeLessThan(1e-9);
      expect(err(hi, r.interval[1], 1e-300), `hi(${r.k}/${r.n}, ${r.cl})`).toBeLessThan(1e-9);
      if (r.k === 0) expect(lo).toBe(0);
      if (r.k === r.n) expect(hi).toBe(1);
    }
  });
  it('inverts the binomial tails at integer counts (the defining property)', () => {
    const [lo, hi] = clopperPearson(3, 10, 0.95);
    expect(1 - binomialCdf(2, 10, lo)).toBeCloseTo(0.025, 12);
    expect(binomialCdf(3, 10, hi)).toBeCloseTo(0.025, 12);
  });
  it('default cl is 0.6827', () => {
    expect(clopperPearson(3, 10)).toEqual(clopperPearson(3, 10, 0.6827));
  });
  it('rejects bad counts', () => {
    expect(() => clopperPearson(11, 10)).toThrow(/k = 11/);
    expect(() => clopperPearson(1, 0)).toThrow(/n = 0/);
    expect(() => clopperPearson(1, 2, 1)).toThrow(/cl = 1/);
  });
});

describe('wilson', () => {
  it('k = n gives [n/(n+1), 1] at ±1σ (closed form at z = 1)', () => {
    for (const n of [1, 10, 400]) {
      const [lo, hi] = wilson(n, n, 2 * normalCdf(1) - 1);
      expect(lo).toBeCloseTo(n / (n + 1), 9);
      expect(hi).toBeCloseTo(1, 12);
    }
  });
  it('approaches p ± √(p(1−p)/n) for large n', () => {
    const [lo, hi] = wilson(68_000, 100_000);
    const s = Math.sqrt((0.68 * 0.32) / 100_000);
    expect(lo).toBeCloseTo(0.68 - s, 5);
    expect(hi).toBeCloseTo(0.68 + s, 5);
  });
  it('matches the formula evaluated with scipy', () => {
    for (const r of REF.wilson) {
      const [lo, hi] = wilson(r.k, r.n, r.cl);
      expect(err(lo, r.interval[0], 1e-15), `lo(${r.k}/${r.n}, ${r.cl})`).toBeLessThan(1e-10);
      expect(err(hi, r.interval[1], 1e-15), `hi(${r.k}/${r.n}, ${r.cl})`).toBeLessThan(1e-10);
    }
  });
  it('default cl is 0.6827 and it rejects NaN counts', () => {
    expect(wilson(2.5, 7.25)).toEqual(wilson(2.5, 7.25, 0.6827));
    expect(() => wilson(Number.NaN, 3)).toThrow(/k = NaN/);
  });
});
