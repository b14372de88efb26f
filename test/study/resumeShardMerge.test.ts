import { describe, expect, it, beforeAll } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../src/errors.js';
import { mergeRuns } from '../../src/study/mergeRuns.js';
import { runStudy } from '../../src/study/runStudy.js';
import { readToys, toysJsonl } from '../../src/study/toyStore.js';

// A small real study: the generator and two cheap estimators, 6 toys of 20 000 Z events, 4 (|η|, pT) bins.
const root = mkdtempSync(join(tmpdir(), 'qmisid-study-'));
const file = join(root, 'tiny.json');
writeFileSync(
  file,
  JSON.stringify({
    name: 'tiny',
    description: 'resume/shard/merge test',
    seed: 7,
    toys: 6,
    events: 20000,
    // Coarse bins: every bin is populated at this size, so a converged fit is the expected outcome, not luck.
    binning: { eta: [0, 1.37, 2.47], pt: [25, 60, 1000] },
    scan: [{ label: 'a' }, { label: 'b', generator: { detector: { flip: { lossMean: 0 } } } }],
    estimators: [
      { name: 'binned', kind: 'binned' },
      { name: 'truth', kind: 'truthMatched' },
    ],
    criteria: [{ metric: 'failureRate', estimator: 'binned', op: '<=', threshold: 0 }],
  }),
);
const lines = (dir: string) =>
  readFileSync(join(dir, 'toys.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
const sortedLines = (dir: string) => toysJsonl(readToys(join(dir, 'toys.jsonl')).records);

let full: string;
beforeAll(async () => {
  full = join(root, 'full');
  await runStudy(file, { out: full });
});

describe('study runner', () => {
  it('writes one record per toy with the derived seeds and a summary', () => {
    const recs = readToys(join(full, 'toys.jsonl')).records;
    expect(recs.map((r) => r.toy)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(recs.map((r) => r.seed)).size).toBe(6);
    const summary = JSON.parse(readFileSync(join(full, 'summary.json'), 'utf8'));
    expect(summary.toys).toEqual({ requested: 6, recorded: 6, failed: 0, missing: [] });
    expect(summary.points.map((p: { label: string }) => p.label)).toEqual(['a', 'b']);
    expect(summary.criteria[0].pass).toBe(true);
    const info = JSON.parse(readFileSync(join(full, 'study.json'), 'utf8'));
    expect(Object.keys(info.toySeeds)).toHaveLength(6);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('resumes after a kill (2 complete toys + a cut line) without losing or duplicating a toy', async () => {
    const dir = join(root, 'killed');
    const done = lines(full);
    await import('node:fs').then((fs) => fs.mkdirSync(dir, { recursive: true }));
    copyFileSync(join(full, 'study.json'), join(dir, 'study.json'));
    writeFileSync(join(dir, 'toys.jsonl'), `${done[0]}\n${done[1]}\n${done[2]!.slice(0, 40)}`);
    await runStudy(file, { out: dir });
    const got = lines(dir);
    expect(got).toHaveLength(6);
    expect(sortedLines(dir)).toBe(sortedLines(full));
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe(readFileSync(join(full, 'summary.json'), 'utf8'));
  });

  it('merges shards (one run on two worker threads) into the unsharded records and summary, byte for byte', async () => {
    const dirs = [0, 1, 2].map((i) => join(root, `shard${i}`));
    await runStudy(file, { out: dirs[0]!, shard: { index: 0, count: 3 }, workers: 2 });
    await runStudy(file, { out: dirs[1]!, shard: { index: 1, count: 3 } });
    await runStudy(file, { out: dirs[2]!, shard: { index: 2, count: 3 } });
    expect(readToys(join(dirs[1]!, 'toys.jsonl')).records.map((r) => r.toy)).toEqual([1, 4]);
    const merged = join(root, 'merged');
    mergeRuns(dirs, merged);
    expect(readFileSync(join(merged, 'toys.jsonl'), 'utf8')).toBe(sortedLines(full));
    expect(readFileSync(join(merged, 'summary.json'), 'utf8')).toBe(readFileSync(join(full, 'summary.json'), 'utf8'));
    // A partial merge reports the missing toys instead of hiding them.
    const partial = mergeRuns(dirs.slice(0, 2), join(root, 'partial'));
    expect(partial.toys.missing).toEqual([2, 5]);
  });

  it('refuses to resume a different study in the same directory, leaving it untouched', async () => {
    const before = readFileSync(join(full, 'toys.jsonl'), 'utf8');
    await expect(runStudy(file, { out: full, seed: 8 })).rejects.toBeInstanceOf(UsageError);
    expect(readFileSync(join(full, 'toys.jsonl'), 'utf8')).toBe(before);
    expect(existsSync(join(full, 'summary.json'))).toBe(true);
  });
});
