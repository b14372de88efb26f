import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { erf, studentTCdf, studentTStandardDeviation } from '../../src/stats/index.js';
import { P68, pullStats, studentTAbsQuantile } from '../../src/study/metrics/pullStats.js';

// Tolerances: 4 standard errors of the statistic for the sample size used (false-alarm rate ~6e-5 per check).
const n = 20000;
function gaussian(seed: string, sigma: number, mu = 0): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => mu + sigma * rng.normal());
}

describe('pullStats', () => {
  it('recovers mean 0, width 1 and the 68.3 % / 95 % coverage of unit Gaussian pulls', () => {
    const s = pullStats(gaussian('pulls-unit', 1));
    expect(s.n).toBe(n);
    expect(Math.abs(s.mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(s.width - 1)).toBeLessThan(4 / Math.sqrt(2 * (n - 1)));
    expect(Math.abs(s.coverage68 - P68)).toBeLessThan(4 * Math.sqrt((P68 * (1 - P68)) / n));
    expect(Math.abs(s.coverage95 - 0.95)).toBeLessThan(4 * Math.sqrt((0.95 * 0.05) / n));
    // Reported errors match the formulas they document.
    expect(s.meanErr).toBeCloseTo(s.width / Math.sqrt(n), 12);
    expect(s.widthErr).toBeCloseTo(s.width / Math.sqrt(2 * (n - 1)), 12);
  });

  it('sees errors that are too small: pulls of width 2 cover P(|Z| < 1/2) = 38.3 % at "68 %"', () => {
    const s = pullStats(gaussian('pulls-wide', 2, 0.5));
    const p = 0.3829249225480262;
    expect(Math.abs(s.width - 2)).toBeLessThan(4 * (2 / Math.sqrt(2 * (n - 1))));
    expect(Math.abs(s.mean - 0.5)).toBeLessThan(4 * (2 / Math.sqrt(n)));
    // Shifted by 0.5: P(|X| < 1) for X ~ N(0.5, 2²).
    const pShift = 0.5 * (erf((1 - 0.5) / (2 * Math.SQRT2)) - erf((-1 - 0.5) / (2 * Math.SQRT2)));
    expect(pShift).toBeLessThan(p);
    expect(Math.abs(s.coverage68 - pShift)).toBeLessThan(4 * Math.sqrt((pShift * (1 - pShift)) / n));
  });

  it('counts non-finite pulls as invalid and leaves them out', () => {
    const s = pullStats([0.5, NaN, -0.5, Infinity, 3]);
    expect(s.n).toBe(3);
    expect(s.invalid).toBe(2);
    expect(s.mean).toBeCloseTo(1, 12);
    expect(s.coverage68).toBeCloseTo(2 / 3, 12);
    expect(s.coverage95).toBeCloseTo(2 / 3, 12);
  });
});

describe('Student t intervals for ensemble errors', () => {
  it('reproduces tabulated two-sided quantiles and the normal limit', () => {
    // Standard tables: t_{0.975} for ν = 1, 2, 3, 5, 9, 15; t_{0.8413} for ν = 3.
    const table: [number, number, number][] = [
      [0.95, 1, 12.7062],
      [0.95, 2, 4.3027],
      [0.95, 3, 3.1824],
      [0.95, 5, 2.5706],
      [0.95, 9, 2.2622],
      [0.95, 15, 2.1314],
      [P68, 3, 1.1969],
    ];
    for (const [p, nu, t] of table) expect(studentTAbsQuantile(p, nu)).toBeCloseTo(t, 3);
    expect(studentTAbsQuantile(0.95, Infinity)).toBeCloseTo(1.959964, 5);
    expect(2 * studentTCdf(1, Infinity) - 1).toBeCloseTo(P68, 12);
    expect(studentTStandardDeviation(4)).toBeCloseTo(Math.SQRT2, 12);
    expect(() => studentTAbsQuantile(0.95, 0)).toThrow(/dof/);
  });

  it('pulls of a K = 4 member spread (t with 3 dof) cover 68.3 % / 95 % with t quantiles, not with 1 and 1.96', () => {
    // (mean of K normals − μ) / (sd/√K) ~ t_{K−1}: simulate it directly.
    const rng = createRng('pulls-t3');
    const K = 4;
    const pulls = Float64Array.from({ length: n }, () => {
      const x = Array.from({ length: K }, () => rng.normal());
      const m = x.reduce((a, b) => a + b, 0) / K;
      const s = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (K - 1));
      return m / (s / Math.sqrt(K));
    });
    const t = pullStats(pulls, K - 1);
    const z = pullStats(pulls);
    expect(Math.abs(t.coverage68 - P68)).toBeLessThan(4 * Math.sqrt((P68 * (1 - P68)) / n));
    expect(Math.abs(t.coverage95 - 0.95)).toBeLessThan(4 * Math.sqrt((0.95 * 0.05) / n));
    // With the normal quantiles the same pulls under-cover: P(|t_3| < 1.96) = 0.855.
    expect(0.95 - z.coverage95).toBeGreaterThan(0.07);
    // widthRatio divides by the width of t_3, √3.
    expect(t.widthRatio).toBeCloseTo(t.width / Math.sqrt(3), 12);
  });
});
