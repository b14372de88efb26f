/**
 * Calibrated network errors (src/study/verdict/errorScales.ts) on synthetic null records where the truth is
 * known: a "network" whose ensemble sd (errDof 15) is half its true scatter around the reachable target, beside
 * an honest binned estimator, in a one-toy study (as closure).
 *
 * Statistics: 300 null toys = 300 verdicts of one toy; the factor is fitted on toys 0–149 (6 bins: 900 pulls)
 * and every criterion reading the network is judged on verdicts 150–299.
 *   - Uncalibrated (the same records without errDof: nothing to calibrate), `biasP > 0.01` fires whenever one of
 *     6 pulls of width ~2 passes the Šidák threshold z = 3.14 (per bin p = 0.117, family-wise ~0.5): FAILED.
 *   - Calibrated: the expected factor is 2/1.034 = 1.935 (the 68.27 % quantile of |t_15| is 1.034); its fitted
 *     standard error ~0.05 leaves a residual pull width within ±5 % of 1, so a family-wise rate of 0.4–2.2 %;
 *     the assertion allows 2.2 % + 3 binomial σ (0.85 %) over 150 verdicts.
 */
import { describe, expect, it } from 'vitest';
import { Binning } from '../../../src/binning/Binning.js';
import { createRng } from '../../../src/rng.js';
import { printSummary } from '../../../src/study/printSummary.js';
import type { ResolvedStudy } from '../../../src/study/resolveStudy.js';
import { summarizeStudy } from '../../../src/study/summarizeStudy.js';
import type { ToyRecord } from '../../../src/study/toyRecord.js';
import { calibrate } from '../../../src/study/verdict/calibrate.js';
import { applyErrorScales, errorScaleText, fitErrorScales, scaleFor } from '../../../src/study/verdict/errorScales.js';
import type { StudyReference } from '../../../src/study/verdict/referenceTargets.js';
import { syntheticRecord, syntheticReference, syntheticToy } from '../../support/syntheticRecords.js';

const eta = [0, 1, 1.6, 2.4];
const pt = [25, 60, 1000];
const binning = Binning.fromEdges(eta, pt);
const target = [0.002, 0.003, 0.01, 0.01, 0.02, 0.03];
// Expected flips per toy: 200, 150, 100, 100, 400, 60 — every bin judged by a one-toy verdict (≥ 25).
const count = [100000, 50000, 10000, 10000, 20000, 2000];
const relErr = 0.08;

const reference: StudyReference = { key: 'synthetic', points: { default: syntheticReference(target, count) } };

/** Null toys: `net` scatters by relErr around the target but states half of it (an ensemble sd, errDof 15). */
function nullToys(n: number, ensemble = true): ToyRecord[] {
  const rng = createRng('error-scales');
  return Array.from({ length: n }, (_, toy) =>
    syntheticToy(toy, target, count, {
      fit: syntheticRecord(
        target.map((t) => t + t * relErr * rng.normal()),
        target.map((t) => t * relErr),
      ),
      net: syntheticRecord(
        target.map((t) => t + t * relErr * rng.normal()),
        target.map((t) => (t * relErr) / 2),
        { ...(ensemble ? { errDof: 15 } : {}), scYield: { observed: 100, predicted: 100, variance: 100, trainVariance: 25 } },
      ),
    }),
  );
}

const study = {
  name: 'synthetic',
  description: 'synthetic null',
  seed: 1,
  toys: 1,
  quick: false,
  binning: { eta, pt },
  points: [
    {
      label: 'default',
      events: 1,
      estimators: [
        { name: 'fit', kind: 'binned', sidebandSubtraction: false, options: {} },
        { name: 'net', kind: 'phi', sidebandSubtraction: false, options: {} },
      ],
    },
  ],
  criteria: [
    { metric: 'biasP', estimator: 'net', op: '>', threshold: 0.01 },
    { metric: 'biasP', estimator: 'fit', op: '>', threshold: 0.01 },
  ],
} as unknown as ResolvedStudy;

describe('calibrated network errors', () => {
  it('fits the factor an ensemble sd needs on the first toys and applies it per region', () => {
    const recs = nullToys(300);
    const scales = fitErrorScales(recs, 150, ['default'], reference, binning);
    expect(scales.map((s) => `${s.estimator}/${s.region}`).sort()).toEqual(['net/all', 'net/barrel', 'net/endcap']);
    const all = scales.find((s) => s.region === 'all')!;
    expect(all.fitToyRange).toEqual([0, 149]);
    expect(all.fitToys).toBe(150);
    expect(all.testToys).toBe(150);
    expect(Math.abs(all.scale! - 1.935)).toBeLessThan(4 * all.scaleErr!);
    expect(Math.abs(all.after.coverage68! - 0.6827)).toBeLessThan(4 * all.after.coverage68Err!);
    // Bin 1 (|η| 0–1) is barrel, 3 (1–1.6) spans the crack and takes the all-bins factor, 5 is endcap.
    const barrel = scales.find((s) => s.region === 'barrel')!.scale!;
    expect(scaleFor(scales, 'default', 'net', binning, 1)).toBe(Math.max(1, barrel));
    expect(scaleFor(scales, 'default', 'net', binning, 3)).toBe(Math.max(1, all.scale!));
    expect(scaleFor(scales, 'default', 'fit', binning, 1)).toBe(1);
    const scaled = applyErrorScales(recs, scales, binning, 'cal.json');
    const before = recs[7]!.points[0]!.estimators.net!;
    const after = scaled[7]!.points[0]!.estimators.net!;
    expect(after.err[3]).toBeCloseTo(before.err[3]! * all.scale!, 15);
    expect(after.interval).toMatch(/calibrated factor .*cal\.json/);
    expect(after.scYield!.trainVariance).toBeCloseTo(25 * all.scale! ** 2, 10);
    // The honest estimator is untouched (same object).
    expect(scaled[7]!.points[0]!.estimators.fit).toBe(recs[7]!.points[0]!.estimators.fit);
  });

  it('fits no factor where a detection criterion says the network carries a defect', () => {
    const recs = nullToys(40);
    const at = (c: object) => fitErrorScales(recs, 20, ['default'], reference, binning, [c as never]);
    // Built into this point (its null is another): the factor would absorb the bias the criterion must see.
    expect(at({ metric: 'scYieldP', estimator: 'net', point: 'default', nullPoint: 'clean', op: '<', threshold: 0.01 })).toEqual([]);
    // Every point carries it (detects, no null point): no factor for that network anywhere.
    expect(at({ metric: 'mse', estimator: 'fit', relativeTo: 'net', op: '<', threshold: 1, detects: 'x' })).toEqual([]);
    // A detection at another point, or an ordinary criterion, leaves this point's factor.
    expect(at({ metric: 'scYieldP', estimator: 'net', point: 'other', nullPoint: 'default', op: '<', threshold: 0.01 }).length).toBe(3);
    expect(at({ metric: 'biasP', estimator: 'net', op: '>', threshold: 0.01 }).length).toBe(3);
    // With both points in the study, the detection's point borrows its null point's factors (fittedAt), so that
    // its power is measured with the error its false-alarm rate was.
    const twoPoints = recs.map((r) => ({ ...r, points: [r.points[0]!, { ...r.points[0]!, label: 'other' }] }));
    const detection = { metric: 'scYieldP', estimator: 'net', point: 'other', nullPoint: 'default', op: '<', threshold: 0.01 };
    const both = fitErrorScales(
      twoPoints,
      20,
      ['default', 'other'],
      { key: 'k', points: { default: reference.points.default!, other: reference.points.default! } },
      binning,
      [detection as never],
    );
    expect(both.filter((x) => x.point === 'default' && x.fittedAt == null).length).toBe(3);
    const lent = both.filter((x) => x.point === 'other');
    expect(lent.map((x) => x.fittedAt)).toEqual(['default', 'default', 'default']);
    expect(lent.map((x) => x.scale)).toEqual(both.filter((x) => x.point === 'default').map((x) => x.scale));
    expect(errorScaleText(lent[0]!)).toMatch(/on null toys 0-19 at point default, /);
  });

  it('a variance-only network error fails its calibration; calibrated, it keeps the budget on toys it was not fitted on', () => {
    const raw = calibrate(study, nullToys(300, false), reference, { nullToys: 300, seed: 'test' });
    expect(raw.errorScales).toBeUndefined();
    expect(raw.criteria[0]!.calibration.groups).toBe(300);
    expect(raw.criteria[0]!.calibration.status).toBe('failed');
    expect(raw.criteria[0]!.calibration.rate).toBeGreaterThan(0.3);

    const cal = calibrate(study, nullToys(300), reference, { nullToys: 300, seed: 'test' });
    expect(cal.errorScales?.length).toBe(3);
    const [net, fit] = cal.criteria;
    // The network's criterion is judged on verdicts 150–299 only; the honest estimator's on all 300.
    expect(net!.calibration.groups).toBe(150);
    expect(fit!.calibration.groups).toBe(300);
    expect(net!.calibration.rate).toBeLessThan(0.022 + 3 * Math.sqrt((0.022 * 0.978) / 150));
    expect(net!.calibration.status).toBe('ok');
    // Power is measured on the same 150 verdicts, against the calibrated error: a +5 % scale is seen less often
    // than with the raw sd (whose "power" is mostly its own false alarms), and never less often than a false alarm.
    const p5 = net!.calibration.power['scale +5 %']!;
    expect(p5).toBeLessThan(raw.criteria[0]!.calibration.power['scale +5 %']!);
    expect(p5).toBeGreaterThanOrEqual(net!.calibration.rate!);
    expect(net!.bins!.length).toBe(6);
    // The minimal-detectable-bias table and the injected ±20 % agree: a bin whose MDB (90 % power) is above 20 %
    // is not judged at 90 % by the injection either, and one below it is.
    for (const b of net!.bins!) expect(Math.min(b.powerUp, b.powerDown) >= 0.9).toBe(b.mdb <= 0.2);

    // A run of the study with this calibration states the calibrated error and says so.
    const run = summarizeStudy(study, nullToys(1), undefined, { calibration: { ...cal, file: 'calibration/synthetic.json' }, reference });
    expect(run.errorScales?.length).toBe(3);
    expect(printSummary(run)).toMatch(/net error \(all\): stated error = ensemble sd x1\.9\d/);
    const uncal = summarizeStudy(study, nullToys(1), undefined, { reference });
    const vs = (s: typeof run) => s.points[0]!.estimators.net!.verdict!.reachable.bins.map((b) => b.meanBiasErr);
    vs(run).forEach((e, k) => expect(e / vs(uncal)[k]!).toBeCloseTo(scaleFor(cal.errorScales!, 'default', 'net', binning, k), 6));
  });
});
