/**
 * A sample in several files (src/io/eventParts.ts, src/io/eventPartsWriter.ts): a directory of parts reads as
 * the one file holding the same rows (fit, train with read-time OC subsampling, apply: bit for bit), the parts
 * a directory output writes concatenate to the single-file output, bad directories are refused naming the
 * path (exit 2), and a failed write leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEvents, writeEvents } from '../../src/io/eventsFile.js';
import { listEventParts, openEventParts } from '../../src/io/eventParts.js';
import { openEventPartsWriter } from '../../src/io/eventPartsWriter.js';
import { partName } from '../../src/io/partLayout.js';
import { sliceTable, type EventTable } from '../../src/events/columns.js';
import { DataError } from '../../src/errors.js';
import { selectBackend } from '../../src/train/backend.js';
import { toyPairs } from '../../src/train/toyPairs.js';
import { runCli, snapshot } from '../badInput/harness.js';

let dir: string;
beforeAll(async () => {
  await selectBackend('auto');
  dir = mkdtempSync(join(tmpdir(), 'qmisid-parts-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta = { config: null, seed: 'parts', version: 'test' };

function expectSameTable(a: EventTable, b: EventTable): void {
  expect(b.n).toBe(a.n);
  expect(Object.keys(b.columns).sort()).toEqual(Object.keys(a.columns).sort());
  for (const [k, v] of Object.entries(a.columns)) {
    const w = b.columns[k]!;
    expect(w.constructor.name, k).toBe(v.constructor.name);
    expect(Buffer.from(w.buffer, w.byteOffset, w.byteLength).equals(Buffer.from(v.buffer, v.byteOffset, v.byteLength)), k).toBe(true);
  }
}

async function ok(args: string[]): Promise<void> {
  const r = await runCli(args);
  expect(r.stderr + r.stdout, args.join(' ')).not.toMatch(/UNCAUGHT/);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
}

describe('the parts writer', () => {
  it('splits chunks at the part size; the parts concatenate to the table, in name order', async () => {
    const t = toyPairs({ n: 5000, seed: 'w' });
    const out = join(dir, 'w');
    const w = await openEventPartsWriter(out, meta, { format: 'parquet', partRows: 1200 });
    for (let s = 0; s < t.n; s += 700) await w.write(sliceTable(t, s, Math.min(t.n, s + 700)));
    expect(await w.close()).toBe(t.n);
    const { paths } = listEventParts(out);
    expect(paths.map((p) => p.slice(out.length + 1))).toEqual([0, 1, 2, 3, 4].map((i) => partName(i, 'parquet')));
    const rows = paths.map((p) => (JSON.parse(readFileSync(`${p}.json`, 'utf8')) as { rows: number }).rows);
    expect(rows).toEqual([1200, 1200, 1200, 1200, 200]);
    expectSameTable(t, (await readEvents(out)).table);
    const src = await openEventParts(out);
    expect(src.rows).toBe(t.n);
    expect(src.meta).toMatchObject(meta);
  });

  it('rolls over on size (CSV: bytes are counted as written): one part per chunk when the limit is 1 byte', async () => {
    const t = toyPairs({ n: 900, seed: 'b' });
    const out = join(dir, 'b');
    const w = await openEventPartsWriter(out, meta, { format: 'csv', partBytes: 1 });
    for (let s = 0; s < t.n; s += 300) await w.write(sliceTable(t, s, s + 300));
    await w.close();
    expect(listEventParts(out).paths.length).toBe(3);
    expectSameTable(t, (await readEvents(out)).table);
  });

  it('is atomic: a failed write or an abort leaves nothing at the target or beside it, and a previous output untouched', async () => {
    const parent = join(dir, 'atomic');
    const t = toyPairs({ n: 600, seed: 'a' });
    const w = await openEventPartsWriter(join(parent, 'out'), meta, { format: 'parquet', partRows: 100 });
    await w.write(sliceTable(t, 0, 300));
    // A chunk without the first chunk's columns cannot be written.
    const bad = { n: 10, columns: { pt1: new Float64Array(10) } };
    await expect(w.write(bad)).rejects.toThrow(/column/);
    expect(existsSync(parent) ? readdirSync(parent) : []).toEqual([]);

    // A previous output survives an aborted rewrite.
    const prev = join(dir, 'prev');
    const w1 = await openEventPartsWriter(prev, meta, { format: 'parquet' });
    await w1.write(t);
    await w1.close();
    const before = snapshot(prev);
    const w2 = await openEventPartsWriter(prev, meta, { format: 'parquet', partRows: 100 });
    await w2.write(sliceTable(t, 0, 250));
    await w2.abort();
    expect(snapshot(prev)).toEqual(before);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('a directory of parts reads as one file (CLI)', () => {
  let single: string;
  let parts: string;
  beforeAll(async () => {
    single = join(dir, 'one.parquet');
    parts = join(dir, 'parts');
    const gen = ['generate', '--events', '20000', '--seed', '11', '--workers', '0'];
    await ok([...gen, '--out', single]);
    // Parts of 6001 rows: boundaries inside the reader's chunks and the generator's blocks.
    await ok([...gen, '--out', `${parts}/`, '--part-rows', '6001']);
  });

  it('generate --out DIR/ writes the single file’s rows, in order, in parts of --part-rows rows', async () => {
    const { paths, format } = listEventParts(parts);
    expect(format).toBe('parquet');
    expect(paths.length).toBe(4);
    const a = await readEvents(single);
    const b = await readEvents(parts);
    expectSameTable(a.table, b.table);
    expect(b.meta?.seed).toBe(a.meta?.seed);
    expect(b.meta?.config).toEqual(a.meta?.config);
  });

  it('fit: the same result from the directory as from the file', async () => {
    await ok(['fit', '--input', single, '--out', join(dir, 'fit1.json')]);
    await ok(['fit', '--input', parts, '--out', join(dir, 'fit2.json')]);
    const strip = (p: string): string => JSON.stringify({ ...JSON.parse(readFileSync(p, 'utf8')), input: undefined });
    expect(strip(join(dir, 'fit2.json'))).toBe(strip(join(dir, 'fit1.json')));
  });

  it('train --oc-keep: the same model bit for bit (rows numbered continuously across parts); power: a part left out changes it', async () => {
    const args = ['--features', 'pt,eta', '--hidden', '8', '--epochs', '1', '--batch', '2048', '--oc-keep', '0.2', '--ensemble', '2'];
    const more = ['--seed', '3', '--val-frac', '0', '--no-progress'];
    await ok(['train', '--input', single, '--out', join(dir, 'm1'), ...args, ...more]);
    await ok(['train', '--input', parts, '--out', join(dir, 'm2'), ...args, ...more]);
    const w1 = readFileSync(join(dir, 'm1', 'weights.bin'));
    expect(readFileSync(join(dir, 'm2', 'weights.bin')).equals(w1)).toBe(true);
    // Power: the same parts with the first one missing give another model (so the check above can fail).
    const fewer = join(dir, 'fewer');
    mkdirSync(fewer);
    for (const p of listEventParts(parts).paths.slice(1)) copyFileSync(p, join(fewer, p.slice(parts.length + 1)));
    await ok(['train', '--input', fewer, '--out', join(dir, 'm3'), ...args, ...more]);
    expect(readFileSync(join(dir, 'm3', 'weights.bin')).equals(w1)).toBe(false);
  });

  it('apply: a directory in, a directory of parts out, with the rows of the single-file output', async () => {
    const model = join(dir, 'm1');
    await ok(['apply', '--model', model, '--input', single, '--out', join(dir, 'applied1.parquet')]);
    await ok(['apply', '--model', model, '--input', parts, '--out', join(dir, 'applied') + '/', '--part-rows', '9000']);
    expect(listEventParts(join(dir, 'applied')).paths.length).toBe(3);
    expectSameTable((await readEvents(join(dir, 'applied1.parquet'))).table, (await readEvents(join(dir, 'applied'))).table);
  });
});

describe('bad directories of parts: exit 2, naming the path', () => {
  const tbl = toyPairs({ n: 300, seed: 'bad' });
  // convert reads every column of every part, so each check below is met by the reader alone.
  async function refusal(input: string): Promise<string> {
    const out = join(dir, `conv-${Math.random().toString(36).slice(2)}.parquet`);
    const r = await runCli(['convert', '--input', input, '--out', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(existsSync(out)).toBe(false);
    return r.stderr;
  }
  async function partsDir(name: string, files: Record<string, EventTable>, metas: Record<string, object> = {}): Promise<string> {
    const d = join(dir, name);
    mkdirSync(d);
    for (const [f, t] of Object.entries(files)) await writeEvents(join(d, f), t, { ...meta, ...(metas[f] ?? {}) });
    return d;
  }

  it('an empty directory', async () => {
    const d = join(dir, 'empty');
    mkdirSync(d);
    expect(await refusal(d)).toMatch(new RegExp(`${d}: directory holds no event-file parts`));
  });

  it('mixed formats', async () => {
    const d = await partsDir('mixed', { 'part-00000.parquet': tbl, 'part-00001.csv': tbl });
    expect(await refusal(d)).toMatch(new RegExp(`${d}/part-00001.csv: is csv but ${d}/part-00000.parquet is parquet`));
  });

  it('a file that is not a part', async () => {
    const d = await partsDir('stray', { 'part-00000.parquet': tbl });
    writeFileSync(join(d, 'notes.txt'), 'x');
    expect(await refusal(d)).toMatch(new RegExp(`${d}/notes.txt: is not an event-file part`));
  });

  it('columns that differ between parts', async () => {
    const drop = { n: tbl.n, columns: Object.fromEntries(Object.entries(tbl.columns).filter(([k]) => k !== 'pt2')) } as EventTable;
    const d = await partsDir('cols', { 'part-00000.parquet': tbl, 'part-00001.parquet': tbl, 'part-00002.parquet': drop });
    expect(await refusal(d)).toMatch(
      new RegExp(`${d}/part-00002.parquet column pt2: column is missing from this part but present in ${d}/part-00000.parquet`),
    );
  });

  it('column types that differ between parts', async () => {
    const other = { n: tbl.n, columns: { ...tbl.columns, eta1: Float32Array.from(tbl.columns.eta1!) } } as EventTable;
    const d = await partsDir('types', { 'part-00000.parquet': tbl, 'part-00001.parquet': other });
    expect(await refusal(d)).toMatch(new RegExp(`${d}/part-00001.parquet column eta1: has type Float32 in this part but Float64`));
  });

  it('provenance that differs between parts', async () => {
    const d = await partsDir('prov', { 'part-00000.parquet': tbl, 'part-00001.parquet': tbl }, { 'part-00001.parquet': { seed: 'other' } });
    expect(await refusal(d)).toMatch(new RegExp(`${d}/part-00001.parquet: provenance seed differs from ${d}/part-00000.parquet's`));
  });

  it('apply failing in the second part leaves no output and no temporary', async () => {
    const badRows = {
      n: tbl.n,
      columns: { ...tbl.columns, q1: Int8Array.from(tbl.columns.q1!, (q, i) => (i === 5 ? 2 : q)) },
    } as EventTable;
    const d = await partsDir('badvalue', { 'part-00000.parquet': tbl, 'part-00001.parquet': badRows });
    const parent = join(dir, 'apply-out');
    mkdirSync(parent);
    await ok([
      'train',
      '--input',
      join(d, 'part-00000.parquet'),
      '--out',
      join(dir, 'mbad'),
      '--features',
      'pt,eta',
      '--hidden',
      '4',
      '--epochs',
      '1',
      '--region',
      'all',
      '--val-frac',
      '0',
      '--no-progress',
    ]);
    const r = await runCli(['apply', '--model', join(dir, 'mbad'), '--input', d, '--out', `${join(parent, 'out')}/`, '--part-rows', '100']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${d}/part-00001.parquet column q1: row 6: a charge must be \\+1 or -1`));
    expect(readdirSync(parent)).toEqual([]);
  });

  it('part flags with a file output are refused', async () => {
    const r = await runCli(['generate', '--events', '10', '--seed', '1', '--out', join(dir, 'x.parquet'), '--part-rows', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--part-rows.*only with a directory output/);
  });

  it('a library read of a bad directory is a DataError', async () => {
    await expect(readEvents(join(dir, 'empty'))).rejects.toBeInstanceOf(DataError);
  });
});
