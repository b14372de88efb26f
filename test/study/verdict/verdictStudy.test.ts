/**
 * The verdict machinery end to end at CI size (issue 10): a study of the real generator and estimators
 * (binned fit, truth-matched rates; 10^5 Z per toy, 4 toys per verdict) stays green; the same stored toys
 * with a known defect injected into the fit's output (+20 % in its best-determined bin, or a 20 % global
 * scale) turn it red; and the measured null over 8 groups of 4 null toys stays within the 1 % budget, with the
 * measured power per bin consistent with the minimal detectable bias.
 *
 * Statistics: the best-determined bin has a minimal detectable bias (1 %, power 0.9, 4 toys) of ~15 %, so
 * +20 % is detected with probability > 0.97; a 20 % global scale is ~8 pooled standard errors. On the null, a
 * 1 % criterion fails k of 8 groups with P(k ≥ 2) = 0.3 %: "at most one false alarm in 8 groups" has that
 * false-failure rate. Bins with a minimal detectable bias below 15 % must show power ≥ 7/8 against ±20 %
 * (expected ≥ 0.99 each: P(< 7/8) < 0.3 % per bin).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStudy } from '../../../src/study/runStudy.js';
import { runCalibration } from '../../../src/study/runCalibration.js';
import { studyReportData } from '../../../src/study/studyReportData.js';
import { summarizeStudy } from '../../../src/study/summarizeStudy.js';
import { injectDefect } from '../../../src/study/verdict/injectDefect.js';
import { readReference } from '../../../src/study/verdict/studyExtras.js';

const fixture = fileURLToPath(new URL('../../fixtures/verdict/verdict-ci.json', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'qmisid-verdict-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('verdicts at CI size', () => {
  it('a correct estimator stays green; an injected defect turns the study red', { timeout: 600_000 }, async () => {
    const out = join(root, 'run');
    const { summary } = await runStudy(fixture, { out, workers: 0 });
    expect(summary.criteria.map((c) => [c.criterion.metric, c.criterion.estimator, c.pass])).toEqual([
      ['biasP', 'binned', true],
      ['biasP', 'truth', true],
      ['pooledBiasP', 'binned', true],
    ]);
    const { info, records } = studyReportData(out);
    const reference = readReference(out, info.study);
    expect(reference).toBeDefined();
    const judged = summary.points[0]!.estimators.binned!.verdict!.reachable.bins.filter((b) => b.judged);
    const best = judged.reduce((a, b) => (b.mdb < a.mdb ? b : a));
    expect(best.mdb).toBeLessThan(0.16);
    // Reachable and model targets both stored; their gap is the migration (no energy loss here: small).
    expect(Number.isFinite(best.migration)).toBe(true);

    const red = summarizeStudy(info.study, injectDefect(records, 'binned', { kind: 'bin', bin: best.bin, factor: 1.2 }), undefined, {
      reference,
    });
    expect(red.criteria.find((c) => c.criterion.metric === 'biasP' && c.criterion.estimator === 'binned')!.pass).toBe(false);
    expect(red.pass).toBe(false);
    const scaled = summarizeStudy(info.study, injectDefect(records, 'binned', { kind: 'scale', factor: 1.2 }), undefined, { reference });
    expect(scaled.criteria.find((c) => c.criterion.metric === 'pooledBiasP')!.pass).toBe(false);
  });

  it('measures the null within the budget and the power against the injected defects', { timeout: 900_000 }, async () => {
    const { calibration } = await runCalibration(fixture, { out: join(root, 'null'), workers: 0 });
    expect(calibration.groups).toBe(8);
    for (const c of calibration.criteria) {
      expect(c.calibration.failures, c.key).toBeLessThanOrEqual(1);
      expect(c.calibration.status, c.key).toBe('ok');
    }
    for (const key of ['biasP(binned)', 'biasP(truth)']) {
      const bias = calibration.criteria.find((c) => c.key.startsWith(key))!;
      const sharp = bias.bins!.filter((b) => b.mdb != null && b.mdb < 0.15);
      expect(sharp.length, key).toBeGreaterThan(0);
      for (const b of sharp) expect(Math.min(b.powerUp, b.powerDown), `${key} ${b.label}`).toBeGreaterThanOrEqual(7 / 8);
      // A bin the criterion cannot judge at +-20 % is named, never silently passed.
      for (const b of bias.bins!)
        if (b.expectedFlips >= 100 && Math.min(b.powerUp, b.powerDown) < 0.9) expect(bias.calibration.unjudgedBins).toContain(b.label);
    }
    const pooled = calibration.criteria.find((c) => c.key.startsWith('pooledBiasP(binned)'))!;
    expect(pooled.calibration.power['scale +5 %']).toBeGreaterThanOrEqual(0);
    // Pull floors over the null pool: measured for each interval, not judged with 32 < 100 toys.
    const floors = calibration.pullFloors!.filter((f) => f.flips === '>=25' && f.region === 'all');
    expect(floors.map((f) => [f.estimator, f.interval])).toEqual([
      ['binned', expect.stringMatching(/profile/i)],
      ['binned', 'inverse Hessian (symmetric)'],
      ['truth', expect.stringMatching(/Wilson/)],
    ]);
    for (const f of floors) {
      expect(f.toys).toBe(32);
      expect(f.pass).toBeNull();
      expect(Number.isFinite(f.width)).toBe(true);
    }
  });
});
