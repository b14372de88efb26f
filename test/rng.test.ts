import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng, deriveSeed } from '../src/rng.js';

// Moment checks use 5σ bounds from the sample's own standard error: false-alarm rate ~6e-7 per check.
function moments(xs: Float64Array): { mean: number; variance: number } {
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / xs.length;
  let v = 0;
  for (const x of xs) v += (x - mean) ** 2;
  return { mean, variance: v / (xs.length - 1) };
}

describe('seeded randomness', () => {
  it('same seed gives the same stream; seed 0 is a real seed; child seeds differ', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string()), (seed) => {
        const a = createRng(seed);
        const b = createRng(seed);
        for (let i = 0; i < 20; i++) expect(a.uniform()).toBe(b.uniform());
      }),
    );
    expect(createRng(0).uniform()).toBe(createRng('0').uniform());
    expect(createRng(deriveSeed(1, 'chunk', 0)).uniform()).not.toBe(createRng(deriveSeed(1, 'chunk', 1)).uniform());
  });

  it('uniform is in (0,1); normal, exponential and poisson have the right mean and variance', () => {
    const rng = createRng('moments');
    const n = 200_000;
    const u = new Float64Array(n);
    const z = new Float64Array(n);
    const e = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      u[i] = rng.uniform();
      z[i] = rng.normal();
      e[i] = rng.exponential(2);
    }
    expect(Math.min(...u.subarray(0, 50_000))).toBeGreaterThan(0);
    const mu = moments(u);
    expect(Math.abs(mu.mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    const mz = moments(z);
    expect(Math.abs(mz.mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(mz.variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    const me = moments(e);
    expect(Math.abs(me.mean - 2)).toBeLessThan((5 * 2) / Math.sqrt(n));
    for (const lambda of [0.5, 7, 45, 1000]) {
      const p = new Float64Array(50_000);
      for (let i = 0; i < p.length; i++) p[i] = rng.poisson(lambda);
      const mp = moments(p);
      expect(Math.abs(mp.mean - lambda), `lambda ${lambda}`).toBeLessThan(5 * Math.sqrt(lambda / p.length));
      // Var of the sample variance of a Poisson: (mu4 - sigma^4 (n-3)/(n-1))/n with mu4 = lambda(1 + 3 lambda).
      const sdVar = Math.sqrt((lambda * (1 + 3 * lambda) - lambda * lambda) / p.length);
      expect(Math.abs(mp.variance - lambda), `lambda ${lambda}`).toBeLessThan(5 * sdVar);
      expect(p.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
    }
  });
});
