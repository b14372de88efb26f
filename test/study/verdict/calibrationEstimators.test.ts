/**
 * Which estimators a null run holds (`calibration.estimators`, `calibration.quickEstimators`): the quick null
 * may afford a network that the full size cannot, so --quick reads its own list; a criterion of an estimator
 * left out is listed as not measured, and a name that is not an estimator of the study exits as a ConfigError
 * naming the list and the value.
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

function studyWith(name: string, calibration: Record<string, unknown>): string {
  const study = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>;
  // CI-cheap: 4 null toys of 2*10^4 Z are one verdict group; the quick size is smaller still.
  Object.assign(study, { name, events: 20000, reference: { scale: 2 }, calibration, quick: { events: 10000 } });
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
});
