/**
 * A streamed toy (src/study/streamToy.ts: the point's events generated twice, block by block, never held) writes
 * the in-memory toy's record byte for byte, for a bias-vs-n-like point: the binned fit (with profile
 * intervals), truth-matched rates and φ with OC subsampling (ocKeep 0.3). Reduced size: 120k truth events in
 * blocks of 8192 (15 blocks, ~40k selected rows), pass-2 chunks of 16384 window rows (so the rows are regrouped
 * across blocks, and the last chunk is short). A second pass that sees other events stops with an error.
 */
import { describe, expect, it } from 'vitest';
import { Binning } from '../../src/binning/Binning.js';
import { createBlockContext } from '../../generators/zee/generateBlock.js';
import { truthEventBlocks } from '../../generators/zee/generateEvents.js';
import { parseStudy } from '../../src/study/loadStudy.js';
import { resolveStudy, type ResolvedStudy } from '../../src/study/resolveStudy.js';
import { runToy, toySeed } from '../../src/study/runToy.js';
import { STREAM_MIN_EVENTS, notStreamable, streamDecision, streamPoint } from '../../src/study/streamToy.js';
import { PREDICT_CHUNK_ROWS } from '../../src/train/predict.js';
import { deriveSeed } from '../../src/rng.js';
import type { StudyInput } from '../../src/study/studySchema.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import { MAX_TOY_EVENTS } from '../../src/limits.js';
import { runCalibration } from '../../src/study/runCalibration.js';

const PHI = { features: ['pt', 'abseta'], hidden: [8], epochs: 2, batch: 2048, ocKeep: 0.3, patience: 4, lr: 0.01, threads: 1 };

function study(patch: Partial<StudyInput> = {}, events = 120_000): ResolvedStudy {
  return resolveStudy(
    parseStudy({
      name: 'stream',
      description: 'd',
      seed: 11,
      toys: 1,
      events,
      generator: { blockSize: 8192 },
      binning: { eta: [0, 1.37, 2.47], pt: [25, 40, 1000] },
      scan: [{ label: 'a' }],
      estimators: [
        { name: 'binned', kind: 'binned' },
        { name: 'truth', kind: 'truthMatched' },
        { name: 'phi', kind: 'phi', options: PHI },
      ],
      ...patch,
    }),
  );
}

describe('streamed study toy', () => {
  it('writes the in-memory record byte for byte (binned, truth, phi with ocKeep 0.3)', async () => {
    const s = study();
    const memory = await runToy(s, 0, 1, { stream: 'never' });
    const point = s.points[0]!;
    const seed = toySeed(s, 0);
    const ctx = createBlockContext(point.generator);
    const blocks = () => truthEventBlocks(ctx, deriveSeed(seed, 'events'), point.events);
    const binning = Binning.fromEdges(s.binning.eta, s.binning.pt);
    const streamed = await streamPoint(s, 0, seed, point, binning, blocks, { threads: 1, chunkRows: PREDICT_CHUNK_ROWS });
    // Not a comparison of empty records: every estimator answered, on more window rows than one pass-2 chunk.
    const p = memory.points[0]!;
    expect(memory.status).toBe('ok');
    expect(p.window).toBeGreaterThan(2 * PREDICT_CHUNK_ROWS);
    for (const e of ['binned', 'truth', 'phi']) expect(p.estimators[e]!.status, e).toBe('ok');
    expect(p.estimators.binned!.interval).toMatch(/profile likelihood/);
    expect(p.estimators.phi!.electron.n).toBeGreaterThan(0);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(p));
    // And through runToy with its default chunks.
    expect(JSON.stringify(await runToy(s, 0, 1, { stream: 'always' }))).toBe(JSON.stringify(memory));
  }, 180_000);

  it('stops when the second pass sees other events than the first (another seed)', async () => {
    const s = study({}, 30_000);
    const point = s.points[0]!;
    const seed = toySeed(s, 0);
    const ctx = createBlockContext(point.generator);
    const blocks = (pass: 1 | 2) => truthEventBlocks(ctx, deriveSeed(seed, pass === 1 ? 'events' : 'other'), point.events);
    const binning = Binning.fromEdges(s.binning.eta, s.binning.pt);
    await expect(streamPoint(s, 0, seed, point, binning, blocks, { threads: 1 })).rejects.toThrow(/second pass .* saw other events/);
    // The same source with one seed for both passes goes through.
    const same = () => truthEventBlocks(ctx, deriveSeed(seed, 'events'), point.events);
    await expect(streamPoint(s, 0, seed, point, binning, same, { threads: 1 })).resolves.toMatchObject({ label: 'a' });
  }, 120_000);

  it('streams only what it supports, and by default only large points', () => {
    const s = study();
    const point = s.points[0]!;
    expect(notStreamable(s, point)).toBeUndefined();
    expect(streamDecision(s, point)).toBe(false); // below STREAM_MIN_EVENTS
    expect(streamDecision(s, { ...point, events: STREAM_MIN_EVENTS })).toBe(true);
    expect(streamDecision(s, { ...point, events: STREAM_MIN_EVENTS }, 'never')).toBe(false);
    const full = study({ estimators: [{ name: 'phi', kind: 'phi', options: { ...PHI, ocKeep: 1 } }] });
    expect(notStreamable(full, full.points[0]!)).toMatch(/ocKeep 1/);
    const oracle = study({ estimators: [{ name: 'o', kind: 'oracle' }] });
    expect(notStreamable(oracle, oracle.points[0]!)).toMatch(/kind oracle/);
    expect(() => streamDecision(oracle, oracle.points[0]!, 'always')).toThrow(/cannot stream/);
  });

  it('allows a point above the in-memory bound only when it streams', () => {
    const big = { scan: [{ label: 'a' }, { label: 'big', events: MAX_TOY_EVENTS + 1 }] };
    expect(study(big).points[1]!.events).toBe(MAX_TOY_EVENTS + 1);
    const oracle = { ...big, estimators: [{ name: 'o', kind: 'oracle' as const }] };
    expect(() => study(oracle)).toThrow(ConfigError);
    expect(() => study(oracle)).toThrow(/scan\.1\.events.*cannot stream: estimator o is of kind oracle/);
  });

  it('calibration.points must hold every point a criterion judges (checked before any null toy runs)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-stream-cal-'));
    try {
      const file = join(dir, 's.json');
      const criterion = { metric: 'failureRate', estimator: 'b', op: '<=', threshold: 0 };
      const base = {
        name: 's',
        description: 'd',
        seed: 1,
        toys: 2,
        events: 1000,
        scan: [{ label: 'small' }, { label: 'large', events: 2000 }],
        estimators: [{ name: 'b', kind: 'binned' }],
      };
      writeFileSync(
        file,
        JSON.stringify({ ...base, criteria: [{ ...criterion, point: 'large' }], calibration: { toys: 2, points: ['small'] } }),
      );
      await expect(runCalibration(file, { out: join(dir, 'o1') })).rejects.toThrow(/calibration\.points.*criterion 0 judges large/);
      writeFileSync(
        file,
        JSON.stringify({ ...base, criteria: [{ ...criterion, point: 'small' }], calibration: { toys: 2, points: ['nope'] } }),
      );
      await expect(runCalibration(file, { out: join(dir, 'o2') })).rejects.toThrow(/calibration\.points\.0.*a scan point of this study/);
      // Accepted: the null runs the listed point only.
      writeFileSync(
        file,
        JSON.stringify({ ...base, criteria: [{ ...criterion, point: 'small' }], calibration: { toys: 2, points: ['small'] } }),
      );
      await runCalibration(file, { out: join(dir, 'o3') });
      const run = JSON.parse(readFileSync(join(dir, 'o3', 'study.json'), 'utf8')) as { study: { points: { label: string }[] } };
      expect(run.study.points.map((p) => p.label)).toEqual(['small']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
