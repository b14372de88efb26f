/**
 * The calibrated SC-yield systematic (src/study/verdict/yieldSystematics.ts) on synthetic paired-study records
 * where the truth is known: a "network" whose predicted SC yield is biased by +3 % in every toy (its smoothing
 * bias: absent from its ensemble spread), beside the reachable target (unbiased, no ensemble), in verdicts of
 * six toys (as mismodelling).
 *
 * Per toy: P = 200 (network: 200·(1 + b)), S ~ N(200, σ_B² = 200), Var(S − P) = 200 + 150 (training).
 * In the calibration test b = 5 %: the network's pull has mean β = 10/√350 = 0.53 and the bare verdict
 * statistic Σ pull/√6 has mean 1.31: its false-alarm rate at |z| > 2.576 is 10 %, ten times the 1 % budget (the
 * mismodelling full null measured 3/64 with a smaller bias). The systematic fitted on the first 1800 toys:
 * b̂ = 10/210 = 4.8 % ± 0.2 %, so |b̂| + 1.645 δb = 5.1 %, s ≈ 0.57 ≥ β; with β = s the statistic is normal with
 * mean m and variance 1 − m², whose two-sided 1 % rate is 1 % (below it for s > β). Over the 300 held-out
 * verdicts the assertion allows 1 % + 3 binomial σ (2.7 %); the bare rate on the same verdicts must exceed 6 %.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/rng.js';
import { printSummary } from '../../../src/study/printSummary.js';
import { summarizeStudy } from '../../../src/study/summarizeStudy.js';
import type { ResolvedStudy } from '../../../src/study/resolveStudy.js';
import { summarizeEstimator } from '../../../src/study/summarizeEstimator.js';
import type { EstimatorRecord, PointRecord, ToyRecord } from '../../../src/study/toyRecord.js';
import { calibrate } from '../../../src/study/verdict/calibrate.js';
import {
  applyYieldSystematics,
  fitYieldSystematics,
  relativeYieldBias,
  yieldSystematicText,
} from '../../../src/study/verdict/yieldSystematics.js';
import { syntheticRecord, syntheticToy } from '../../support/syntheticRecords.js';

const target = [0.01, 0.02];
const count = [10000, 10000];
const T = 6;

/** Null toys: S ~ N(200, 200); `reach` predicts 200 exactly, `net` (an ensemble) 200·(1 + bias). */
function pairedToys(n: number, bias: number, seed = 'yield-systematics'): ToyRecord[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, toy) => {
    const observed = 200 + Math.sqrt(200) * rng.normal();
    const yieldOf = (predicted: number, trainVariance: number) => ({ observed, predicted, variance: 200, trainVariance });
    return syntheticToy(toy, target, count, {
      reach: syntheticRecord(target, [0.001, 0.002], { scYield: yieldOf(200, 0) }),
      net: syntheticRecord(target, [0.001, 0.002], {
        errDof: 3,
        // The members' spread of P: noise around the (biased) prediction, 150 events².
        scYield: yieldOf(200 * (1 + bias) + Math.sqrt(150) * rng.normal(), 150),
      }),
    });
  });
}

const study = {
  name: 'synthetic-paired',
  description: 'synthetic paired null',
  seed: 1,
  toys: T,
  quick: false,
  binning: { eta: [0, 1.37, 2.47], pt: [25, 1000] },
  paired: { scaleFactors: [] },
  points: [
    {
      label: 'default',
      side: 'data',
      events: 1,
      estimators: [
        { name: 'reach', kind: 'reachTarget', sidebandSubtraction: false, options: {} },
        { name: 'net', kind: 'phi', sidebandSubtraction: false, options: {} },
      ],
    },
  ],
  criteria: [
    { metric: 'failureRate', estimator: 'net', op: '<=', threshold: 0 },
    { metric: 'scYieldP', estimator: 'net', op: '>', threshold: 0.01 },
    { metric: 'scYieldP', estimator: 'reach', op: '>', threshold: 0.01 },
  ],
} as unknown as ResolvedStudy;

const net = (r: ToyRecord): EstimatorRecord => r.points[0]!.estimators.net!;
const pointsOf = (rs: readonly ToyRecord[]): PointRecord[] => rs.map((r) => r.points[0]!);

/** Fraction of consecutive T-toy verdicts whose SC-yield test fires (p < 0.01). */
function alarmRate(records: readonly ToyRecord[], name: string): number {
  let alarms = 0;
  const G = Math.floor(records.length / T);
  for (let g = 0; g < G; g++) if (summarizeEstimator(name, pointsOf(records.slice(g * T, (g + 1) * T))).metrics.scYieldP! < 0.01) alarms++;
  return alarms / G;
}

describe('SC-yield systematic', () => {
  it('measures the relative bias of the predicted yield and its standard error', () => {
    const recs = pairedToys(400, 0.03);
    const { bias, biasErr } = relativeYieldBias(recs.map((r) => net(r).scYield!));
    // sd(P − S) = √(200 + 150) = 18.7 events over 400 toys: δb = 18.7/20/206 = 0.45 %.
    expect(biasErr).toBeGreaterThan(0.0035);
    expect(biasErr).toBeLessThan(0.0055);
    expect(Math.abs(bias - 6 / 206)).toBeLessThan(3 * biasErr);
    expect(relativeYieldBias(recs.slice(0, 1).map((r) => net(r).scYield!)).bias).toBeNaN();
  });

  it('is fitted on the first toys for ensembles only, never where a criterion detects a defect', () => {
    const recs = pairedToys(120, 0.03);
    const xs = fitYieldSystematics(recs, 60, ['default'], study.criteria);
    expect(xs.map((x) => x.estimator)).toEqual(['net']);
    const [x] = xs;
    expect(x!.fitToys).toBe(60);
    expect(x!.fitToyRange).toEqual([0, 59]);
    expect(x!.check.toys).toBe(60);
    expect(x!.relative).toBeCloseTo(Math.abs(x!.bias) + 1.6448536269514722 * x!.biasErr, 12);
    expect(yieldSystematicText(x!)).toMatch(/SC-yield systematic ±\d\.\d\d % .*null toys 0-59, 60 toys.*other 60 null toys/);
    // A detection criterion on `net` (nullPoint): the bias is what it must see, so nothing is fitted.
    const detecting = [{ metric: 'scYieldP', estimator: 'net', point: 'default', op: '<', threshold: 0.01, nullPoint: 'other' }];
    expect(fitYieldSystematics(recs, 60, ['default'], detecting as never)).toEqual([]);
    // With two points, a detection at 'shift' whose null is 'default' borrows the systematic fitted there, so
    // its power is measured with the error its false-alarm rate was measured with; nothing is fitted at 'shift'.
    const twoPoints = recs.map((r) => ({ ...r, points: [r.points[0]!, { ...r.points[0]!, label: 'shift' }] }));
    const detection = [{ metric: 'scYieldP', estimator: 'net', point: 'shift', op: '<', threshold: 0.01, nullPoint: 'default' }];
    const borrowed = fitYieldSystematics(twoPoints, 60, ['default', 'shift'], detection as never);
    expect(borrowed.map((b) => [b.point, b.fittedAt])).toEqual([
      ['default', undefined],
      ['shift', 'default'],
    ]);
    expect(borrowed[1]!.relative).toBe(borrowed[0]!.relative);
    expect(yieldSystematicText(borrowed[1]!)).toContain('null toys 0-59 at point default');
    // Applied in memory: σ_sys = relative · P on the network's records only.
    const applied = applyYieldSystematics(recs, xs);
    expect(net(applied[7]!).scYield!.systematicRel).toBe(x!.relative);
    expect(applied[7]!.points[0]!.estimators.reach!.scYield!.systematicRel).toBeUndefined();
    expect(net(recs[7]!).scYield!.systematicRel).toBeUndefined();
    // Toys whose yield cannot be measured (observed NaN) are left out of the fit; a non-positive mean
    // prediction gives no systematic at all.
    const broken = recs.map((r, t) =>
      t % 2
        ? r
        : {
            ...r,
            points: [
              {
                ...r.points[0]!,
                estimators: { ...r.points[0]!.estimators, net: { ...net(r), scYield: { ...net(r).scYield!, observed: NaN } } },
              },
            ],
          },
    );
    expect(fitYieldSystematics(broken, 60, ['default'], study.criteria)[0]!.fitToys).toBe(30);
    expect(
      relativeYieldBias([
        { observed: 1, predicted: 0, variance: 1, trainVariance: 0 },
        { observed: 2, predicted: 0, variance: 1, trainVariance: 0 },
      ]).bias,
    ).toBeNaN();
  });

  it('lends a detection the systematic of its null point in the calibration', () => {
    const twoPoints = pairedToys(240, 0.05).map((r) => ({ ...r, points: [r.points[0]!, { ...r.points[0]!, label: 'shift' }] }));
    const twoPointStudy = {
      ...study,
      points: [study.points[0]!, { ...study.points[0]!, label: 'shift' }],
      criteria: [{ metric: 'scYieldP', estimator: 'net', point: 'shift', op: '<', threshold: 0.01, nullPoint: 'default' }],
    } as unknown as ResolvedStudy;
    const cal = calibrate(twoPointStudy, twoPoints, undefined, { nullToys: 240, seed: 'test' });
    expect(cal.yieldSystematics!.map((x) => [x.point, x.fittedAt ?? null])).toEqual([
      ['default', null],
      ['shift', 'default'],
    ]);
    // The detection's null (at 'default') and its power (at 'shift') are both judged on the held-out 20 verdicts,
    // with the same systematic: at 'shift' (no defect here) it fires as rarely as at its null.
    const d = cal.criteria[0]!.calibration;
    expect(d.groups).toBe(20);
    expect(d.power["its point's own defect (absent at default)"]).toBe(d.rate);
  });

  it('adds the systematic once per verdict, fully correlated over its toys', () => {
    const [rec] = pairedToys(1, 0);
    const y = { observed: 200, predicted: 230, variance: 200, trainVariance: 150 };
    const toys = Array.from({ length: T }, () => ({ ...rec!.points[0]!, estimators: { net: { ...net(rec!), scYield: y } } }));
    const pull = 30 / Math.sqrt(350);
    const bare = summarizeEstimator('net', toys);
    expect(bare.metrics.scYieldPullErr).toBeCloseTo(1 / Math.sqrt(T), 12);
    const s = 10 / Math.sqrt(350);
    const withSys = summarizeEstimator(
      'net',
      toys.map((p) => ({ ...p, estimators: { net: { ...p.estimators.net!, scYield: { ...y, systematicRel: 10 / 230 } } } })),
    );
    expect(withSys.metrics.scYieldPull).toBeCloseTo(pull, 12);
    expect(withSys.metrics.scYieldPullErr).toBeCloseTo(Math.sqrt(T + (T * s) ** 2) / T, 12);
    // The verdict's z: Σ pull/√T = 9.62/2.45 = 3.93 bare; with s = 0.53 a toy, 9.62/√(6 + 3.21²) = 2.38.
    // (σ_sys = systematicRel·|P| = 10 events.)
    expect(bare.metrics.scYieldP!).toBeCloseTo(2 * (1 - 0.999958), 4);
    expect(withSys.metrics.scYieldP!).toBeGreaterThan(0.015);
    expect(withSys.metrics.scYieldP!).toBeLessThan(0.02);
    // One toy's test: |pull| = 1.60 stays below 2.576 either way (no toy rejected).
    expect(withSys.metrics.scYieldRejectRate).toBe(0);
  });

  it('brings a smoothing bias the spread omits back within the budget, and still sees a real one', () => {
    const recs = pairedToys(3600, 0.05); // 600 verdicts of 6: fit on 300, judged on 300
    const bare = alarmRate(recs.slice(1800), 'net');
    const cal = calibrate(study, recs, undefined, { nullToys: recs.length, seed: 'test' });
    expect(cal.yieldSystematics?.map((x) => x.estimator)).toEqual(['net']);
    const c = cal.criteria.find((k) => k.key.startsWith('scYieldP(net)'))!.calibration;
    // Judged on the held-out half only.
    expect(c.groups).toBe(300);
    // Bare, the test fires at ~10 % on these verdicts; calibrated at ≤ 1 % (allowed: + 3 binomial σ).
    expect(bare).toBeGreaterThan(0.06);
    expect(c.rate).toBeLessThanOrEqual(0.01 + 3 * Math.sqrt((0.01 * 0.99) / 300));
    // A criterion of the network that does not read the yield keeps every verdict.
    expect(cal.criteria.find((k) => k.key.startsWith('failureRate(net)'))!.calibration.groups).toBe(600);
    // The reachable target is no ensemble: no systematic, all 600 verdicts, at its 1 % null rate.
    const r = cal.criteria.find((k) => k.key.startsWith('scYieldP(reach)'))!.calibration;
    expect(r.groups).toBe(600);
    // Power against a +20 % scale of the network's yield survives the systematic, which scales with it
    // (z ≈ 16.7/4.8 = 3.5 with sd 0.5 over a verdict).
    expect(c.power['scale +20 %']).toBeGreaterThan(0.9);

    // Every later run of the study states the systematic: its yield criteria read it, the terminal prints it.
    const toys = pairedToys(T, 0.05, 'a later run');
    const run = summarizeStudy(study, toys, undefined, { calibration: { ...cal, file: 'calibration/synthetic-paired.json' } });
    expect(run.yieldSystematics).toEqual(cal.yieldSystematics);
    const s = run.points[0]!.estimators.net!.metrics;
    expect(s.scYieldPullErr).toBeGreaterThan(1.1 / Math.sqrt(T));
    expect(run.points[0]!.estimators.reach!.metrics.scYieldPullErr).toBeCloseTo(1 / Math.sqrt(T), 12);
    expect(printSummary(run)).toMatch(
      /net SC yield: SC-yield systematic ±4\.\d\d % of the prediction, correlated over toys \(\|bias\| \+ 1\.645 se/,
    );
    const bareRun = summarizeStudy(study, toys);
    expect(bareRun.yieldSystematics).toBeUndefined();
    expect(bareRun.points[0]!.estimators.net!.metrics.scYieldPullErr).toBeCloseTo(1 / Math.sqrt(T), 12);
  });
});
