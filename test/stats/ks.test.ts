/**
 * Kolmogorov distribution and KS tests against scipy: special.kolmogorov; kstest(method='exact') for the
 * stored small samples (@stdlib's Marsaglia–Tsang–Wang exact p-value); kstest(method='asymp') for the large
 * formula-defined sample; ks_2samp's statistic and kstwobign.sf(√n_e·D) for the two-sample p-value.
 */
import { describe, expect, it } from 'vitest';
import { KS_EXACT_MAX, kolmogorovSf, ksOneSample, ksTwoSample, normalCdf } from '../../src/stats/index.js';
import { err, REF } from './reference.js';

const CDFS: Record<string, (x: number) => number> = {
  normal: normalCdf,
  uniform: (x) => Math.min(1, Math.max(0, x)),
  exponential: (x) => (x > 0 ? -Math.expm1(-x) : 0),
};

describe('kolmogorovSf', () => {
  it('matches scipy.special.kolmogorov to 1e-13 relative across both series', () => {
    for (const r of REF.kolmogorov) expect(err(kolmogorovSf(r.lambda), r.sf), `Q(${r.lambda})`).toBeLessThan(1e-13);
    expect(kolmogorovSf(0)).toBe(1);
  });
  it('is continuous where the two series meet (λ = 1)', () => {
    expect(Math.abs(kolmogorovSf(1 - 1e-12) - kolmogorovSf(1))).toBeLessThan(1e-11);
  });
});

describe('ksOneSample', () => {
  it('statistic and exact p-value match scipy kstest(method="exact")', () => {
    for (const r of REF.ksOneSample) {
      const { d, pValue } = ksOneSample(r.values, CDFS[r.dist]!);
      expect(err(d, r.d), `D ${r.dist} n=${r.values.length}`).toBeLessThan(1e-12);
      // Reference: scipy's own exact Durbin/Marsaglia–Tsang–Wang routine (kstest itself switches to the
      // Pelz–Good approximation above n = 140, 3.5e−6 off at n = 150). 1 − P is formed in double: 1e−12 absolute.
      expect(Math.abs(pValue - r.pValue), `p ${r.dist} n=${r.values.length}`).toBeLessThan(1e-12);
    }
  });
  it(`above n = ${KS_EXACT_MAX} uses the limiting distribution, matching scipy kstest(method="asymp")`, () => {
    const L = REF.ksOneSampleLarge;
    const phi = (1 + Math.sqrt(5)) / 2;
    const x = Float64Array.from({ length: L.n }, (_, i) => ((i + 1) * phi) % 1);
    for (let i = 0; i < x.length; i++) x[i] = x[i]! ** L.exponent;
    const { d, pValue } = ksOneSample(x, CDFS.uniform!);
    // x_i agree with numpy to an ulp (pow), so D agrees to ~1e−15 absolute.
    expect(Math.abs(d - L.d)).toBeLessThan(1e-12);
    expect(err(pValue, L.pValue)).toBeLessThan(1e-9);
    expect(pValue).toBeLessThan(0.05); // the 2.5 % distortion is detected
  });
  it('does not mutate its input and rejects NaN', () => {
    const v = [0.3, 0.1, 0.2];
    ksOneSample(v, CDFS.uniform!);
    expect(v).toEqual([0.3, 0.1, 0.2]);
    expect(() => ksOneSample([0.1, Number.NaN], CDFS.uniform!)).toThrow(/values\[1\]/);
  });
});

describe('ksTwoSample', () => {
  it('statistic matches scipy ks_2samp (incl. ties) and p = kstwobign.sf(√n_e·D)', () => {
    for (const r of REF.ksTwoSample) {
      const { d, pValue } = ksTwoSample(r.a, r.b);
      expect(err(d, r.d), `D n=${r.a.length},${r.b.length}`).toBeLessThan(1e-12);
      expect(err(pValue, r.pValue), `p n=${r.a.length},${r.b.length}`).toBeLessThan(1e-12);
    }
  });
  it('is symmetric in its arguments', () => {
    const r = REF.ksTwoSample[1];
    expect(ksTwoSample(r.b, r.a)).toEqual(ksTwoSample(r.a, r.b));
  });
});
