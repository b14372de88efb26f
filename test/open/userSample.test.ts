/**
 * A user's simulation as the truth source: a study whose events come from a file with foreign column names,
 * charges instead of sc, no region column and truth flip labels, read through one mapping file; toys are
 * Poisson bootstraps of the file seeded per toy; every estimator, metric and criterion runs on it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/errors.js';
import { runStudy } from '../../src/study/runStudy.js';
import { readToys } from '../../src/study/toyStore.js';
import { FOREIGN_EPS, writeForeignSample } from './foreignSample.js';

const dir = mkdtempSync(join(tmpdir(), 'qmisid-sample-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NODE_FIT = resolve(import.meta.dirname, '../../studies/estimators/binned_fit.mjs');

describe('user sample as truth source', async () => {
  const { bench } = await writeForeignSample(dir, 40000, 'open/sample');
  const study = {
    name: 'my-mc',
    description: 'user MC through a mapping',
    seed: 11,
    toys: 3,
    events: 1,
    sample: { file: 'ntuple.parquet', mapFile: 'map.json' },
    binning: { eta: [0, 1.0, 2.47], pt: [25, 60, 1000] },
    estimators: [
      { name: 'binned', kind: 'binned' },
      { name: 'truth', kind: 'truthMatched' },
      { name: 'nodeFit', kind: 'external', options: { command: ['node', NODE_FIT] } },
    ],
    criteria: [
      { metric: 'failureRate', estimator: 'binned', op: '<=', threshold: 0 },
      { metric: 'maxAbsBiasOverSigma', estimator: 'binned', op: '<', threshold: 5, why: 'Gaussian: P(|z| > 5) ~ 6e-7 per bin' },
      { metric: 'mse', estimator: 'nodeFit', relativeTo: 'binned', op: '<', threshold: 1.000001 },
    ],
  };
  const file = join(dir, 'study.json');
  writeFileSync(file, JSON.stringify(study));

  it('runs every estimator and criterion on Poisson bootstraps of the file, reproducibly', async () => {
    const { summary } = await runStudy(file, { out: join(dir, 'a') });
    expect(summary.criteria.map((c) => c.pass)).toEqual([true, true, true]);
    const recs = readToys(join(dir, 'a', 'toys.jsonl')).records;
    expect(recs.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    let windowRows = 0;
    for (let i = 0; i < bench.n; i++) windowRows += bench.columns.region![i] === 0 ? 1 : 0;
    const sizes = recs.map((r) => r.points[0]!.window);
    // A Poisson(1) bootstrap has the file's size on average, sd sqrt(n): each toy within 5 sd, and they differ.
    for (const s of sizes) expect(Math.abs(s - windowRows)).toBeLessThan(5 * Math.sqrt(windowRows));
    expect(new Set(sizes).size).toBe(3);
    // Truth reference = the toy's truth-matched rate (flip labels): equal to the truthMatched estimator.
    for (const r of recs) {
      const p = r.points[0]!;
      p.truth.forEach((t, k) => expect(p.estimators.truth!.eps[k]).toBeCloseTo(t!, 12));
      // And near the rates the file was made with (binomial error of the bin's truth-matched rate, 5 sd).
      p.truth.forEach((t, k) => expect(Math.abs(t! - FOREIGN_EPS[k]!)).toBeLessThan(5 * Math.sqrt(FOREIGN_EPS[k]! / p.count[k]!)));
    }
    // Same seed, same bytes.
    await runStudy(file, { out: join(dir, 'b') });
    expect(readFileSync(join(dir, 'b', 'toys.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'a', 'toys.jsonl'), 'utf8'));
    // The mapping is recorded with the resolved study.
    const info = JSON.parse(readFileSync(join(dir, 'a', 'study.json'), 'utf8'));
    expect(info.study.sample.map.columns.mll).toBe('m_ee');
  }, 180_000);

  it('a sample without truth labels or with a bad mapping is a typed error', async () => {
    const noTruth = join(dir, 'map-notruth.json');
    writeFileSync(
      noTruth,
      JSON.stringify({
        columns: {
          el1_pt: 'pt1',
          el1_eta: 'eta1',
          el1_phi: 'phi1',
          el1_charge: 'q1',
          el2_pt: 'pt2',
          el2_eta: 'eta2',
          el2_phi: 'phi2',
          el2_charge: 'q2',
          mll: 'm_ee',
        },
      }),
    );
    const f2 = join(dir, 'study-notruth.json');
    writeFileSync(f2, JSON.stringify({ ...study, sample: { file: 'ntuple.parquet', mapFile: 'map-notruth.json' } }));
    await expect(runStudy(f2, { out: join(dir, 'c') })).rejects.toThrow(DataError);
    await expect(runStudy(f2, { out: join(dir, 'c2') })).rejects.toThrow(
      /column truth_flip1: required column is missing.*--map el1_isflip=truth_flip1/,
    );
    const f3 = join(dir, 'study-badmap.json');
    writeFileSync(f3, JSON.stringify({ ...study, sample: { file: 'ntuple.parquet', map: { columns: { a: 'pt1', b: 'pt1' } } } }));
    await expect(runStudy(f3, { out: join(dir, 'd') })).rejects.toThrow(ConfigError);
  }, 60_000);
});
