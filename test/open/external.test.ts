/**
 * External estimators (src/external/, src/study/estimators/external.ts) on the real generator:
 *   - studies/estimators/binned_fit.mjs, a binned fit written in plain Node outside the bench, maximises the
 *     same likelihood as the built-in fit: per-bin rates equal to 1e-12, errors to 1e-9 relative, and hence
 *     the same scores (same mse, same pulls) from the same metrics code;
 *   - the sample it receives holds the documented reco columns and no truth;
 *   - a failing, hanging or garbled program gives failed toys carrying its message; bad options stop the study.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { SAMPLE_COLUMNS } from '../../src/external/protocol.js';
import { readEvents } from '../../src/io/eventsFile.js';
import { runStudy } from '../../src/study/runStudy.js';
import { readToys } from '../../src/study/toyStore.js';

const root = mkdtempSync(join(tmpdir(), 'qmisid-ext-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const NODE_FIT = resolve(import.meta.dirname, '../../studies/estimators/binned_fit.mjs');

function studyFile(name: string, estimators: unknown[], extra: Record<string, unknown> = {}): string {
  const file = join(root, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, description: 'test', seed: 7, toys: 1, events: 60000, estimators, ...extra }));
  return file;
}

describe('external estimators', () => {
  it('the Node binned fit agrees with the built-in fit bin by bin and is scored identically', async () => {
    const file = studyFile(
      'node',
      [
        { name: 'binned', kind: 'binned' },
        { name: 'nodeFit', kind: 'external', options: { command: ['node', NODE_FIT], timeoutSeconds: 60 } },
      ],
      { toys: 2 },
    );
    const out = join(root, 'node-out');
    const { summary } = await runStudy(file, { out });
    const recs = readToys(join(out, 'toys.jsonl')).records;
    expect(recs).toHaveLength(2);
    for (const r of recs) {
      const e = r.points[0]!.estimators;
      for (const [a, b] of [['binned', 'nodeFit']] as const) {
        expect(e[b]!.status).toBe('ok');
        let compared = 0;
        e[a]!.eps.forEach((x, k) => {
          const y = e[b]!.eps[k];
          if (x == null) return expect(y).toBeNull();
          expect(Math.abs(x - y!)).toBeLessThan(1e-12);
          const ex = e[a]!.err[k];
          const ey = e[b]!.err[k];
          // The Node fit reports no error for a rate at the boundary 0 (its minimum is not a stationary point).
          if (ex != null && ey != null && x > 0) {
            expect(Math.abs(ex - ey) / ex).toBeLessThan(1e-9);
            compared++;
          }
        });
        expect(compared).toBeGreaterThan(4);
        expect(e[b]!.electron.mse).toBeCloseTo(e[a]!.electron.mse!, 15);
      }
    }
    const s = summary.points[0]!.estimators;
    expect(s.nodeFit!.metrics.mse).toBeCloseTo(s.binned!.metrics.mse!, 15);
    expect(s.nodeFit!.metrics.maxAbsBiasOverSigma).toBeCloseTo(s.binned!.metrics.maxAbsBiasOverSigma!, 6);
  }, 120_000);

  it('hands over the documented reco columns, no truth, and a manifest with seed, regions and binning', async () => {
    const spy = join(root, 'spy.mjs');
    writeFileSync(
      spy,
      `import { readFileSync, writeFileSync, cpSync } from 'node:fs';
       const p = process.argv.at(-1); const m = JSON.parse(readFileSync(p, 'utf8'));
       cpSync(p.replace(/manifest.json$/, ''), ${JSON.stringify(join(root, 'seen'))}, { recursive: true });
       const z = new Array(m.n).fill(0.001);
       writeFileSync(m.output, JSON.stringify({ eps1: z, eps2: z, diagnostics: { said: 'hello' } }));`,
    );
    const file = studyFile('spy', [{ name: 'spy', kind: 'external', options: { command: ['node', spy], config: { anything: [1, 2] } } }]);
    const { summary } = await runStudy(file, { out: join(root, 'spy-out') });
    expect(summary.points[0]!.estimators.spy!.toys).toBe(1);
    const m = JSON.parse(readFileSync(join(root, 'seen', 'manifest.json'), 'utf8'));
    expect(m.protocol).toBe('qmisid-external/1');
    expect(m.config).toEqual({ anything: [1, 2] });
    expect(m.regions).toEqual({ window: 0, lowSideband: 1, highSideband: 2 });
    expect(m.binning.eta[0]).toBe(0);
    expect(Number.isInteger(m.seed32)).toBe(true);
    const { table } = await readEvents(join(root, 'seen', 'sample.parquet'));
    expect(Object.keys(table.columns)).toEqual([...SAMPLE_COLUMNS]);
    expect(table.n).toBe(m.n);
    const raw = readFileSync(join(root, 'seen', m.raw.pt1));
    expect(raw.readDoubleLE(8 * 3)).toBe(table.columns.pt1![3]);
    const rec = readToys(join(root, 'spy-out', 'toys.jsonl')).records[0]!;
    expect(rec.points[0]!.estimators.spy!.diagnostics.said).toBe('hello');
  }, 60_000);

  it('a failing, hanging or garbled program is a failed toy with its message; bad options stop the study', async () => {
    const garbled = join(root, 'garbled.mjs');
    writeFileSync(
      garbled,
      `import { readFileSync, writeFileSync } from 'node:fs'; const m = JSON.parse(readFileSync(process.argv.at(-1), 'utf8')); writeFileSync(m.output, JSON.stringify({ eps1: [0.1], eps2: [0.1] }));`,
    );
    const file = studyFile('bad', [
      { name: 'fails', kind: 'external', options: { command: ['node', NODE_FIT], config: { fail: true } } },
      { name: 'hangs', kind: 'external', options: { command: ['node', '-e', 'setTimeout(() => {}, 1e6)'], timeoutSeconds: 1 } },
      { name: 'garbled', kind: 'external', options: { command: ['node', garbled] } },
      { name: 'missing', kind: 'external', options: { command: ['/no/such/program'] } },
    ]);
    const { summary } = await runStudy(file, { out: join(root, 'bad-out') });
    const e = readToys(join(root, 'bad-out', 'toys.jsonl')).records[0]!.points[0]!.estimators;
    expect(e.fails!.status).toBe('failed');
    expect(e.fails!.message).toMatch(/exit 3: binned_fit\.mjs: failing on purpose/);
    expect(e.hangs!.message).toMatch(/timed out after 1 s/);
    expect(e.garbled!.message).toMatch(/column eps1: expected \d+ entries, one per event of the sample \(got 1\)/);
    expect(e.missing!.message).toMatch(/could not start: spawn \/no\/such\/program ENOENT/);
    for (const k of ['fails', 'hangs', 'garbled', 'missing']) expect(summary.points[0]!.estimators[k]!.metrics.failureRate).toBe(1);
    const badOpt = studyFile('badopt', [{ name: 'x', kind: 'external', options: { comand: ['node'] } }]);
    await expect(runStudy(badOpt, { out: join(root, 'badopt-out') })).rejects.toThrow(ConfigError);
  }, 60_000);
});
