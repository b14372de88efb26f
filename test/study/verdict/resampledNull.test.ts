/**
 * The resampled null (verdict/resampledNull.ts) on synthetic null records whose statistics are known: estimates
 * Gaussian around the truth with honest errors in 6 bins of ≥ 25 flips a toy, verdicts of 40 toys, 120 null
 * toys — three verdicts, a weak direct calibration for every criterion, as in the shipped studies of 50 toys a
 * verdict.
 *
 * Statistics: a verdict's coverage68 is the fraction of its 240 pulls within ±1: mean 0.683, sd
 * √(0.683·0.317/240) = 0.030. `coverage68 >= 0.575` sits 3.6 sd below: resampled rate Φ(−3.6) ≈ 0.02 %, its
 * upper end (pool shift √(40/120) = 0.58 sd, sd known to 6.5 %) Φ(−2.8) ≈ 0.3 % — within the 1 % budget, so the
 * weak direct "0 of 3" becomes "calibrated on the resampled null". `coverage68 >= 0.66`, 0.8 sd below the mean,
 * fires in ~22 % of verdicts: its resampled lower end, Φ(−(0.8 + 0.58)/0.935) ≈ 7 %, is far above the budget —
 * FAILED, whatever the three disjoint verdicts say. Both outcomes are more than 2 sd of the pool's mean from
 * flipping.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/rng.js';
import { binomialCdf, clopperPearson, normalCdf } from '../../../src/stats/index.js';
import { printCalibration } from '../../../src/study/printCalibration.js';
import type { ResolvedStudy } from '../../../src/study/resolveStudy.js';
import type { ToyRecord } from '../../../src/study/toyRecord.js';
import { calibrate } from '../../../src/study/verdict/calibrate.js';
import { resampleBinomial, resampledModel, resampleNormal } from '../../../src/study/verdict/resampledNull.js';
import { calibrationStatusText } from '../../../src/study/verdict/studyCalibration.js';
import type { StudyReference } from '../../../src/study/verdict/referenceTargets.js';
import { syntheticRecord, syntheticReference, syntheticToy } from '../../support/syntheticRecords.js';

const eta = [0, 1, 1.6, 2.4];
const pt = [25, 60, 1000];
const target = [0.002, 0.003, 0.01, 0.01, 0.02, 0.03];
// Expected flips per toy 200, 150, 100, 100, 400, 60: every bin used.
const count = [100000, 50000, 10000, 10000, 20000, 2000];
const relErr = 0.08;
const reference: StudyReference = { key: 'synthetic', points: { default: syntheticReference(target, count) } };

function nullToys(n: number, seed: string): ToyRecord[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, toy) =>
    syntheticToy(toy, target, count, {
      x: syntheticRecord(
        target.map((t) => t + t * relErr * rng.normal()),
        target.map((t) => t * relErr),
      ),
    }),
  );
}

function study(criteria: ResolvedStudy['criteria'], toys = 40): ResolvedStudy {
  return {
    name: 'synthetic',
    description: 'synthetic null',
    seed: 1,
    toys,
    quick: false,
    binning: { eta, pt },
    points: [{ label: 'default', events: 1, estimators: [{ name: 'x', kind: 'binned', sidebandSubtraction: false, options: {} }] }],
    criteria,
  } as unknown as ResolvedStudy;
}

describe('resampled null', () => {
  it('which criteria get one: means over pulls or toys (normal), failure rates (binomial), nothing else', () => {
    const c = (metric: string, op: '<' | '<=' | '>' | '>=' = '>=') => ({ metric, estimator: 'x', op, threshold: 0 }) as never;
    expect(resampledModel(c('coverage68'))).toBe('normal');
    expect(resampledModel(c('sfPooledRelBiasOverErr', '<'))).toBe('normal');
    expect(resampledModel(c('failureRate', '<='))).toBe('binomial');
    // A failure rate that must be high, a maximum over bins, a p-value: no model fits.
    expect(resampledModel(c('failureRate', '>='))).toBeNull();
    expect(resampledModel(c('maxAbsBiasOverSigma', '<'))).toBeNull();
    expect(resampledModel(c('biasP', '>'))).toBeNull();
  });

  it('the binomial model: no failure in 100 toys cannot show "no failure in 50" at 1 %, it can "at most 2 of 50"', () => {
    const none = resampleBinomial({ metric: 'failureRate', estimator: 'x', op: '<=', threshold: 0 } as never, 100, 50, 0);
    expect(none.rate).toBe(0);
    expect(none.rateLo).toBe(0);
    // The 68 % upper end of p from 0/100 is 1 − 0.1587^(1/100) = 1.83 %: a verdict of 50 then fails in 60 %.
    expect(none.rateHi).toBeCloseTo(1 - (1 - (1 - 0.15866 ** (1 / 100))) ** 50, 3);
    const two = resampleBinomial({ metric: 'failureRate', estimator: 'x', op: '<=', threshold: 0.04 } as never, 100, 50, 0);
    const pHi = clopperPearson(0, 100, 0.6827)[1];
    expect(pHi).toBeCloseTo(1 - 0.15865 ** (1 / 100), 6);
    expect(two.rateHi).toBeCloseTo(1 - binomialCdf(2, 50, pHi), 6);
    expect(two.rateHi).toBeLessThan(0.1);
    // '<' excludes the threshold itself: < 0.04 of 50 passes with at most 1 failure.
    const strict = resampleBinomial({ metric: 'failureRate', estimator: 'x', op: '<', threshold: 0.04 } as never, 100, 50, 3);
    expect(strict.rate).toBeCloseTo(1 - binomialCdf(1, 50, 0.03), 9);
  });

  it('the normal model recovers a known distribution: a verdict mean of 40 unit normals, threshold 3 sd of it away', () => {
    // Pool of 400 "toys" carrying x ~ N(0, 1); a verdict's value is the mean of its 40: sd 1/√40.
    const rng = createRng('resampled/normal');
    const pool = Array.from({ length: 400 }, (_, toy) => ({ toy, x: rng.normal() }) as unknown as ToyRecord);
    const value = (g: ToyRecord[]) => g.reduce((a, r) => a + (r as unknown as { x: number }).x, 0) / g.length;
    const thr = -3 / Math.sqrt(40);
    const r = resampleNormal({ metric: 'coverage68', estimator: 'x', op: '>', threshold: thr } as never, pool, 40, value, false, 'seed')!;
    // The pool's own mean is within 2.5/√400 of 0; the draws' sd within 10 % of 1/√40 (400 draws, with replacement).
    expect(Math.abs(r.mean!)).toBeLessThan(2.5 / Math.sqrt(400));
    expect(Math.abs(r.sd! * Math.sqrt(40) - 1)).toBeLessThan(0.1);
    expect(r.z!).toBeGreaterThan(2.4);
    expect(r.z!).toBeLessThan(3.6);
    expect(r.rate).toBeCloseTo(normalCdf(-r.z!), 12);
    expect(r.rateLo).toBeLessThan(r.rate);
    expect(r.rateHi).toBeGreaterThan(r.rate);
    // A detection (its alarm is a pass) turns the side round: the same threshold is then crossed by most verdicts.
    const det = resampleNormal({ metric: 'coverage68', estimator: 'x', op: '>', threshold: thr } as never, pool, 40, value, true, 'seed')!;
    expect(det.rate).toBeGreaterThan(0.99);
    // Fewer than two verdicts' worth of toys: nothing to resample.
    expect(
      resampleNormal({ metric: 'coverage68', estimator: 'x', op: '>', threshold: 0 } as never, pool.slice(0, 79), 40, value, false, 's'),
    ).toBeNull();
  });

  it('three verdicts of 40 toys: a sound threshold is calibrated on the resampled null, one too near the null fails', () => {
    const records = nullToys(120, 'resampled/null');
    const s = study([
      { metric: 'coverage68', estimator: 'x', op: '>=', threshold: 0.575 },
      { metric: 'coverage68', estimator: 'x', op: '>=', threshold: 0.66 },
      { metric: 'biasP', estimator: 'x', op: '>', threshold: 0.01 },
    ] as ResolvedStudy['criteria']);
    const cal = calibrate(s, records, reference, { nullToys: 120, seed: 'test' });
    expect(cal.groups).toBe(3);
    const [sound, near, p] = cal.criteria.map((c) => c.calibration);
    expect(sound!.failures).toBe(0);
    expect(sound!.resampled!.model).toBe('normal');
    expect(sound!.resampled!.pool).toBe(120);
    // The value's null distribution as stated above: mean 0.683 within 0.02 (0.7 sd), sd 0.030 within 20 %.
    expect(Math.abs(sound!.resampled!.mean! - 0.683)).toBeLessThan(0.02);
    expect(Math.abs(sound!.resampled!.sd! / 0.03 - 1)).toBeLessThan(0.2);
    expect(sound!.resampled!.rateHi).toBeLessThan(0.01);
    expect(sound!.status).toBe('ok');
    expect(calibrationStatusText(sound!)).toMatch(
      /^calibrated on the resampled null \(68 % upper bound [\d.]+ %; directly 3 verdicts: 68 % upper bound 46 %\)$/,
    );
    // Too near the null: failed on the resampled null whatever the three disjoint verdicts said.
    expect(near!.resampled!.rateLo).toBeGreaterThan(0.01);
    expect(near!.status).toBe('failed');
    expect(calibrationStatusText(near!)).toMatch(/FAILED CALIBRATION/);
    // A p-value criterion is calibrated by construction of its test, not resampled: it stays weak.
    expect(p!.resampled).toBeUndefined();
    expect(calibrationStatusText(p!)).toMatch(/^calibrated, weakly \(3 verdicts/);
    // The calibration table prints the resampled null under each criterion that has one.
    expect(printCalibration(cal)).toMatch(
      /coverage68\(x\)@default >= 0\.575\n.*calibrated on the resampled null \(.*\)\n\s+resampled null: 400 verdicts of 40 drawn from 120 null toys/,
    );
    // Seeded: the same null gives the same numbers.
    const again = calibrate(s, records, reference, { nullToys: 120, seed: 'test' });
    expect(again.criteria[0]!.calibration.resampled).toEqual(sound!.resampled);
  });
});
