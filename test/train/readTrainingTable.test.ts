/**
 * `qmisid train` reads its events in a thread of its own (src/train/readTrainingTable.ts): what arrives by
 * transfer must be what the same read gives in the calling thread (columns bit for bit, row numbers, counts,
 * selection), and an input error in the reading thread must stay an input error with its message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEvents } from '../../generators/zee/generateEvents.js';
import { configForMetadata } from '../../src/config/generatorConfig.js';
import { writeEvents } from '../../src/io/eventsFile.js';
import { resolveTrainConfig } from '../../src/train/config.js';
import {
  readTrainingTable,
  readTrainingTableInWorker,
  type TrainingRead,
  type TrainingReadRequest,
} from '../../src/train/readTrainingTable.js';
import { QmisidError } from '../../src/errors.js';

let dir: string;
let input: string;
let noEta2: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qmisid-readtable-'));
  const gen = await generateEvents({ config: {}, events: 8000, seed: 'read-table', workers: 0 });
  const table = gen.table!;
  const meta = { config: configForMetadata(gen.config), seed: 'read-table', version: 'test' };
  input = join(dir, 'ev.parquet');
  await writeEvents(input, table, meta);
  const rest = Object.fromEntries(Object.entries(table.columns).filter(([k]) => k !== 'eta2'));
  noEta2 = join(dir, 'no-eta2.arrow');
  await writeEvents(noEta2, { n: table.n, columns: rest }, meta);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const plain = (r: TrainingRead) => ({
  ...r,
  table: {
    n: r.table.n,
    columns: Object.fromEntries(Object.entries(r.table.columns).map(([k, v]) => [k, `${v.constructor.name}:${bytes(v)}`])),
  },
  ...(r.rows ? { rows: bytes(r.rows) } : {}),
});

describe('reading the training events in a worker thread', () => {
  const cases: [string, Partial<TrainingReadRequest>, Record<string, unknown>][] = [
    ['window, every event', { region: 'window' }, {}],
    ['window, OC subsampled for three members', { region: 'window' }, { ocKeep: 0.3, ensemble: 3 }],
    ['sideband-subtracted, narrowed by the flags', { region: 'sideband-subtracted', selectionFlags: { window: '86,96' } }, {}],
  ];
  it.each(cases)('%s: the same table, row numbers, counts and selection as in the calling thread', async (_name, over, cfg) => {
    const req: TrainingReadRequest = {
      input,
      config: resolveTrainConfig({ features: ['pt', 'eta'], ...cfg }),
      oracle: false,
      region: 'window',
      selectionFlags: {},
      ...over,
    };
    const here = await readTrainingTable(req);
    const there = await readTrainingTableInWorker(req);
    expect(there.table.n).toBeGreaterThan(0);
    expect(there.selected).toBeLessThan(there.read);
    if (cfg.ocKeep) expect(there.table.n).toBeLessThan(there.selected);
    expect(plain(there)).toEqual(plain(here));
  });

  it('an input error in the reading thread reaches the caller as an input error with its message', async () => {
    const req: TrainingReadRequest = { input: noEta2, config: resolveTrainConfig({}), oracle: false, region: 'window', selectionFlags: {} };
    const here = await readTrainingTable(req).then(
      () => undefined,
      (e: unknown) => e,
    );
    const there = await readTrainingTableInWorker(req).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(here).toBeInstanceOf(QmisidError);
    expect(there).toBeInstanceOf(QmisidError);
    expect((there as Error).message).toBe((here as Error).message);
    expect((there as Error).message).toContain('eta2');
  });

  it('a flag the selection refuses is an input error naming the flag, from the reading thread', async () => {
    const req: TrainingReadRequest = {
      input,
      config: resolveTrainConfig({}),
      oracle: false,
      region: 'window',
      selectionFlags: { window: '90' },
    };
    const err = await readTrainingTableInWorker(req).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(QmisidError);
    expect((err as Error).message).toContain('--window');
  });
});
