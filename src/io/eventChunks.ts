/**
 * Reading an event file in chunks, only the columns a command needs, with an optional region cut applied
 * while reading. What each format can skip:
 *   Parquet  reads the footer, then only the requested column chunks, row group by row group (the file is
 *            opened as a lazily read Blob, so unrequested columns are never read from disk);
 *   Arrow    reads one record batch at a time through a file handle and keeps the requested columns;
 *   CSV      scans every byte but parses only the requested fields (csvColumns.ts).
 * So a training set of 10^6 events costs the projected columns (tens of MB), not every column of the file.
 *
 * Every chunk's columns come back with their standard typed-array types and pass the same checks as before
 * (checkedColumn: finite, charges ±1, flags 0/1, region 0/1/2), with rows numbered across the whole file.
 */
import { existsSync, openAsBlob, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { RecordBatchReader, tableFromIPC, type RecordBatch, type Table } from 'apache-arrow';
import { DataError } from '../errors.js';
import { allocate, columnSpec, type EventTable, type TypedColumn } from '../events/columns.js';
import { REGION } from '../selection/selection.js';
import { readCsvChunks, readCsvHeader } from './csvColumns.js';

/** Provenance stored with every event file. */
export interface EventFileMeta {
  config: unknown;
  seed: string | number;
  version: string;
  [key: string]: unknown;
}

export type EventFormat = 'parquet' | 'arrow' | 'csv';

export const META_KEY = 'qmisid';

export function sidecarPath(path: string): string {
  return `${path}.json`;
}

export interface ChunkReadOptions {
  /** Read only these columns (all by default). */
  columns?: readonly string[];
  /** Fail unless these columns are present. */
  require?: readonly string[];
  /** With `columns`: also read these when the file has them (e.g. `w`, truth columns). */
  optional?: readonly string[];
  /** Keep only rows whose `region` is one of these (the column is read for the cut even if not requested). */
  regions?: readonly number[];
  /** Rows per chunk for CSV (Parquet and Arrow hand out their own row groups / record batches). */
  chunkRows?: number;
}

/** An opened event file: its columns, its provenance, and its chunks. */
export interface EventChunkSource {
  /** Every column of the file. */
  names: string[];
  /** The columns each chunk carries (the request, plus the optional ones the file has). */
  columns: string[];
  meta: EventFileMeta | undefined;
  /** Rows in the file before any cut, when the format records it (Parquet, Arrow). */
  rows: number | undefined;
  chunks(): AsyncGenerator<EventTable>;
}

type RawChunk = { n: number; get: (name: string) => ArrayLike<number | bigint | boolean | null> };

function sidecarMeta(path: string): EventFileMeta | undefined {
  if (!existsSync(sidecarPath(path))) return undefined;
  try {
    return JSON.parse(readFileSync(sidecarPath(path), 'utf8')) as EventFileMeta;
  } catch {
    throw new DataError(sidecarPath(path), undefined, 'sidecar is not valid JSON');
  }
}

function unreadable(path: string, format: EventFormat, err: unknown): DataError {
  return new DataError(path, undefined, `not a readable ${format} file: ${(err as Error)?.message ?? String(err)}`);
}

function fromArrow(t: Table | RecordBatch): RawChunk {
  return { n: t.numRows, get: (name) => t.getChild(name)!.toArray() as ArrayLike<number> };
}

async function openParquet(path: string): Promise<{ names: string[]; meta: EventFileMeta | undefined; rows: number; raw: (want: string[]) => AsyncGenerator<RawChunk> }> {
  const pw = await import('parquet-wasm/node');
  let file: import('parquet-wasm/node').ParquetFile;
  let names: string[];
  let meta: EventFileMeta | undefined;
  let rows: number;
  try {
    file = await pw.ParquetFile.fromFile(await openAsBlob(path));
    const schema = tableFromIPC(file.schema().intoIPCStream());
    names = schema.schema.fields.map((f) => f.name);
    const m = schema.schema.metadata.get(META_KEY);
    if (m) meta = JSON.parse(m) as EventFileMeta;
    rows = Number(file.metadata().fileMetadata().numRows());
  } catch (err) {
    throw unreadable(path, 'parquet', err);
  }
  return {
    names,
    meta,
    rows,
    async *raw(want) {
      const present = want.filter((c) => names.includes(c));
      if (present.length === 0) {
        if (rows > 0) yield { n: rows, get: () => [] };
        return;
      }
      let stream: ReadableStream;
      try {
        stream = await file.stream({ columns: present, batchSize: 65536 });
      } catch (err) {
        throw unreadable(path, 'parquet', err);
      }
      for await (const rb of stream as unknown as AsyncIterable<{ intoIPCStream(): Uint8Array }>) {
        yield fromArrow(tableFromIPC(rb.intoIPCStream()));
      }
    },
  };
}

async function openArrow(path: string): Promise<{ names: string[]; meta: EventFileMeta | undefined; rows: number | undefined; raw: (want: string[]) => AsyncGenerator<RawChunk> }> {
  const open1 = async () => {
    const fh = await open(path, 'r');
    try {
      const reader = await RecordBatchReader.from(fh);
      await reader.open();
      return { fh, reader };
    } catch (err) {
      await fh.close();
      throw unreadable(path, 'arrow', err);
    }
  };
  const { fh, reader } = await open1();
  const names = reader.schema.fields.map((f) => f.name);
  const m = reader.schema.metadata.get(META_KEY);
  const meta = m ? (JSON.parse(m) as EventFileMeta) : undefined;
  return {
    names,
    meta,
    rows: undefined,
    async *raw() {
      try {
        for await (const batch of reader) yield fromArrow(batch);
      } catch (err) {
        if (err instanceof DataError) throw err;
        throw unreadable(path, 'arrow', err);
      } finally {
        await fh.close();
      }
    },
  };
}

/**
 * Open an event file for chunked reading. Bad paths, unknown formats, missing required or requested columns
 * are DataErrors here, before any chunk is read.
 */
export async function openEventChunks(path: string, format: EventFormat, opts: ChunkReadOptions = {}): Promise<EventChunkSource> {
  if (!existsSync(path) || !statSync(path).isFile()) throw new DataError(path, undefined, 'no such file');
  let names: string[];
  let meta: EventFileMeta | undefined;
  let rows: number | undefined;
  let raw: (want: string[]) => AsyncGenerator<RawChunk>;
  if (format === 'csv') {
    const header = readCsvHeader(path);
    names = header.names;
    raw = async function* (want) {
      for await (const c of readCsvChunks(path, header, want, opts.chunkRows)) {
        const byName = new Map(want.map((w, k) => [w, c.columns[k]!]));
        yield { n: c.n, get: (name) => byName.get(name)! };
      }
    };
  } else {
    const f = format === 'parquet' ? await openParquet(path) : await openArrow(path);
    ({ names, meta, rows } = f);
    raw = f.raw;
  }
  meta ??= sidecarMeta(path);
  for (const r of opts.require ?? []) {
    if (!names.includes(r)) throw new DataError(path, r, `required column is missing (columns present: ${names.join(' ')})`);
  }
  const wanted = opts.columns ? [...new Set([...opts.columns, ...(opts.optional ?? []).filter((c) => names.includes(c))])] : [...names];
  for (const name of wanted) {
    if (!names.includes(name)) throw new DataError(path, name, `requested column is missing (columns present: ${names.join(' ')})`);
  }
  if (opts.regions && !names.includes('region')) throw new DataError(path, 'region', `needed for the region cut but missing (columns present: ${names.join(' ')})`);
  const readNames = opts.regions && !wanted.includes('region') ? [...wanted, 'region'] : wanted;
  const keepRegion = opts.regions ? new Set(opts.regions) : undefined;

  return {
    names,
    columns: wanted,
    meta,
    rows,
    async *chunks() {
      let offset = 0;
      for await (const c of raw(readNames)) {
        const columns: Record<string, TypedColumn> = {};
        for (const name of readNames) columns[name] = checkedColumn(path, name, c.get(name), c.n, offset);
        offset += c.n;
        if (!keepRegion) {
          yield { n: c.n, columns };
          continue;
        }
        const region = columns.region!;
        let m = 0;
        for (let i = 0; i < c.n; i++) if (keepRegion.has(region[i]!)) m++;
        const out: Record<string, TypedColumn> = {};
        for (const name of wanted) {
          const src = columns[name]!;
          const dst = allocate(columnSpec(name)?.type ?? 'f64', m);
          let j = 0;
          for (let i = 0; i < c.n; i++) if (keepRegion.has(region[i]!)) dst[j++] = src[i]!;
          out[name] = dst;
        }
        yield { n: m, columns: out };
      }
    },
  };
}

/** A column of a chunk as its standard type, every value checked; `offset` numbers rows across the file. */
export function checkedColumn(path: string, name: string, src: ArrayLike<number | bigint | boolean | null>, n: number, offset = 0): TypedColumn {
  const spec = columnSpec(name);
  const out = allocate(spec?.type ?? 'f64', n);
  const charge = name === 'q1' || name === 'q2' || name === 'truth_q1' || name === 'truth_q2';
  const flag = spec?.type === 'u8' && name !== 'region';
  const isRegion = name === 'region';
  const count = spec?.type === 'u32';
  for (let i = 0; i < n; i++) {
    const s = src[i];
    const v = typeof s === 'number' ? s : typeof s === 'bigint' ? Number(s) : typeof s === 'boolean' ? Number(s) : Number.NaN;
    const row = offset + i;
    if (!Number.isFinite(v)) throw new DataError(path, name, `row ${row} is not a finite number`, String(v));
    if (spec) {
      if (charge && v !== 1 && v !== -1) throw new DataError(path, name, `row ${row}: a charge must be +1 or -1`, v);
      if (flag && v !== 0 && v !== 1) throw new DataError(path, name, `row ${row}: a flag must be 0 or 1`, v);
      if (isRegion && v !== REGION.window && v !== REGION.lowSideband && v !== REGION.highSideband) {
        throw new DataError(path, name, `row ${row}: region must be ${REGION.window} (window), ${REGION.lowSideband} or ${REGION.highSideband} (sidebands)`, v);
      }
      if (count && (v < 0 || !Number.isInteger(v))) throw new DataError(path, name, `row ${row}: expected a non-negative integer`, v);
    }
    out[i] = v;
  }
  return out;
}
