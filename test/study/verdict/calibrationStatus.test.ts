/**
 * A calibration whose measured false alarms exceed the budget is reported as FAILED CALIBRATION (in the
 * calibration file, `qmisid calibrate`'s table, the run's terminal summary), while a criterion at its stated
 * budget stays calibrated. Synthetic null records (estimates Gaussian around the reachable target with honest
 * errors; 6 bins), so no toy is generated.
 *
 * Statistics: 120 null toys in 30 verdicts of 4. `biasP > 0.01` (budget 1 %) fails a verdict with probability
 * ≤ 1 %: calibrated unless ≥ 2 of 30 fail (P ≈ 4 %, deterministic under the fixed seed). `biasP > 0.9` with
 * a 1 % budget fails ~90 % of the verdicts; FAILED needs ≥ 2 of 30 (P > 0.999999).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { runCalibration } from '../../../src/study/runCalibration.js';
import { createRng } from '../../../src/rng.js';
import { clopperPearson } from '../../../src/stats/index.js';
import { printCalibration } from '../../../src/study/printCalibration.js';
import { printSummary } from '../../../src/study/printSummary.js';
import type { ResolvedStudy } from '../../../src/study/resolveStudy.js';
import { summarizeStudy } from '../../../src/study/summarizeStudy.js';
import type { ToyRecord } from '../../../src/study/toyRecord.js';
import { calibrate } from '../../../src/study/verdict/calibrate.js';
import { calibrationStatusText } from '../../../src/study/verdict/studyCalibration.js';
import type { StudyReference } from '../../../src/study/verdict/referenceTargets.js';
import { sixBinNull } from '../../support/syntheticRecords.js';

const { target, relErr, reference, nullToys: drawNull, study } = sixBinNull(4);
const nullToys = (n: number): ToyRecord[] => drawNull(n, 'calibration-status');

describe('calibration status', () => {
  const records = nullToys(120);

  it('a criterion at its budget is calibrated; one whose false alarms exceed it is a FAILED CALIBRATION', () => {
    const s = study([
      { metric: 'biasP', estimator: 'x', op: '>', threshold: 0.01 },
      { metric: 'biasP', estimator: 'x', op: '>', threshold: 0.9, budget: 0.01 },
    ]);
    const cal = calibrate(s, records, reference, { nullToys: records.length, seed: 'test' });
    expect(cal.groups).toBe(30);
    const [honest, strict] = cal.criteria;
    expect(honest!.calibration.status).toBe('ok');
    expect(honest!.calibration.failures).toBeLessThanOrEqual(1);
    expect(strict!.calibration.status).toBe('failed');
    expect(strict!.calibration.failures).toBeGreaterThanOrEqual(20);
    expect(printCalibration(cal)).toMatch(/biasP\(x\)@default > 0\.9\n.*FAILED CALIBRATION/);
    // A later run of the study attaches the calibration; its summary says FAILED CALIBRATION for that criterion.
    const run = summarizeStudy(s, records.slice(0, 4), undefined, {
      calibration: { ...cal, file: 'calibration/synthetic.json' },
      reference,
    });
    expect(run.criteria[1]!.calibration!.status).toBe('failed');
    expect(printSummary(run)).toMatch(/biasP\(x\)@default: \d+\/30 = [\d.]+ % \(budget 1\.0 %: FAILED CALIBRATION\)/);
    // Pull floors over the 120 null toys: honest errors pass.
    const floor = cal.pullFloors!.find((f) => f.flips === '>=25' && f.region === 'all')!;
    expect(floor.toys).toBe(120);
    expect(floor.pass).toBe(true);
  });

  it('no false alarm in a handful of verdicts is labelled a weak calibration, with its bound', () => {
    const s = study([{ metric: 'biasP', estimator: 'x', op: '>', threshold: 0.01 }]);
    // 8 toys = 2 verdicts of 4: the upper end of the 68 % Clopper-Pearson interval of 0/2 is 1 - 0.159^(1/2) = 60 %.
    const few = calibrate(s, records.slice(0, 8), reference, { nullToys: 8, seed: 'test' }).criteria[0]!.calibration;
    expect(few.failures).toBe(0);
    expect(calibrationStatusText(few)).toMatch(/^calibrated, weakly \(2 verdicts: 68 % upper bound 60 %\)$/);
    // 0 of 30: bound 1 - 0.159^(1/30) = 6.0 % <= 10 budgets, plainly calibrated; 1 of 30 (10.6 %) is weak again.
    const of30 = (failures: number) => {
      const [lo, hi] = clopperPearson(failures, 30, 0.6827);
      return { budget: 0.01, failures, groups: 30, rate: failures / 30, rateLo: lo, rateHi: hi, status: 'ok' as const, power: {} };
    };
    expect(calibrationStatusText(of30(0))).toBe('calibrated');
    expect(calibrationStatusText(of30(1))).toMatch(/^calibrated, weakly \(1 of 30 verdicts: 68 % upper bound 11 %\)$/);
  });

  it('the status follows the budget the study states now', () => {
    const s = study([{ metric: 'biasP', estimator: 'x', op: '>', threshold: 0.9, budget: 0.01 }]);
    const cal = calibrate(s, records, reference, { nullToys: records.length, seed: 'test' });
    const relaxed = study([{ metric: 'biasP', estimator: 'x', op: '>', threshold: 0.9, budget: 0.99 }]);
    const run = summarizeStudy(relaxed, records.slice(0, 4), undefined, { calibration: { ...cal, file: 'x.json' }, reference });
    expect(run.criteria[0]!.calibration!.status).toBe('ok');
  });

  it('--stored refuses a directory without a null run, or one of another configuration, naming the flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-stored-'));
    try {
      await expect(runCalibration('verdicts', { out: dir, quick: true, stored: true })).rejects.toThrow(UsageError);
      await expect(runCalibration('verdicts', { out: dir, quick: true, stored: true })).rejects.toThrow(/--stored/);
      writeFileSync(join(dir, 'study.json'), JSON.stringify({ study: { name: 'verdicts', toys: 60 } }));
      await expect(runCalibration('verdicts', { out: dir, quick: true, stored: true })).rejects.toThrow(
        /null run of this study's quick configuration/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a paired study measures its scale-factor criteria against a data-side scale of +5 % and +20 %', () => {
    // Two samples per toy (MC and data, both at the target with 8 % errors); SF = ε_data / ε_MC per bin. The
    // pooled SF bias of a 4-toy verdict has an error of ≈ √2 · 8 % / √(6 · 4) ≈ 2.3 %: a +5 % shift of the
    // data side is ~2σ (rarely past the 4σ threshold), a +20 % shift ~9σ (always).
    const rng = createRng('paired-calibration');
    const side = (label: string) => ({
      ...nullToys(1)[0]!.points[0]!,
      label,
      estimators: {
        x: {
          ...nullToys(1)[0]!.points[0]!.estimators.x!,
          eps: target.map((t) => t + t * relErr * rng.normal()),
        },
      },
    });
    const paired: ToyRecord[] = Array.from({ length: 80 }, (_, toy) => ({
      toy,
      seed: String(toy),
      status: 'ok' as const,
      points: [side('default:mc'), side('default')],
    }));
    const est = [{ name: 'x', kind: 'binned', sidebandSubtraction: false, options: {} }];
    const s = {
      ...study([
        { metric: 'sfPooledRelBiasOverErr', estimator: 'x', point: 'default', op: '<', threshold: 4 },
        { metric: 'sfPooledRelBiasOverErr', estimator: 'x', point: 'default', op: '>', threshold: -4 },
      ]),
      points: [
        { label: 'default:mc', events: 1, estimators: est, side: 'mc', stream: 'mc', scan: 'default', pair: 'default' },
        { label: 'default', events: 1, estimators: est, side: 'data', stream: 'data', scan: 'default', pair: 'default:mc' },
      ],
      paired: { scaleFactors: [{ name: 'x', data: 'x', mc: 'x' }], nominal: 'default' },
    } as unknown as ResolvedStudy;
    const ref: StudyReference = { ...reference, points: { default: reference.points.default!, 'default:mc': reference.points.default! } };
    const cal = calibrate(s, paired, ref, { nullToys: paired.length, seed: 'test' });
    expect(cal.groups).toBe(20);
    expect(cal.defects).toContain('scale +20 %');
    const [upper, lower] = cal.criteria;
    expect(upper!.calibration.failures).toBeLessThanOrEqual(1);
    expect(lower!.calibration.failures).toBeLessThanOrEqual(1);
    expect(upper!.calibration.power!['scale +20 %']).toBeGreaterThanOrEqual(0.9);
    expect(upper!.calibration.power!['scale +5 %']).toBeLessThan(0.9);
    // An unpaired study keeps the two global defects of every study.
    expect(
      calibrate(study([{ metric: 'biasP', estimator: 'x', op: '>', threshold: 0.01 }]), records, reference, { nullToys: 120, seed: 't' })
        .defects,
    ).not.toContain('scale +20 %');
  });
});
