/**
 * The resampled null (verdict/resampledNull.ts) on synthetic null records whose statistics are known: estimates
 * Gaussian around the truth with honest errors in 6 bins of ≥ 25 flips a toy, verdicts of 40 toys, 120 null
 * toys — three verdicts, a weak direct calibration for every criterion, as in the shipped studies of 50 toys a
 * verdict.
 *
 * Statistics: a verdict's coverage68 is the fraction of its 240 pulls within ±1: mean 0.683, sd
 * √(0.683·0.317/240) = 0.030. `coverage68 >= 0.575` sits 3.6 sd below: resampled rate Φ(−3.6) ≈ 0.02 %, its
 * 68 % upper end (pool shift √(40/120) = 0.58 sd, sd known to 6.5 %) Φ(−3.0/1.065) ≈ 0.25 % — within the 1 %
 * budget, so the weak direct "0 of 3" becomes "calibrated on the resampled null". `coverage68 >= 0.66`, 0.8 sd
 * below the mean, fires in ~22 % of verdicts: its one-sided 95 % lower bound, Φ(−(0.8 + 1.645·0.58)/(1 −
 * 1.645·0.065)) ≈ 2.5 %, is above the budget — FAILED, whatever the three disjoint verdicts say. Both outcomes
 * are more than 2 sd of the pool's mean from flipping.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/rng.js';
import { binomialCdf, clopperPearson, normalCdf } from '../../../src/stats/index.js';
import { printCalibration } from '../../../src/study/printCalibration.js';
import type { ResolvedStudy } from '../../../src/study/resolveStudy.js';
import type { ToyRecord } from '../../../src/study/toyRecord.js';
import { calibrate } from '../../../src/study/verdict/calibrate.js';
import { resampleBinomial, resampledModel, resampleNormal } from '../../../src/study/verdict/resampledNull.js';
import { calibrationClass, calibrationStatusText } from '../../../src/study/verdict/studyCalibration.js';
import { sixBinNull } from '../../support/syntheticRecords.js';

const { reference, nullToys, study } = sixBinNull(40);

describe('resampled null', () => {
  it('which criteria get one: means over pulls or toys in large verdicts (normal), own failure rates (binomial)', () => {
    const c = (metric: string, op: '<' | '<=' | '>' | '>=' = '>=', extra = {}) =>
      ({ metric, estimator: 'x', op, threshold: 0, ...extra }) as never;
    expect(resampledModel(c('coverage68'), 50)).toBe('normal');
    expect(resampledModel(c('sfPooledRelBiasOverErr', '<'), 20)).toBe('normal');
    // A mean of 4 toys over an error from their own spread is Student t: no normal model for small verdicts.
    expect(resampledModel(c('pooledRelBiasOverErr', '<'), 4)).toBeNull();
    expect(resampledModel(c('failureRate', '<='), 4)).toBe('binomial');
    // A failure rate that must be high, relative to another estimator or a detection; a maximum over bins; a
    // p-value: no model fits.
    expect(resampledModel(c('failureRate', '>='), 50)).toBeNull();
    expect(resampledModel(c('failureRate', '<=', { relativeTo: 'y' }), 50)).toBeNull();
    expect(resampledModel(c('failureRate', '<=', { nullPoint: 'clean', point: 'dirty' }), 50)).toBeNull();
    expect(resampledModel(c('maxAbsBiasOverSigma', '<'), 50)).toBeNull();
    expect(resampledModel(c('biasP', '>'), 50)).toBeNull();
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
    // The FAILED bound is p's one-sided 95 % lower end: below the 68 % one.
    expect(strict.rateLo95).toBeCloseTo(1 - binomialCdf(1, 50, clopperPearson(3, 100, 0.9)[0]), 9);
    expect(strict.rateLo95).toBeLessThan(strict.rateLo);
  });

  it('the normal model recovers a known distribution: a verdict mean of 40 unit normals, threshold 3 sd of it away', () => {
    // Pool of 400 "toys" carrying x ~ N(0, 1); a verdict's value is the mean of its 40: sd 1/√40.
    const rng = createRng('resampled/normal');
    const pool = Array.from({ length: 400 }, (_, toy) => ({ toy, x: rng.normal() }) as unknown as ToyRecord);
    const value = (g: ToyRecord[]) => g.reduce((a, r) => a + (r as unknown as { x: number }).x, 0) / g.length;
    const thr = -3 / Math.sqrt(40);
    const draw = (f: (g: ToyRecord[]) => number, o: { op?: '>' | '<'; threshold?: number; detection?: boolean; from?: ToyRecord[] } = {}) =>
      resampleNormal(
        { metric: 'coverage68', estimator: 'x', op: o.op ?? '>', threshold: o.threshold ?? thr } as never,
        o.from ?? pool,
        40,
        f,
        o.detection ?? false,
        'seed',
      );
    const r = draw(value)!;
    // The pool's own mean is within 2.5/√400 of 0; the draws' sd within 10 % of 1/√40 (400 draws, with replacement).
    expect(Math.abs(r.mean!)).toBeLessThan(2.5 / Math.sqrt(400));
    expect(Math.abs(r.sd! * Math.sqrt(40) - 1)).toBeLessThan(0.1);
    expect(r.z!).toBeGreaterThan(2.4);
    expect(r.z!).toBeLessThan(3.6);
    expect(r.rate).toBeCloseTo(normalCdf(-r.z!), 12);
    expect(r.rateLo95).toBeLessThan(r.rateLo);
    expect(r.rateLo).toBeLessThan(r.rate);
    expect(r.rateHi).toBeGreaterThan(r.rate);
    // The draws agree with the model: a handful cross a threshold 3 sd away.
    expect(r.fits).toBe(true);
    expect(r.alarms).toBeLessThan(10);
    // A detection (its alarm is a pass) turns the side round: the same threshold is then crossed by most verdicts.
    const det = draw(value, { detection: true })!;
    expect(det.rate).toBeGreaterThan(0.99);
    // An undefined value fails a real verdict: undefined draws are alarms of a criterion (a quarter of the
    // pool undefined: about 1 − 0.75^40 of the verdicts hold one), none of a detection.
    const holes = (g: ToyRecord[]) => (g.some((t) => t.toy % 4 === 0) ? NaN : value(g));
    const withHoles = draw(holes);
    expect(withHoles).toBeNull(); // every verdict of 40 holds one of the 100 undefined toys: no defined draw
    const rare = (g: ToyRecord[]) => (g.some((t) => t.toy === 7) ? NaN : value(g));
    const withRare = draw(rare)!;
    // 1 − (399/400)^40 = 9.5 % of the draws hold toy 7: the rate is at least that share.
    expect(withRare.undefinedDraws! / withRare.draws!).toBeGreaterThan(0.05);
    expect(withRare.rate).toBeGreaterThanOrEqual(withRare.undefinedDraws! / withRare.draws!);
    const detRare = draw(rare, { op: '<', detection: true })!;
    expect(detRare.rate).toBeLessThan(withRare.undefinedDraws! / withRare.draws!);
    // A value with a heavy tail the normal fit understates: one toy of 4000 drags a verdict to −100. About 1 % of
    // the draws hold it (1 − (3999/4000)^40); the fit (mean ≈ −1, sd ≈ 10) puts −50 five sd away, rate ~10⁻⁷.
    // The draws' own count (their 68 % lower end ≈ 0.5 %) says the model does not fit.
    const big = Array.from({ length: 4000 }, (_, toy) => ({ toy, x: toy === 7 ? -4000 : 0 }) as unknown as ToyRecord);
    const h = draw(value, { threshold: -50, from: big })!;
    expect(h.alarms!).toBeGreaterThan(0);
    expect(h.rateHi).toBeLessThan(1e-4);
    expect(h.fits).toBe(false);
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
    // A direct false alarm among the few verdicts is not outvoted by the model: the criterion stays weak and says
    // how many of its verdicts fired.
    const fired = { ...sound!, failures: 1, rate: 1 / 3, rateLo: 0.06, rateHi: 0.75 };
    expect(calibrationClass(fired)).toBe('weak');
    expect(calibrationStatusText(fired)).toMatch(
      /^calibrated, weakly \(1 of 3 verdicts: 68 % upper bound 75 %; resampled null: 68 % upper bound [\d.]+ %\)$/,
    );
    // Seeded: the same null gives the same numbers.
    const again = calibrate(s, records, reference, { nullToys: 120, seed: 'test' });
    expect(again.criteria[0]!.calibration.resampled).toEqual(sound!.resampled);
  });
});
