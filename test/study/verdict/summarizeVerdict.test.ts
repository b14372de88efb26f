/**
 * The multi-toy verdict statistics on synthetic records, where the truth is known exactly: a bin's estimate is
 * Gaussian around the reachable target with an honest reported error, or with a bias injected.
 *
 * Tolerances: a false-alarm rate measured over R = 400 synthetic verdicts at budget α = 0.05 must lie below
 * α + 3·√(α(1 − α)/R) = 0.083 (one-sided 3σ: a false failure of this test has probability ~0.1 %); power
 * against a 10-standard-error bias must exceed 0.9 (expected > 0.99).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/rng.js';
import { SPREAD_MIN_TOYS, errorAtTarget, sidak, summarizeVerdict } from '../../../src/study/verdict/summarizeVerdict.js';
import { binomialCdf, normalQuantile, wilson } from '../../../src/stats/index.js';
import type { EstimatorRecord } from '../../../src/study/toyRecord.js';
import type { PointRecord } from '../../../src/study/toyRecord.js';
import type { PointReference } from '../../../src/study/verdict/referenceTargets.js';
import { syntheticRecord, syntheticReference } from '../../support/syntheticRecords.js';

const K = 6;
const target = [0.01, 0.02, 0.005, 0.03, 0.01, 0.002];
const count = [4000, 3000, 5000, 2000, 1000, 100];
const relErr = 0.08;

const reference: PointReference = syntheticReference(
  target,
  count,
  target.map((t) => t * 1.05),
);

function toys(T: number, seed: string, bias: (k: number) => number = () => 0): PointRecord[] {
  const rng = createRng(seed);
  return Array.from({ length: T }, () => {
    const eps = target.map((t, k) => t * (1 + bias(k)) + t * relErr * rng.normal());
    return {
      label: 'default',
      events: 1,
      window: 1,
      windowSC: 1,
      truth: target.map((t) => t * 1.05),
      count: [...count],
      estimators: {
        x: syntheticRecord(
          eps,
          target.map((t) => t * relErr),
        ),
      },
    };
  });
}

describe('summarizeVerdict', () => {
  it('Sidak family-wise p of the smallest of m p-values', () => {
    expect(sidak(0.01, 1)).toBeCloseTo(0.01, 12);
    expect(sidak(0.01, 10)).toBeCloseTo(1 - 0.99 ** 10, 12);
  });

  for (const T of [1, 5, SPREAD_MIN_TOYS]) {
    it(`T = ${T}: the bias criterion biasP > 0.05 stays green at its budget and fails on a 20 % bias in one bin`, () => {
      const R = 400;
      let alarms = 0;
      let detected = 0;
      for (let r = 0; r < R; r++) {
        if (!(summarizeVerdict('x', toys(T, `null/${T}/${r}`), 'reachable', reference).metrics.biasP! > 0.05)) alarms++;
      }
      // 20 % in bin 0: 2.5 reported errors per toy, 2.5·√T standard errors of the mean. Power grows with T.
      const big = T === 1 ? 0.8 : 0.2;
      for (let r = 0; r < 50; r++) {
        if (
          !(
            summarizeVerdict(
              'x',
              toys(T, `bias/${T}/${r}`, (k) => (k === 0 ? big : 0)),
              'reachable',
              reference,
            ).metrics.biasP! > 0.05
          )
        )
          detected++;
      }
      expect(alarms / R).toBeLessThan(0.05 + 3 * Math.sqrt((0.05 * 0.95) / R));
      expect(detected / 50).toBeGreaterThan(0.9);
    });
  }

  it('more toys add power: the p-value of a fixed 5 % bias falls with T', () => {
    const p = [5, 20, 80].map(
      (T) =>
        summarizeVerdict(
          'x',
          toys(T, `more/${T}`, (k) => (k === 0 ? 0.05 : 0)),
          'reachable',
          reference,
        ).bins[0]!.p,
    );
    expect(p[2]!).toBeLessThan(p[0]!);
    expect(p[2]!).toBeLessThan(1e-3);
  });

  it('the model target differs from the reachable one by the migration, which is reported as physics', () => {
    const v = summarizeVerdict('x', toys(40, 'mig'), 'model', reference);
    expect(v.bins[0]!.migration).toBeCloseTo(1 / 1.05 - 1, 12);
    // Against the model target the unbiased estimator is ~−4.8 % off: 40 toys see it.
    expect(v.metrics.biasP!).toBeLessThan(1e-3);
    const r = summarizeVerdict('x', toys(40, 'mig'), 'reachable', reference);
    expect(r.metrics.biasP!).toBeGreaterThan(1e-3);
  });

  it('pulls use the asymmetric error at the target, and a zero estimate has a finite pull', () => {
    const recs = toys(3, 'asym');
    for (const p of recs) {
      const rec = p.estimators.x!;
      rec.eps[5] = 0;
      rec.errLo = rec.eps.map(() => 0);
      rec.errHi = rec.eps.map((e, k) => 2 * target[k]! * relErr);
    }
    const v = summarizeVerdict('x', recs, 'reachable', reference, { minFlips: 0 });
    const b = v.bins[5]!;
    expect(Number.isFinite(b.pullMean)).toBe(true);
    // σ₊ = 2·0.002·0.08 = 3.2e-4, σ₋ = 0: V(g) = σ₊·g, so (0 − 0.002)/√(3.2e-4·0.002) = −2.5 on every toy
    // (the side half-width alone would say −6.25).
    expect(b.pullMean).toBeCloseTo(-2.5, 9);
  });
});

describe('errorAtTarget (an asymmetric interval as a linearly varying variance)', () => {
  const n = 10_000;
  const rec = (x: number): EstimatorRecord => {
    const e = x / n;
    const [lo, hi] = wilson(x, n);
    return { eps: [e], err: [NaN], errLo: [e - lo], errHi: [hi - e] } as unknown as EstimatorRecord;
  };
  const pull = (x: number, g: number): number => (x / n - g) / errorAtTarget(rec(x), 0, x / n, g);
  it('10 flips where 26 are expected: the score statistic, not the linearly extended upper half-width', () => {
    const score = (10 - 26) / Math.sqrt(26 * (1 - 26 / n));
    expect(pull(10, 26 / n)).toBeCloseTo(score, 1);
    const [, hi] = wilson(10, n);
    expect((10 / n - 26 / n) / (hi - 10 / n)).toBeLessThan(score - 0.5);
  });
  it('is the side half-width at either end of the interval, and the symmetric error where there is no interval', () => {
    const r = rec(40);
    const e = 40 / n;
    expect(errorAtTarget(r, 0, e, e + r.errHi![0]!)).toBeCloseTo(r.errHi![0]!, 12);
    expect(errorAtTarget(r, 0, e, e - r.errLo![0]!)).toBeCloseTo(r.errLo![0]!, 12);
    const sym = { eps: [e], err: [3e-4] } as unknown as EstimatorRecord;
    expect(errorAtTarget(sym, 0, e, 0.01)).toBe(3e-4);
  });
  it('no flips seen: the pull against g is √(expected flips), the score test', () => {
    expect(pull(0, 25 / n)).toBeCloseTo(-Math.sqrt(25), 0);
  });
  // Exact tail rates: Σ_x Binomial(x; n, g)·[|z(x)| > z_α/2] over every count, against the old rule (side half-width).
  it('the one-toy tail rate at a Šidák-sized level is closer to nominal than the linear side rule', () => {
    const alpha = 1e-3;
    const zc = normalQuantile(1 - alpha / 2);
    for (const mu of [10, 26, 60, 150]) {
      const g = mu / n;
      let now = 0;
      let before = 0;
      for (let x = 0; x <= 600; x++) {
        const pmf = binomialCdf(x, n, g) - (x > 0 ? binomialCdf(x - 1, n, g) : 0);
        const r = rec(x);
        const e = x / n;
        if (Math.abs(pull(x, g)) > zc) now += pmf;
        if (Math.abs((e - g) / (g > e ? r.errHi![0]! : r.errLo![0]!)) > zc) before += pmf;
      }
      expect(now).toBeLessThan(before);
      // Exact sums, no sampling error: the bound is the discreteness of a count (a 1-count step moves the tail
      // rate by up to ~60 % at 10 expected flips), not a statistical tolerance.
      expect(now).toBeLessThan(2 * alpha);
    }
  });
});
