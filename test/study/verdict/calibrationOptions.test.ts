/**
 * What a calibration measures, per option of the study's `calibration` block and criteria.
 *
 * Which estimators a null run holds (`calibration.estimators`, `calibration.quickEstimators`): the quick null
 * may afford a network that the full size cannot, so --quick reads its own list; a criterion of an estimator
 * left out is listed as not measured, and a name that is not an estimator of the study exits as a ConfigError
 * naming the list and the value.
 *
 * Detections of a defect the study builds into its own point: with `nullPoint` the false alarm is the
 * criterion passing at the null point (a "detection" that fires on a clean point is a FAILED calibration), its
 * power the rate it passes at its own point; with `detects` and no null point the study holds no null for it
 * and the calibration says "power only", never a false-alarm rate.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../../src/errors.js';
import { runCalibration } from '../../../src/study/runCalibration.js';

const fixture = fileURLToPath(new URL('../../fixtures/verdict/verdict-ci.json', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'qmisid-calest-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function studyWith(name: string, calibration: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const study = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>;
  // CI-cheap: 4 null toys of 2*10^4 Z are one verdict group; the quick size is smaller still.
  Object.assign(study, { name, events: 20000, reference: { scale: 2 }, calibration, quick: { events: 10000 } }, extra);
  const file = join(root, `${name}.json`);
  writeFileSync(file, JSON.stringify(study));
  return file;
}

describe('calibration estimators', () => {
  it('--quick runs the quickEstimators list, full size the estimators list', { timeout: 300_000 }, async () => {
    const file = studyWith('calest', { toys: 4, estimators: ['binned'], quickEstimators: ['truth'] });
    const quick = await runCalibration(file, { out: join(root, 'quick'), quick: true });
    expect(quick.calibration.criteria.map((c) => c.key)).toEqual(['biasP(truth)@default > 0.01']);
    expect(quick.calibration.notMeasured).toEqual(['biasP(binned)@* > 0.01', 'pooledBiasP(binned)@* > 0.01']);
    const full = await runCalibration(file, { out: join(root, 'full') });
    expect(full.calibration.criteria.map((c) => c.key)).toEqual(['biasP(binned)@default > 0.01', 'pooledBiasP(binned)@default > 0.01']);
    expect(full.calibration.notMeasured).toEqual(['biasP(truth)@* > 0.01']);
  });

  it('a name that is not an estimator of the study is a ConfigError naming the list and the value', async () => {
    const file = studyWith('calbad', { toys: 4, quickEstimators: ['phi'] });
    const err = await runCalibration(file, { out: join(root, 'bad'), quick: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(String((err as Error).message)).toMatch(/calibration\.quickEstimators\.0/);
    expect(String((err as Error).message)).toMatch(/phi/);
  });

  it('a detection is calibrated at its nullPoint, or reported as power only', { timeout: 300_000 }, async () => {
    // Two points of the same physics: "b" plays the defect point, "a" the clean one. A "detection" that
    // passes whenever the fit is unbiased (|pooled bias| < 4 SE) fires at the clean point in every group.
    const crit = { metric: 'pooledRelBiasOverErr', estimator: 'binned', point: 'b', op: '<', threshold: 4 };
    const file = studyWith(
      'caldetect',
      { toys: 8 },
      {
        scan: [{ label: 'a' }, { label: 'b' }],
        criteria: [
          { ...crit, nullPoint: 'a' },
          { ...crit, detects: 'nothing (a test of the bookkeeping)' },
        ],
      },
    );
    const { calibration } = await runCalibration(file, { out: join(root, 'detect') });
    const [withNull, noNull] = calibration.criteria;
    expect(withNull!.calibration.groups).toBe(2);
    expect(withNull!.calibration.failures).toBe(2);
    expect(withNull!.calibration.status).toBe('failed');
    expect(withNull!.calibration.power["its point's own defect (absent at a)"]).toBe(1);
    expect(noNull!.calibration.status).toBe('power only');
    expect(noNull!.calibration.groups).toBe(0);
    expect(noNull!.calibration.power["its point's own defect (nothing (a test of the bookkeeping))"]).toBe(1);
    // Injected defects are not applied to either (their power is the point's own defect).
    expect(Object.keys(withNull!.calibration.power)).toHaveLength(1);
    expect(Object.keys(noNull!.calibration.power)).toHaveLength(1);
  });

  it('a null point this configuration does not run is a ConfigError', async () => {
    const file = studyWith(
      'calnopoint',
      { toys: 4 },
      { scan: [{ label: 'a' }, { label: 'b' }], quick: { events: 10000, points: ['b'] }, criteria: [] },
    );
    const study = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    (study.quick as Record<string, unknown>).criteria = [
      { metric: 'pooledRelBiasOverErr', estimator: 'binned', point: 'b', nullPoint: 'a', op: '<', threshold: 4 },
    ];
    writeFileSync(file, JSON.stringify(study));
    const err = await runCalibration(file, { out: join(root, 'nopoint'), quick: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(String((err as Error).message)).toMatch(/quick\.criteria\.0\.nullPoint/);
  });
});
