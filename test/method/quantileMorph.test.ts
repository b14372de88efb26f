/**
 * Quantile morphing (src/method/quantileMorph.ts): monotone, the identity when the distributions agree, exact
 * on a known pair of distributions, and what it is for — a shifted and widened sample mapped back onto the
 * reference passes a two-sample KS test that the unmorphed sample fails.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyQuantileMap, fitQuantileMap, quantileMorph, quantileNodes } from '../../src/method/quantileMorph.js';
import { createRng } from '../../src/rng.js';
import { normalCdf, normalQuantile } from '../../src/stats/normal.js';
import { ksTwoSample } from '../../src/stats/index.js';
import type { EventTable } from '../../src/events/columns.js';

const normals = (seed: string, n: number, mu = 0, sigma = 1): Float64Array => {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => mu + sigma * rng.normal());
};

describe('quantile morphing', () => {
  it('is monotone (non-decreasing) for any pair of samples, ties and tails included', () => {
    const sampleArb = fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 2, maxLength: 60 });
    fc.assert(
      fc.property(
        sampleArb,
        sampleArb,
        fc.integer({ min: 3, max: 40 }),
        fc.array(fc.double({ min: -80, max: 80, noNaN: true }), { minLength: 2 }),
        (s, r, nodes, xs) => {
          const map = fitQuantileMap(s, r, nodes);
          const ys = [...xs].sort((a, b) => a - b).map((x) => applyQuantileMap(map, x));
          for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeGreaterThanOrEqual(ys[i - 1]! - 1e-9 * (1 + Math.abs(ys[i - 1]!)));
        },
      ),
    );
  });

  it('is the identity when the two distributions are the same sample', () => {
    const s = normals('id', 2000);
    const map = fitQuantileMap(s, s, 201);
    for (const x of [-6, -2.5, -1, -0.3, 0, 0.7, 1.9, 4, 9]) expect(applyQuantileMap(map, x)).toBeCloseTo(x, 12);
    for (const x of s.slice(0, 100)) expect(applyQuantileMap(map, x)).toBeCloseTo(x, 12);
  });

  it('maps the quantiles of a known pair of distributions exactly: N(0, 1) onto Exp(1)', () => {
    // Samples made of the exact quantiles at (i + ½)/n: the map must send the i-th onto the i-th.
    const n = 500;
    const p = (i: number) => (i + 0.5) / n;
    const src = Float64Array.from({ length: n }, (_, i) => normalQuantile(p(i)));
    const dst = Float64Array.from({ length: n }, (_, i) => -Math.log(1 - p(i)));
    const map = fitQuantileMap(src, dst, n);
    for (let i = 0; i < n; i++) expect(applyQuantileMap(map, src[i]!)).toBeCloseTo(dst[i]!, 10);
    // Between nodes it interpolates the true map F_r⁻¹(F_s(x)) = −ln(1 − Φ(x)) to within the node spacing.
    for (const x of [-1.5, -0.25, 0.4, 1.1]) {
      const truth = -Math.log(1 - normalCdf(x));
      expect(Math.abs(applyQuantileMap(map, x) - truth)).toBeLessThan(0.01);
    }
  });

  it('on finite samples of N(0.3, 1.2²) and N(0, 1) it recovers x → (x − 0.3)/1.2 within the quantile errors', () => {
    const map = fitQuantileMap(normals('s', 100000, 0.3, 1.2), normals('r', 100000), 1001);
    // SE of a sample quantile at p: √(p(1−p)/n)/f(q); at |z| ≤ 2 and n = 1e5 it is ≤ 0.01 per sample; 5 SE.
    for (const z of [-2, -1, 0, 1, 2]) expect(Math.abs(applyQuantileMap(map, 0.3 + 1.2 * z) - z)).toBeLessThan(0.05);
  });

  it('quantileNodes refuses a sample with fewer than two finite values, naming it', () => {
    expect(() => quantileNodes([1, NaN], 11, 'reta bin 3')).toThrow(/reta bin 3.*at least two/);
  });

  it('morphs a table: a shifted, widened feature passes a KS test against the reference after morphing, not before; binned maps too', () => {
    const n = 20000;
    const table = (seed: string, mu: number, sigma: number): EventTable => {
      const rng = createRng(seed);
      const col = () => Float64Array.from({ length: n }, () => mu + sigma * rng.normal());
      const eta = () => Float64Array.from({ length: n }, () => 2.4 * rng.uniform() - 1.2);
      const pt = () => Float64Array.from({ length: n }, () => 25 + 50 * rng.uniform());
      return { n, columns: { reta1: col(), reta2: col(), eta1: eta(), eta2: eta(), pt1: pt(), pt2: pt() } };
    };
    const ref = table('ref', -3, 0.25);
    const data = table('data', -2.85, 0.3);
    const before = ksTwoSample(Array.from(data.columns.reta1!), Array.from(ref.columns.reta1!));
    expect(before.pValue).toBeLessThan(1e-6);
    for (const bins of [undefined, { eta: [0, 0.6, 1.2], pt: [25, 50, 75] }]) {
      const m = quantileMorph(data, ref, { features: ['reta'], nodes: 501, ...(bins ? { bins } : {}) }, 'test');
      const after = ksTwoSample(Array.from(m.columns.reta1!), Array.from(ref.columns.reta1!));
      expect(after.pValue).toBeGreaterThan(1e-3);
      // Other columns are shared, not copied; the input is not modified.
      expect(m.columns.eta1).toBe(data.columns.eta1);
      expect(data.columns.reta1![0]).not.toBe(m.columns.reta1![0]);
    }
    expect(() => quantileMorph(data, ref, { features: ['eop'], nodes: 11 }, 'toy 3')).toThrow(/toy 3 column eop1/);
  });
});
