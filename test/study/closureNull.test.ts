/**
 * The exact null of the covariance-form closure (src/study/metrics/closureNull.ts).
 *   1. Its p-value is the exact one where the exact one can be computed: two bins, one of 60 events at
 *      p = 0.7 (octave 0, every event a candidate) and one of 20 000 at p = 7·10⁻⁴ (octave 10, geometric
 *      skips), χ² = Σ D_b²/V_b; the exact tail sums the two binomials' joint pmf. Monte Carlo error
 *      √(p(1 − p)/R) with R = 20 000; 4 of them allowed.
 *   2. With a strongly tagged event in a bin (the features study's case) the χ² law's p-value is too small
 *      in the tail and the null's is not: over 400 samples drawn from the rates under test the null's rates of
 *      p < 0.05 and p < 0.01 lie within 3 binomial standard errors of 0.05 and 0.01, while the χ² law's rate
 *      of p < 0.01 exceeds 0.01 by more than 3.
 *   3. Power: rates 40 % low in one bin of 50 000 events (200 SC expected, 120 claimed) give p < 10⁻³.
 *   4. Same seed, same bytes; the family-wise p over two variables lies between the smallest per-variable p
 *      and twice it (min-p is at most Bonferroni, at least the single test).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { binomialCdf, chiSquareSf } from '../../src/stats/index.js';
import { ClosureAccumulator } from '../../src/study/metrics/closureChi2.js';
import { ClosureNullSampler } from '../../src/study/metrics/closureNull.js';

interface Event {
  /** P(SC) under test. */
  p: number;
  /** Its bins, per variable. */
  fills: number[][];
  sc: boolean;
}

/** Closure of `events` in `nbins.length` variables and the null's p-values. */
function closure(events: readonly Event[], nbins: readonly number[], seed: string, replicas: number) {
  const accs = nbins.map(
    (nb) =>
      new ClosureAccumulator(
        'x',
        Array.from({ length: nb + 1 }, (_, i) => i),
        'covariance',
      ),
  );
  const sampler = new ClosureNullSampler(nbins);
  for (const e of events) {
    accs.forEach((a, v) => a.addRow(1, e.p / (1 - e.p), e.sc, e.fills[v]!));
    sampler.addRow(e.p, 1, e.fills);
  }
  const hists = accs.map((a) => a.result());
  const res = sampler.pValues(
    hists.map((h) => h.observed.map((o, b) => o - h.predicted[b]!)),
    accs.map((a) => a.pseudoInverse()),
    seed,
    replicas,
  );
  return { hists, ...res };
}

const pmf = (k: number, n: number, p: number): number => binomialCdf(k, n, p) - (k > 0 ? binomialCdf(k - 1, n, p) : 0);

describe('closure null', () => {
  it('matches the exact tail of a two-binomial χ²', () => {
    const [n1, p1, n2, p2] = [60, 0.7, 20000, 7e-4];
    const events: Event[] = [];
    // Observed: 34 SC in bin 0 (expected 42) and 21 in bin 1 (expected 14).
    for (let i = 0; i < n1; i++) events.push({ p: p1, fills: [[0]], sc: i < 34 });
    for (let i = 0; i < n2; i++) events.push({ p: p2, fills: [[1]], sc: i < 21 });
    const R = 20000;
    const { p, hists } = closure(events, [2], 'exact', R);
    // D_b = c_b·(Y_b − n_b p_b) and V_b = n_b c_b² p_b(1 − p_b), so χ² = Σ (Y_b − n_b p_b)²/(n_b p_b(1 − p_b)).
    const chi = (y1: number, y2: number): number => (y1 - n1 * p1) ** 2 / (n1 * p1 * (1 - p1)) + (y2 - n2 * p2) ** 2 / (n2 * p2 * (1 - p2));
    const obs = chi(34, 21);
    expect(hists[0]!.chi2).toBeCloseTo(obs, 9);
    let exact = 0;
    for (let y1 = 0; y1 <= n1; y1++)
      for (let y2 = 0; y2 <= 120; y2++) if (chi(y1, y2) >= obs * (1 - 1e-12)) exact += pmf(y1, n1, p1) * pmf(y2, n2, p2);
    expect(exact).toBeGreaterThan(0.01);
    expect(exact).toBeLessThan(0.2);
    expect(Math.abs(p[0]! - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / R));
  });

  it('keeps its false-alarm rate where a tagged event makes the χ² law too light-tailed', () => {
    // Two bins of 4000 events at p = 2·10⁻³; the second also holds one tagged event (p = 0.95, r = 19): when
    // it comes out OC (5 %) it alone moves D by −19 against a variance of ~26. Labels drawn from the rates.
    const N = 400;
    const alarms = { null05: 0, null01: 0, law01: 0 };
    for (let s = 0; s < N; s++) {
      const rng = createRng(`tagged/${s}`);
      const events: Event[] = [];
      const add = (p: number, bin: number) => events.push({ p, fills: [[bin]], sc: rng.uniform() < p });
      for (let b = 0; b < 2; b++) for (let i = 0; i < 4000; i++) add(2e-3, b);
      add(0.95, 1);
      const { p, hists } = closure(events, [2], `tagged/null/${s}`, 2000);
      if (p[0]! < 0.05) alarms.null05++;
      if (p[0]! < 0.01) alarms.null01++;
      if (chiSquareSf(hists[0]!.chi2, hists[0]!.ndf) < 0.01) alarms.law01++;
    }
    const se = (a: number) => Math.sqrt((a * (1 - a)) / N);
    expect(Math.abs(alarms.null05 / N - 0.05)).toBeLessThan(3 * se(0.05));
    expect(Math.abs(alarms.null01 / N - 0.01)).toBeLessThan(3 * se(0.01));
    expect(alarms.law01 / N).toBeGreaterThan(0.01 + 3 * se(0.01));
  });

  it('has power against rates 40 % low in one bin', () => {
    const rng = createRng('power');
    const events: Event[] = [];
    for (let b = 0; b < 4; b++)
      for (let i = 0; i < 50000; i++) {
        const truth = 4e-3;
        const claimed = b === 2 ? 0.6 * truth : truth;
        events.push({ p: claimed, fills: [[b]], sc: rng.uniform() < truth });
      }
    expect(closure(events, [4], 'power/null', 5000).p[0]!).toBeLessThan(1e-3);
  });

  it('is reproducible from its seed, and its family-wise p is min-p over the variables', () => {
    const rng = createRng('family');
    const events: Event[] = [];
    for (let i = 0; i < 30000; i++) {
      const b = Math.floor(rng.uniform() * 5);
      // The second variable repeats the first on two electrons: correlated with it.
      const c1 = Math.floor(rng.uniform() * 4);
      const c2 = i % 7 === 0 ? b % 4 : Math.floor(rng.uniform() * 4);
      const p = b === 4 ? 0.02 : 3e-3;
      events.push({ p, fills: [[b], [c1, c2]], sc: rng.uniform() < p * (b === 4 ? 1.3 : 1) });
    }
    const a = closure(events, [5, 4], 'family/null', 4000);
    const b = closure(events, [5, 4], 'family/null', 4000);
    expect(b.p).toEqual(a.p);
    expect(b.family).toBe(a.family);
    const minP = Math.min(...a.p);
    expect(minP).toBeLessThan(0.2);
    expect(a.family).toBeGreaterThanOrEqual(minP - 1e-12);
    expect(a.family).toBeLessThanOrEqual(2 * minP + 1 / 4001);
  });
});
