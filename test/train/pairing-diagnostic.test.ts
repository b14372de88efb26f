/**
 * Issue 11 item 4: the φ-trainer's identifiability diagnostic. A training sample whose pairing graph (coarse
 * |η| × pT bins) has a populated bipartite component — here every event one barrel (|η| < 1.37) and one
 * endcap electron — does not fix ε along eq. 5; the model records it, `qmisid train` warns, and the study
 * estimator's status is notIdentifiable (flagged), never ok. The same events without the topology cut are
 * identifiable. Deterministic (the graph of the sample), no statistical tolerance.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Binning } from '../../src/binning/Binning.js';
import { main } from '../../src/cli/main.js';
import { filterTable } from '../../src/events/columns.js';
import { writeEvents } from '../../src/io/eventsFile.js';
import { phiEstimator } from '../../src/study/estimators/phi.js';
import { selectBackend } from '../../src/train/backend.js';
import { trainModel } from '../../src/train/trainModel.js';
import { toyPairs } from '../../src/train/toyPairs.js';

beforeAll(async () => {
  await selectBackend('auto');
});

const toy = toyPairs({ n: 12_000, seed: 'pairing' });
// The study estimator reads the region column (all window here).
const all = { n: toy.n, columns: { ...toy.columns, region: new Uint8Array(toy.n) } };
const barrel = (x: number) => Math.abs(x) < 1.37;
const bipartite = filterTable(all, (i) => barrel(all.columns.eta1![i]!) !== barrel(all.columns.eta2![i]!));
const opts = { hidden: [16], epochs: 1, batch: 4096, threads: 1, progress: false, seed: 1 } as const;

describe('φ pairing identifiability', () => {
  it('a barrel–endcap sample is flagged in the model and the study status; the full sample is not', async () => {
    const bad = await trainModel(bipartite, opts);
    expect(bad.pairing?.identifiable).toBe(false);
    expect(bad.pairing?.bipartiteComponents).toBe(1);
    expect(bad.pairing?.notes[0]).toMatch(/bipartite pairing.*\|η\| 0\.00–0\.50.*up; .*\|η\| 1\.52–1\.80/);
    const good = await trainModel(all, opts);
    expect(good.pairing?.identifiable).toBe(true);
    expect(good.pairing?.bipartiteComponents).toBe(0);
    const ctx = {
      binning: Binning.defaults(),
      seed: 's',
      options: { hidden: [16], epochs: 1, batch: 4096, threads: 1 },
      source: 'test',
      threads: 1,
    };
    const est = await phiEstimator(bipartite, ctx);
    expect(est.status).toBe('notIdentifiable');
    expect(est.message).toMatch(/not identifiable: bipartite pairing/);
    expect(est.diagnostics?.flagged).toBe(true);
    const ok = await phiEstimator(all, ctx);
    expect(ok.status).toBe('ok');
    expect(ok.diagnostics?.flagged).toBe(false);
  }, 120_000);

  it('`qmisid train` warns that the sample does not identify ε', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-pairing-'));
    try {
      const file = join(dir, 'events.csv');
      await writeEvents(file, bipartite, { config: null, seed: 'pairing', version: 'test' });
      const errs: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write;
      const prev = process.exitCode;
      let code: number;
      try {
        code = await main([
          'node',
          'qmisid',
          'train',
          '--input',
          file,
          '--out',
          join(dir, 'model'),
          '--region',
          'all',
          '--epochs',
          '1',
          '--hidden',
          '16',
          '--no-progress',
        ]);
      } finally {
        process.stderr.write = write;
        process.exitCode = prev;
      }
      expect(code).toBe(0);
      expect(errs.join('')).toMatch(/NOT IDENTIFIABLE, 1 bipartite component/);
      expect(errs.join('')).toMatch(/WARNING: bipartite pairing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
