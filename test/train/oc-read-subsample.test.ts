/**
 * OC subsampling decided per row (src/train/subsample.ts): `qmisid train --oc-keep r` drops, while reading,
 * the OC events no ensemble member keeps, and must give the same model, bit for bit, as subsampling the
 * whole table in memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '../../src/train/backend.js';
import { trainModel } from '../../src/train/trainModel.js';
import { toyPairs } from '../../src/train/toyPairs.js';
import { resolveTrainConfig } from '../../src/train/config.js';
import { ensembleOcFilter } from '../../src/train/ensemble.js';
import { ocKeepKey, ocSubsample, ocSubsampleChunk, rowUniform } from '../../src/train/subsample.js';
import { concatTables, type EventTable } from '../../src/events/columns.js';
import { loadModel } from '../../src/train/modelIo.js';
import { writeEvents } from '../../src/io/eventsFile.js';
import { main } from '../../src/cli/main.js';
import type { PhiModel } from '../../src/train/model.js';

let dir: string;
beforeAll(async () => {
  await selectBackend('auto');
  dir = mkdtempSync(join(tmpdir(), 'qmisid-ocread-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (m: PhiModel) =>
  Buffer.concat(
    m.members.flatMap((mem) => mem.params.weights.concat(mem.params.biases)).map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength)),
  );

function rowsOf(t: EventTable, a: number, b: number): EventTable {
  return { n: b - a, columns: Object.fromEntries(Object.entries(t.columns).map(([k, v]) => [k, v.slice(a, b)])) };
}

describe('row-level keep decisions', () => {
  it('keep fraction, independence between members and between neighbouring rows, within 4 binomial σ', () => {
    const n = 200_000;
    const r = 0.1;
    const a = ocKeepKey('s/member/0');
    const b = ocKeepKey('s/member/1');
    let ka = 0;
    let kab = 0;
    let kNext = 0;
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const ua = rowUniform(a, i);
      mean += ua;
      const inA = ua < r;
      if (inA) ka++;
      if (inA && rowUniform(b, i) < r) kab++;
      if (inA && rowUniform(a, i + 1) < r) kNext++;
    }
    const sd = (p: number) => Math.sqrt(n * p * (1 - p));
    expect(Math.abs(ka - n * r)).toBeLessThan(4 * sd(r));
    // A member's decisions carry no information on another member's or on the next row's.
    expect(Math.abs(kab - n * r * r)).toBeLessThan(4 * sd(r * r));
    expect(Math.abs(kNext - n * r * r)).toBeLessThan(4 * sd(r * r));
    // Mean of a uniform: σ = 1/sqrt(12 n).
    expect(Math.abs(mean / n - 0.5)).toBeLessThan(4 / Math.sqrt(12 * n));
    // Rows beyond 2^32 get their own decisions (the high word enters the hash).
    expect(rowUniform(a, 2 ** 32 + 5)).not.toBe(rowUniform(a, 5));
  });

  it('a member keeps every SC event with its weight and OC events with weight 1/r; the row number, not the position, decides', () => {
    const sc = Uint8Array.from([0, 1, 0, 0, 1, 0, 0, 0]);
    const w = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const key = ocKeepKey('k');
    const whole = ocSubsample(8, sc, w, 0.5, key);
    for (let k = 0; k < whole.index.length; k++) {
      const i = whole.index[k]!;
      expect(whole.w[k]).toBe(sc[i] ? w[i] : w[i]! / 0.5);
    }
    expect(whole.index.filter((i) => sc[i] === 1).length).toBe(2);
    // The same events numbered by their rows, with rows 2 and 3 absent: the same decisions for the rest.
    const keep = [0, 1, 4, 5, 6, 7];
    const part = ocSubsample(
      keep.length,
      keep.map((i) => sc[i]!),
      keep.map((i) => w[i]!),
      0.5,
      key,
      keep,
    );
    expect(Array.from(part.index, (j) => keep[j])).toEqual(Array.from(whole.index).filter((i) => i !== 2 && i !== 3));
  });
});

describe('read-time OC subsampling gives the in-memory model', () => {
  const table = toyPairs({ n: 14_000, seed: 'ocread' });
  const base = { epochs: 2, batch: 1024, hidden: [16], progress: false, seed: 4, ocKeep: 0.2, ensemble: 2 } as const;

  for (const extra of [{}, { bootstrap: true }] as const) {
    it(`chunks filtered as read, with their row numbers = the whole table in memory, bit for bit${'bootstrap' in extra ? ' (bootstrap)' : ''}`, async () => {
      const cfg = { ...base, ...extra };
      const need = ensembleOcFilter(resolveTrainConfig(cfg));
      const cuts = [0, 5000, 5001, 9000, table.n];
      const pieces: EventTable[] = [];
      const rows: number[] = [];
      for (let c = 0; c + 1 < cuts.length; c++) {
        const sub = ocSubsampleChunk(rowsOf(table, cuts[c]!, cuts[c + 1]!), cuts[c]!, need);
        pieces.push(sub.table);
        rows.push(...sub.row);
      }
      const kept = concatTables(pieces);
      let nSc = 0;
      for (let i = 0; i < table.n; i++) nSc += table.columns.sc![i]!;
      // Something was dropped, and what is left is SC plus about 1 − (1 − r)^K of the OC events.
      const pUnion = 1 - (1 - cfg.ocKeep) ** cfg.ensemble;
      const nOc = table.n - nSc;
      expect(Math.abs(kept.n - nSc - nOc * pUnion)).toBeLessThan(4 * Math.sqrt(nOc * pUnion * (1 - pUnion)));

      const inMemory = await trainModel(table, cfg);
      const readTime = await trainModel(kept, cfg, { rows: Float64Array.from(rows) });
      expect(bytes(readTime).equals(bytes(inMemory))).toBe(true);
      expect(readTime.members.map((m) => [m.trainEvents, m.valEvents, m.curves])).toEqual(
        inMemory.members.map((m) => [m.trainEvents, m.valEvents, m.curves]),
      );
      expect(readTime.normalisation).toEqual(inMemory.normalisation);
      // Power: the same kept events numbered by position instead of row give another model.
      const renumbered = await trainModel(kept, cfg);
      expect(bytes(renumbered).equals(bytes(inMemory))).toBe(false);
    });
  }

  it('qmisid train --oc-keep from a Parquet file of two row groups = trainModel on the table in memory', async () => {
    const big = toyPairs({ n: 70_000, seed: 'ocread-cli' }); // row groups of 65536 rows: two chunks
    const input = join(dir, 'ev.parquet');
    await writeEvents(input, big, { config: null, seed: 'ocread-cli', version: 'test' });
    const out = join(dir, 'model');
    const args = ['--region', 'all', '--features', 'pt,eta', '--hidden', '16', '--epochs', '1', '--batch', '4096'];
    const code = await main([
      'node',
      'qmisid',
      'train',
      '--input',
      input,
      '--out',
      out,
      ...args,
      '--oc-keep',
      '0.1',
      '--ensemble',
      '2',
      '--seed',
      '8',
      '--no-progress',
    ]);
    expect(code).toBe(0);
    const cli = loadModel(out);
    expect(cli.selection).toMatchObject({ events: big.n });
    const mem = await trainModel(big, {
      features: ['pt', 'eta'],
      hidden: [16],
      epochs: 1,
      batch: 4096,
      ocKeep: 0.1,
      ensemble: 2,
      seed: 8,
      progress: false,
    });
    expect(bytes(cli).equals(bytes(mem))).toBe(true);
    expect(cli.members.map((m) => m.trainEvents)).toEqual(mem.members.map((m) => m.trainEvents));
  });
});
