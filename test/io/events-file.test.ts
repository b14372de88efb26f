import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventWriter, readEvents, writeEvents, sidecarPath } from '../../src/io/eventsFile.js';
import { COLUMNS, emptyTable, sliceTable, type EventTable } from '../../src/events/columns.js';
import { createRng } from '../../src/rng.js';
import { DataError } from '../../src/errors.js';
import { mapColumns } from '../../src/io/columnMap.js';
import { PARQUET_MAX_BYTES } from '../../src/io/eventChunks.js';

const meta = { config: { mass: { min: 60 } }, seed: 7, version: 'test' };

function randomTable(n: number, seed: number): EventTable {
  const rng = createRng(seed);
  const t = emptyTable(n);
  for (const c of COLUMNS) {
    const col = t.columns[c.name]!;
    for (let i = 0; i < n; i++) {
      if (c.name.startsWith('q') || c.name.startsWith('truth_q')) col[i] = rng.uniform() < 0.5 ? -1 : 1;
      else if (c.name === 'region') col[i] = Math.floor(rng.uniform() * 3);
      else if (c.type === 'u8') col[i] = rng.uniform() < 0.3 ? 1 : 0;
      else if (c.type === 'u32') col[i] = Math.floor(rng.uniform() * 1e6);
      else col[i] = (rng.uniform() - 0.3) * 10 ** (6 * rng.uniform() - 3);
    }
  }
  return t;
}

function expectSameTable(a: EventTable, b: EventTable): void {
  expect(b.n).toBe(a.n);
  expect(Object.keys(b.columns)).toEqual(Object.keys(a.columns));
  for (const [k, v] of Object.entries(a.columns)) {
    const w = b.columns[k]!;
    expect(w.constructor.name, k).toBe(v.constructor.name);
    expect(Buffer.from(w.buffer, w.byteOffset, w.byteLength).equals(Buffer.from(v.buffer, v.byteOffset, v.byteLength)), k).toBe(true);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'qmisid-io-'));

describe('event files', () => {
  for (const ext of ['parquet', 'arrow', 'csv']) {
    it(`round-trips every standard column bit-for-bit through .${ext}, streamed in chunks`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 120 }), fc.integer(), async (n, chunk, seed) => {
          const t = randomTable(n, seed);
          const path = join(dir, `rt-${seed}.${ext}`);
          const w = await openEventWriter(path, meta);
          for (let s = 0; s < Math.max(n, 1); s += chunk) await w.write(sliceTable(t, s, Math.min(n, s + chunk)));
          expect(await w.close()).toBe(n);
          const back = await readEvents(path);
          expectSameTable(t, back.table);
          expect(back.meta).toMatchObject(meta);
          const side = JSON.parse(readFileSync(sidecarPath(path), 'utf8'));
          expect(side).toMatchObject({ ...meta, rows: n, format: ext });
        }),
        { numRuns: 8 },
      );
    });
  }

  it('reads a column subset and checks required columns', async () => {
    const path = join(dir, 'sub.parquet');
    await writeEvents(path, randomTable(50, 1), meta);
    const { table } = await readEvents(path, { columns: ['pt1', 'sc'] });
    expect(Object.keys(table.columns)).toEqual(['pt1', 'sc']);
    await expect(readEvents(path, { require: ['nope'] })).rejects.toThrow(/column nope: required column is missing/);
  });

  for (const ext of ['parquet', 'arrow', 'csv'] as const) {
    it(`${ext}: the region cut and optional columns applied while reading equal the same cut after a full read`, async () => {
      const path = join(dir, `cut.${ext}`);
      const t = randomTable(3000, 5);
      // Several chunks (the writer's record batches / row groups, and the CSV reader's own chunks).
      const w = await openEventWriter(path, meta);
      for (let s = 0; s < t.n; s += 1000) await w.write(sliceTable(t, s, Math.min(s + 1000, t.n)));
      await w.close();
      const full = (await readEvents(path)).table;
      const { table: cut } = await readEvents(path, { columns: ['pt1', 'sc'], optional: ['w', 'no_such_column'], regions: [0] });
      expect(Object.keys(cut.columns)).toEqual(['pt1', 'sc', 'w']);
      const keep = Array.from({ length: full.n }, (_, i) => i).filter((i) => full.columns.region![i] === 0);
      expect(keep.length).toBeGreaterThan(0);
      expect(keep.length).toBeLessThan(full.n); // the cut removes rows: the comparison below has power
      expect(cut.n).toBe(keep.length);
      expect(Array.from(cut.columns.pt1!)).toEqual(keep.map((i) => full.columns.pt1![i]));
      expect(Array.from(cut.columns.w!)).toEqual(keep.map((i) => full.columns.w![i]));
      expect(cut.columns.sc).toBeInstanceOf(Uint8Array);
    });
  }

  for (const ext of ['parquet', 'arrow', 'csv'] as const) {
    it(`${ext}: a column mapping read chunk by chunk with projection equals the mapping of the whole table`, async () => {
      const path = join(dir, `mapped.${ext}`);
      const t = randomTable(3000, 9);
      // A foreign file: charges and mass under other names, sc consistent with them, no region (derived from m_ee).
      const q1 = t.columns.q1!;
      const q2 = t.columns.q2!;
      const sc = Uint8Array.from(q1, (q, i) => (q === q2[i] ? 1 : 0));
      const mee = Float64Array.from({ length: t.n }, (_, i) => 50 + ((i * 37) % 80)); // 50..129: some outside the selection
      const foreign = { el1_charge: q1, el2_charge: q2, sc, mll: mee, pt1: t.columns.pt1!, eta1: t.columns.eta1! };
      const w = await openEventWriter(path, meta);
      for (let s0 = 0; s0 < t.n; s0 += 1000) {
        const part = Object.fromEntries(Object.entries(foreign).map(([k, v]) => [k, v.slice(s0, s0 + 1000)]));
        await w.write({ n: Math.min(1000, t.n - s0), columns: part });
      }
      await w.close();
      const map = { columns: { el1_charge: 'q1', el2_charge: 'q2', mll: 'm_ee' } };
      // Reference: main's whole-table mapping (mapColumns over every row at once).
      const whole = mapColumns({ names: Object.keys(foreign), n: t.n, get: (n) => foreign[n as keyof typeof foreign] }, map, path, {
        deriveRegion: true,
        checkSc: true,
      });
      const opts = { map, require: ['sc', 'pt1'], columns: ['pt1', 'sc', 'region'], chunkRows: 700 };
      const { table, mapping } = await readEvents(path, opts);
      expect(table.n).toBe(whole.raw.n);
      expect(table.n).toBeLessThan(t.n); // rows outside the selection were dropped: the comparison has power
      expect(mapping).toEqual(whole.report);
      for (const c of ['pt1', 'sc', 'region']) expect(Array.from(table.columns[c]!), c).toEqual(Array.from(whole.raw.get(c), Number));
      // An sc that disagrees with the charges in rows of several chunks: the count is over the whole file.
      const bad = [5, 1500, 2999];
      for (const i of bad) sc[i] = 1 - sc[i]!;
      const badPath = join(dir, `mapped-bad.${ext}`);
      await writeEvents(badPath, { n: t.n, columns: foreign }, meta);
      await expect(readEvents(badPath, opts)).rejects.toThrow(
        `column sc: disagrees with the charges el1_charge, el2_charge in 3 of ${t.n} rows (first at row 6; data rows counted from 1: 6, 1501, 3000)`,
      );
    });
  }

  it('names file, column, row and value of bad data', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'pt1,q1,sc\n30,1,0\n40,0,0\n');
    await expect(readEvents(path)).rejects.toThrow(/bad\.csv column q1: row 2: a charge must be \+1 or -1 \(got 0\)/);
    writeFileSync(path, 'pt1,q1,sc\n30,1,0\nabc,1,0\n');
    await expect(readEvents(path)).rejects.toThrow(/column pt1: row 2 is not a number \(got "abc"\)/);
    writeFileSync(path, 'pt1,q1,sc\n30,1,0\n40,1,2\n');
    await expect(readEvents(path)).rejects.toThrow(DataError);
    const garbage = join(dir, 'garbage.parquet');
    writeFileSync(garbage, 'not parquet at all');
    await expect(readEvents(garbage)).rejects.toThrow(/garbage\.parquet: not a readable Parquet file/);
    await expect(readEvents(join(dir, 'x.root'))).rejects.toThrow(/unknown event-file extension/);
    await expect(readEvents(join(dir, 'missing.arrow'))).rejects.toThrow(/no such file/);
  });

  it('a Parquet file of 4 GiB or more is refused with the reason (32-bit reader), one byte less is read as usual', async () => {
    const path = join(dir, 'big.parquet');
    await writeEvents(path, randomTable(50, 9), meta);
    const small = join(dir, 'small.parquet');
    copyFileSync(path, small);
    // Sparse: the size is what the guard looks at; the disk holds a few kB.
    truncateSync(path, PARQUET_MAX_BYTES);
    await expect(readEvents(path)).rejects.toThrow(
      /big\.parquet: Parquet file of 4294967296 bytes: the Parquet reader .* reads files below 4 GiB/,
    );
    truncateSync(path, 0);
    expect((await readEvents(small)).table.n).toBe(50);
    rmSync(path, { force: true });
  });

  it('the Parquet writer stops before a file the reader could not open (limit lowered for the test)', async () => {
    const path = join(dir, 'capped.parquet');
    const w = await openEventWriter(path, meta, { maxParquetBytes: 100_000 });
    const chunk = randomTable(70_000, 4); // above one 64 k-row group: bytes reach the file as it goes
    let err: unknown;
    for (let k = 0; k < 6 && !err; k++) await w.write(chunk).catch((e: unknown) => (err = e));
    expect(String(err)).toMatch(/capped\.parquet: the Parquet file has reached \d+ bytes: files of 4 GiB or more cannot be read back/);
    await w.abort();
    expect(existsSync(path)).toBe(false);
    // The default limit lets the same chunks through.
    const ok = await openEventWriter(path, meta);
    await ok.write(chunk);
    await ok.write(chunk);
    expect(await ok.close()).toBe(140_000);
  });

  it('leaves the previous file untouched and no temporary behind when a write fails', async () => {
    const path = join(dir, 'keep.arrow');
    const original = randomTable(20, 3);
    await writeEvents(path, original, meta);
    const before = readFileSync(path);
    const w = await openEventWriter(path, meta);
    await w.write(randomTable(10, 4));
    const broken = randomTable(10, 5);
    delete (broken.columns as Record<string, unknown>).pt1;
    await expect(w.write(broken)).rejects.toThrow(/column pt1/);
    await w.abort();
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(existsSync(join(dir, 'never.parquet'))).toBe(false);
  });
});
