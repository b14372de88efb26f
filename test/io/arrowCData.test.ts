import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Bool,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Table,
  Uint16,
  Uint32,
  Uint8,
  Utf8,
  tableToIPC,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import * as pw from 'parquet-wasm/node';
import { openEventChunks } from '../../src/io/eventChunks.js';
import { DataError } from '../../src/errors.js';
import { readCDataBatch, readCDataSchema } from '../../src/io/arrowCData.js';

// The Parquet reader takes record batches and the schema straight out of parquet-wasm's memory through the
// Arrow C Data Interface (src/io/arrowCData.ts) instead of an Arrow IPC copy. These tests hold it to what
// apache-arrow reads from the same bytes: every fixed-width type, several row groups, chunks that cut through
// them (sliced arrays with offsets), nulls, and the IPC fallback for other types.

const dir = mkdtempSync(join(tmpdir(), 'qmisid-cdata-'));

const N = 2500;
const ROW_GROUP = 700; // four row groups, the last one short

/** Deterministic values of each type, varied enough that a wrong offset or width cannot match. */
function columnsOf(n: number): Record<string, { type: DataType; values: (number | bigint | boolean | null)[] }> {
  const idx = Array.from({ length: n }, (_, i) => i);
  return {
    f64: { type: new Float64(), values: idx.map((i) => Math.sin(i) * 10 ** ((i % 7) - 3)) },
    f32: { type: new Float32(), values: idx.map((i) => Math.fround(Math.cos(i) * 100)) },
    i8: { type: new Int8(), values: idx.map((i) => ((i * 37) % 255) - 127) },
    u8: { type: new Uint8(), values: idx.map((i) => (i * 13) % 256) },
    i16: { type: new Int16(), values: idx.map((i) => ((i * 7919) % 65535) - 32767) },
    u16: { type: new Uint16(), values: idx.map((i) => (i * 7919) % 65536) },
    i32: { type: new Int32(), values: idx.map((i) => (i * 104729) % 2 ** 31) },
    u32: { type: new Uint32(), values: idx.map((i) => (i * 2654435761) % 2 ** 32) },
    i64: { type: new Int64(), values: idx.map((i) => BigInt(i) * 1234567890123n - 5n) },
    bool: { type: new Bool(), values: idx.map((i) => (i * 31) % 7 < 3) },
  };
}

function writeParquet(path: string, table: Table, rowGroup: number): void {
  const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.ZSTD).setMaxRowGroupSize(rowGroup).build();
  writeFileSync(path, pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, 'stream')), props));
}

function arrowTable(cols: Record<string, { type: DataType; values: unknown[] }>): Table {
  return new Table(Object.fromEntries(Object.entries(cols).map(([k, c]) => [k, vectorFromArray(c.values, c.type)])));
}

/** Every chunk of the file, gathered per column as plain numbers (what checkedColumn makes of each value). */
async function readAll(
  path: string,
  columns: string[],
  chunkRows: number,
): Promise<{ n: number; cols: Record<string, number[]>; chunks: number }> {
  const src = await openEventChunks(path, path.endsWith('.arrow') ? 'arrow' : 'parquet', { columns, chunkRows, deriveRegion: false });
  const cols: Record<string, number[]> = Object.fromEntries(columns.map((c) => [c, []]));
  let n = 0;
  let chunks = 0;
  for await (const c of src.chunks()) {
    n += c.n;
    chunks++;
    for (const k of columns) cols[k]!.push(...Array.from(c.columns[k]!, Number));
  }
  return { n, cols, chunks };
}

describe('Parquet read through the Arrow C Data Interface', () => {
  const cols = columnsOf(N);
  const names = Object.keys(cols);
  const path = join(dir, 'types.parquet');
  writeParquet(path, arrowTable(cols), ROW_GROUP);

  it('names every stored type as apache-arrow does (the types the parts check compares)', async () => {
    const src = await openEventChunks(path, 'parquet', { deriveRegion: false });
    const expected = Object.fromEntries(Object.entries(cols).map(([k, c]) => [k, String(c.type)]));
    expect(src.types).toEqual(expected);
    expect(src.rows).toBe(N);
  });

  for (const chunkRows of [65536, 300]) {
    it(`reads every fixed-width type of a ${Math.ceil(N / ROW_GROUP)}-row-group file as apache-arrow does (chunks of ${chunkRows} rows)`, async () => {
      const got = await readAll(path, names, chunkRows);
      expect(got.n).toBe(N);
      // Chunks of 300 rows cut through the 700-row groups: batches come as slices with non-zero offsets.
      expect(got.chunks).toBe(chunkRows === 300 ? 4 * Math.ceil(ROW_GROUP / 300) - 1 : 4);
      for (const k of names) expect(got.cols[k], k).toEqual(cols[k]!.values.map((v) => Number(v)));
    });
  }

  it('reads a projection in the file order whatever the order asked', async () => {
    const got = await readAll(path, ['u32', 'f64', 'bool'], 65536);
    expect(got.cols.f64).toEqual(cols.f64!.values);
    expect(got.cols.u32).toEqual(cols.u32!.values);
    expect(got.cols.bool).toEqual(cols.bool!.values.map(Number));
  });

  it('a null is refused with its column and row number, not read as a value', async () => {
    const values: (number | null)[] = Array.from({ length: 1000 }, (_, i) => i + 0.5);
    values[777] = null;
    const p = join(dir, 'null.parquet');
    writeParquet(p, arrowTable({ x: { type: new Float64(), values }, y: { type: new Float64(), values: values.map(() => 1) } }), 400);
    const err = await readAll(p, ['x', 'y'], 65536).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(String((err as Error).message)).toMatch(/column x: row 778 is not a finite number/);
    // Without the null the same file reads: the refusal is the null's, not the file's.
    values[777] = 777.5;
    writeParquet(p, arrowTable({ x: { type: new Float64(), values }, y: { type: new Float64(), values: values.map(() => 1) } }), 400);
    expect((await readAll(p, ['x'], 65536)).cols.x).toEqual(values);
  });

  it('the IPC path (Arrow files, unusual Parquet types) refuses a null the same way', async () => {
    const values: (number | null)[] = Array.from({ length: 1000 }, (_, i) => i + 0.5);
    values[41] = null;
    const p = join(dir, 'null.arrow');
    writeFileSync(
      p,
      tableToIPC(
        arrowTable({ x: { type: new Float64(), values }, k: { type: new Int64(), values: values.map((v) => (v == null ? null : 3n)) } }),
        'file',
      ),
    );
    for (const col of ['x', 'k']) {
      const err = await readAll(p, [col], 65536).catch((e: unknown) => e);
      expect(err, col).toBeInstanceOf(DataError);
      expect(String((err as Error).message)).toMatch(new RegExp(`column ${col}: row 42 is not a finite number`));
    }
  });

  it('a text column takes the IPC path, whose error names its type and first value', async () => {
    const p = join(dir, 'text.parquet');
    writeParquet(p, arrowTable({ x: { type: new Float64(), values: [1, 2, 3] }, s: { type: new Utf8(), values: ['a', 'b', 'c'] } }), 2);
    const src = await openEventChunks(p, 'parquet', { deriveRegion: false });
    expect(src.types).toEqual({ x: 'Float64', s: 'Utf8' });
    const err = await readAll(p, ['x', 's'], 65536).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(String((err as Error).message)).toMatch(/column s: has type Utf8: expected a numeric column/);
    // The numeric column alone still reads (directly).
    expect((await readAll(p, ['x'], 65536)).cols.x).toEqual([1, 2, 3]);
  });

  it('applies the struct and column offsets, the validity bitmap, bit-packed booleans and unaligned data', () => {
    // parquet-wasm hands out fresh batches (offset 0, aligned), so these paths are exercised on hand-made structs
    // laid out as the C Data Interface specifies for a 32-bit module.
    const mem = new ArrayBuffer(4096);
    const dv = new DataView(mem);
    const u8 = new Uint8Array(mem);
    let top = 8;
    const alloc = (n: number, align = 8): number => {
      top = Math.ceil(top / align) * align;
      const at = top;
      top += n;
      return at;
    };
    const cstr = (s: string): number => {
      const at = alloc(s.length + 1, 1);
      u8.set(new TextEncoder().encode(`${s}\0`), at);
      return at;
    };
    const ptrs = (list: number[]): number => {
      const at = alloc(4 * list.length, 4);
      list.forEach((v, k) => dv.setUint32(at + 4 * k, v, true));
      return at;
    };
    const schema = (format: string, name: string, children: number[] = []): number => {
      const at = alloc(48);
      dv.setUint32(at, cstr(format), true);
      dv.setUint32(at + 4, cstr(name), true);
      dv.setBigInt64(at + 24, BigInt(children.length), true);
      dv.setUint32(at + 32, children.length ? ptrs(children) : 0, true);
      return at;
    };
    const array = (length: number, nulls: number, offset: number, buffers: number[], children: number[] = []): number => {
      const at = alloc(64);
      dv.setBigInt64(at, BigInt(length), true);
      dv.setBigInt64(at + 8, BigInt(nulls), true);
      dv.setBigInt64(at + 16, BigInt(offset), true);
      dv.setBigInt64(at + 24, BigInt(buffers.length), true);
      dv.setBigInt64(at + 32, BigInt(children.length), true);
      dv.setUint32(at + 40, ptrs(buffers), true);
      dv.setUint32(at + 44, children.length ? ptrs(children) : 0, true);
      return at;
    };
    // x: float64 0.5, 1.5, ..., 11.5 at column offset 3; row 6 of the column null.
    const xData = alloc(8 * 12);
    for (let i = 0; i < 12; i++) dv.setFloat64(xData + 8 * i, i + 0.5, true);
    const xValid = alloc(2, 1);
    u8[xValid] = 0xff & ~(1 << 6);
    u8[xValid + 1] = 0xff;
    // b: booleans 1,0,0,1,1,0,1,0,1,1,... (bits of 0b01011001, 0b11111111) at column offset 1.
    const bData = alloc(2, 1);
    u8[bData] = 0b01011001;
    u8[bData + 1] = 0xff;
    // i: int32 at an address that is 2 mod 4 (copied before viewing), column offset 0.
    const iData = alloc(4 * 12 + 2, 4) + 2;
    for (let i = 0; i < 12; i++) dv.setInt32(iData + 4 * i, -1000 * i, true);
    const n = 5;
    const structOffset = 2;
    const s = schema('+s', '', [schema('g', 'x'), schema('b', 'b'), schema('i', 'i')]);
    const a = array(n, 0, structOffset, [0], [array(12, 1, 3, [xValid, xData]), array(12, 0, 1, [0, bData]), array(12, 0, 0, [0, iData])]);
    const memory = { buffer: mem };
    const batch = readCDataBatch(memory, a, s);
    expect(batch.n).toBe(n);
    // A WebAssembly memory that grows hands out a new ArrayBuffer (same addresses) and detaches the old one:
    // the columns are viewed over the buffer of the moment they are asked for.
    memory.buffer = structuredClone(mem, { transfer: [mem] });
    expect(mem.byteLength).toBe(0);
    // Rows 2..6 of the batch are column rows 5..9 of x (offset 3 + 2): row 6 of the column is the null.
    expect(Array.from(batch.get('x')!)).toEqual([5.5, null, 7.5, 8.5, 9.5]);
    // Bits 3..7 of b (offset 1 + 2).
    expect(Array.from(batch.get('b')!)).toEqual([1, 1, 0, 1, 0]);
    expect(Array.from(batch.get('i')!)).toEqual([-2000, -3000, -4000, -5000, -6000]);
    expect(readCDataSchema(memory, s)).toEqual([
      { name: 'x', type: 'Float64' },
      { name: 'b', type: 'Bool' },
      { name: 'i', type: 'Int32' },
    ]);
  });

  it('refuses a layout it does not read (a bug in the caller, not bad input)', () => {
    // A hand-made schema struct whose format is not a struct ('+s').
    const mem = new ArrayBuffer(256);
    const dv = new DataView(mem);
    new Uint8Array(mem).set(new TextEncoder().encode('g\0'), 128);
    dv.setUint32(0, 128, true); // format -> "g"
    expect(() => readCDataSchema({ buffer: mem }, 0)).toThrow(/expected a struct/);
    expect(() => readCDataBatch({ buffer: mem }, 64, 0)).toThrow(/expected a struct/);
  });
});
