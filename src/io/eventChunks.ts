/**
 * Reading an event file in chunks, only the columns a command needs, with an optional region cut applied
 * while reading. What each format can skip:
 *   Parquet  reads the footer, then only the requested column chunks, row group by row group (parquet-wasm
 *            asks for byte ranges, read here one by one, so unrequested columns are never read from disk), and
 *            takes each batch out of its memory through the Arrow C Data Interface (arrowCData.ts);
 *   Arrow    reads one record batch at a time through a file handle and keeps the requested columns;
 *   CSV      scans every byte but parses only the requested fields (csvColumns.ts).
 * So a training set of 10^6 events costs the projected columns (tens of MB), not every column of the file.
 *
 * Every chunk's columns come back with their standard typed-array types and pass the same checks as before
 * (checkedColumn: finite, charges ±1, flags 0/1, region 0/1/2), with rows numbered from 1 across the whole
 * file (data rows only). A column mapping (src/io/columnMap.ts) is applied to every chunk at this one place:
 * the projection asks for the file's names of the bench columns and for what a derived column is made from
 * (sc from q1, q2; region from m_ee). The file's format version is checked before any chunk is read.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { RecordBatch, Table } from 'apache-arrow';
import { DataError, fileError } from '../errors.js';
import { cDataReadable, readCDataBatch, readCDataSchema } from './arrowCData.js';
import { allocate, columnSpec, type EventTable, type TypedColumn } from '../events/columns.js';
import { REGION } from '../selection/selection.js';
import { readCsvChunks, readCsvHeader } from './csvColumns.js';
import { mapColumns, missingColumnDetail, scMismatchError, type ColumnMap, type MappingReport, type RawColumns } from './columnMap.js';
import { checkFormatVersion } from './formatVersion.js';

/** Provenance stored with every event file. */
export interface EventFileMeta {
  config: unknown;
  seed: string | number;
  version: string;
  [key: string]: unknown;
}

export type EventFormat = 'parquet' | 'arrow' | 'csv';

/** The largest Parquet file the reader can open (a 32-bit WebAssembly module addresses 2^32 bytes). */
export const PARQUET_MAX_BYTES = 2 ** 32;

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
  /**
   * Rows per chunk for CSV and Parquet (default 65536, the row groups this project writes; Arrow hands out
   * its own record batches). Smaller chunks hold less of a wide file at once (qmisid apply reads every column).
   */
  chunkRows?: number;
  /** Read the file's columns under bench names (src/io/columnMap.ts); sc and region are derived when absent. */
  map?: ColumnMap;
  /** Derive `region` from m_ee when the file has none (default true); rows outside the selection are dropped. */
  deriveRegion?: boolean;
}

/** An opened event file: its columns, its provenance, and its chunks. */
export interface EventChunkSource {
  /** Every column of the file, under bench names (after the mapping, with derived sc and region). */
  names: string[];
  /** The columns each chunk carries (the request, plus the optional ones the file has). */
  columns: string[];
  meta: EventFileMeta | undefined;
  /** Rows in the file before any cut, when the format records it (Parquet, Arrow). */
  rows: number | undefined;
  /** The stored type of each of the file's columns (file names), when the format records it (Parquet, Arrow). */
  types: Record<string, string> | undefined;
  chunks(): AsyncGenerator<EventTable>;
  /**
   * What the mapping did (renames, derived columns, the selection used); undefined when the file was read as
   * is. `droppedOutsideSelection` counts the chunks read so far, so it is complete once chunks() has ended.
   */
  mapping(): MappingReport | undefined;
}

type RawChunk = { n: number; get: (name: string) => ArrayLike<number | bigint | boolean | null> };

function sidecarMeta(path: string): EventFileMeta | undefined {
  if (!existsSync(sidecarPath(path))) return undefined;
  let meta: EventFileMeta;
  try {
    meta = JSON.parse(readFileSync(sidecarPath(path), 'utf8')) as EventFileMeta;
  } catch {
    throw new DataError(sidecarPath(path), undefined, 'sidecar is not valid JSON');
  }
  checkFormatVersion('events', sidecarPath(path), meta);
  return meta;
}

/** The file's `qmisid` key-value metadata, parsed and version-checked. */
function fileMeta(path: string, m: string | undefined): EventFileMeta | undefined {
  if (!m) return undefined;
  let meta: EventFileMeta;
  try {
    meta = JSON.parse(m) as EventFileMeta;
  } catch {
    throw new DataError(path, undefined, `file metadata "${META_KEY}" is not valid JSON`, m.slice(0, 60));
  }
  checkFormatVersion('events', path, meta);
  return meta;
}

function unreadable(path: string, format: EventFormat, err: unknown): DataError {
  if (err instanceof DataError) return err;
  // apache-arrow meets a cut file as a null footer/schema (a TypeError deep inside), not a parse error.
  const why = err instanceof TypeError ? 'truncated or corrupt' : ((err as Error)?.message ?? String(err));
  return new DataError(path, undefined, `not a readable ${format === 'arrow' ? 'Arrow IPC' : 'Parquet'} file (${why})`);
}

/**
 * apache-arrow, loaded when a command reads Arrow (or a Parquet column of a type arrowCData.ts does not read):
 * importing it raises a bare Node's resident memory from 39 to 58 MB (measured), which a Parquet read is spared.
 */
type ArrowLib = typeof import('apache-arrow');

function fromArrow(arrow: ArrowLib, path: string, t: Table | RecordBatch): RawChunk {
  const { DataType } = arrow;
  return {
    n: t.numRows,
    get: (name) => {
      const col = t.getChild(name)!;
      // Only numbers and booleans are event data: a text column is refused as a whole, with its type and
      // first value, rather than judged value by value (its bytes are not rows).
      if (!DataType.isInt(col.type) && !DataType.isFloat(col.type) && !DataType.isBool(col.type) && !DataType.isNull(col.type)) {
        throw new DataError(path, name, `has type ${String(col.type)}: expected a numeric column`, t.numRows > 0 ? col.get(0) : undefined);
      }
      const values = col.toArray() as ArrayLike<number | bigint | boolean>;
      if (col.nullCount === 0) return values;
      // toArray() leaves whatever bytes lie under a null. A null is not a value: it reads as NaN, which
      // checkedColumn refuses with its row number (as the C Data path does, arrowCData.ts).
      const out: (number | bigint | boolean)[] = Array.from(values);
      for (let i = 0; i < out.length; i++) if (!col.isValid(i)) out[i] = Number.NaN;
      return out;
    },
  };
}

/** The stored type of every field of an Arrow schema, as text (e.g. `Float64`), by column name. */
function typesOf(fields: readonly { name: string; type: unknown }[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.name, String(f.type)]));
}

/**
 * The file as parquet-wasm reads it (it asks for `size` and `slice(start, end).arrayBuffer()`, as of a Blob):
 * each range is read into a buffer of its own size with one positioned read. Node's `openAsBlob` goes through
 * a stream of chunks for each range; measured on the training columns of 10^6 events, read alone: 142 MB peak
 * RSS through the Blob, 126 MB this way (one run each).
 */
function rangeReader(
  path: string,
  size: number,
): { size: number; slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> } } {
  return {
    size,
    slice: (start, end) => ({
      arrayBuffer: async () => {
        const fh = await open(path, 'r');
        try {
          const buf = new Uint8Array(end - start);
          let got = 0;
          while (got < buf.length) {
            const { bytesRead } = await fh.read(buf, got, buf.length - got, start + got);
            if (bytesRead === 0) throw new Error(`file ended at byte ${start + got} (expected ${size} bytes)`);
            got += bytesRead;
          }
          return buf.buffer;
        } finally {
          await fh.close();
        }
      },
    }),
  };
}

async function openParquet(path: string): Promise<{
  names: string[];
  types: Record<string, string>;
  meta: EventFileMeta | undefined;
  rows: number;
  raw: (want: string[], batchSize?: number) => AsyncGenerator<RawChunk>;
}> {
  // parquet-wasm is a 32-bit WebAssembly module: it takes the Blob's size as a 32-bit length, so the footer of a
  // file of 4 GiB or more is looked for at the wrong place ("Corrupt footer"). Measured: the 5.4 GB file of
  // 10^8 truth events (docs/event-input.md). Say so, instead of calling the file corrupt.
  const size = statSync(path).size;
  if (size >= PARQUET_MAX_BYTES)
    throw new DataError(
      path,
      undefined,
      `Parquet file of ${size} bytes: the Parquet reader (parquet-wasm, 32-bit WebAssembly) reads files below 4 GiB (${PARQUET_MAX_BYTES} bytes); generate or convert the sample in parts below that size`,
      size,
    );
  const pw = await import('parquet-wasm/node');
  let file: import('parquet-wasm/node').ParquetFile;
  let names: string[];
  let types: Record<string, string>;
  let meta: EventFileMeta | undefined;
  let rows: number;
  try {
    file = await pw.ParquetFile.fromFile(rangeReader(path, size) as unknown as Blob);
    // The schema through the C Data Interface, not apache-arrow (arrowCData.ts): names, stored types, metadata.
    const schema = file.schema();
    meta = fileMeta(path, schema.metadata().get(META_KEY));
    const ffi = schema.intoFFI();
    try {
      const fields = readCDataSchema(pw.wasmMemory(), ffi.addr());
      names = fields.map((f) => f.name);
      types = Object.fromEntries(fields.map((f) => [f.name, f.type]));
    } finally {
      ffi.free();
    }
    rows = Number(file.metadata().fileMetadata().numRows());
  } catch (err) {
    throw unreadable(path, 'parquet', err);
  }
  return {
    names,
    types,
    meta,
    rows,
    async *raw(want, batchSize = 65536) {
      const present = want.filter((c) => names.includes(c));
      if (present.length === 0) {
        if (rows > 0) yield { n: rows, get: () => [] };
        return;
      }
      let stream: ReadableStream;
      try {
        stream = await file.stream({ columns: present, batchSize });
      } catch (err) {
        throw unreadable(path, 'parquet', err);
      }
      // Flat numeric columns are read straight from WebAssembly memory (arrowCData.ts: no IPC copy); any other
      // type takes the IPC path, whose errors name the type and the first value.
      const direct = present.every((c) => cDataReadable(types[c] ?? ''));
      for await (const rb of stream as unknown as AsyncIterable<import('parquet-wasm/node').RecordBatch>) {
        if (!direct) {
          const arrow = await import('apache-arrow');
          yield fromArrow(arrow, path, arrow.tableFromIPC(rb.intoIPCStream()));
          continue;
        }
        const ffi = rb.intoFFI();
        try {
          const batch = readCDataBatch(pw.wasmMemory(), ffi.arrayAddr(), ffi.schemaAddr());
          // The columns are views of WebAssembly memory: the consumer copies them (checkedColumn) before it asks
          // for the next chunk, and the batch is released only then.
          yield { n: batch.n, get: (name) => batch.get(name)! };
        } finally {
          ffi.free();
        }
      }
    },
  };
}

async function openArrow(path: string): Promise<{
  names: string[];
  types: Record<string, string>;
  meta: EventFileMeta | undefined;
  rows: number | undefined;
  raw: (want: string[]) => AsyncGenerator<RawChunk>;
}> {
  const arrow = await import('apache-arrow');
  const open1 = async () => {
    let fh: Awaited<ReturnType<typeof open>>;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      throw fileError(path, 'cannot read', err);
    }
    try {
      const reader = await arrow.RecordBatchReader.from(fh);
      await reader.open();
      return { fh, reader };
    } catch (err) {
      await fh.close();
      throw unreadable(path, 'arrow', err);
    }
  };
  const { fh, reader } = await open1();
  let names: string[];
  let types: Record<string, string>;
  let meta: EventFileMeta | undefined;
  try {
    if (!reader.schema) throw new TypeError('no schema');
    names = reader.schema.fields.map((f) => f.name);
    types = typesOf(reader.schema.fields);
    meta = fileMeta(path, reader.schema.metadata.get(META_KEY));
  } catch (err) {
    await fh.close();
    throw unreadable(path, 'arrow', err);
  }
  return {
    names,
    types,
    meta,
    rows: undefined,
    async *raw() {
      try {
        for await (const batch of reader) yield fromArrow(arrow, path, batch);
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
 * Open an event file for chunked reading. Bad paths, unknown formats, empty files, unknown format versions,
 * missing required or requested columns and bad mappings are DataErrors here, before any chunk is read.
 */
export async function openEventChunks(path: string, format: EventFormat, opts: ChunkReadOptions = {}): Promise<EventChunkSource> {
  if (!existsSync(path) || !statSync(path).isFile()) throw new DataError(path, undefined, 'no such file');
  // An empty file reads as an empty Arrow table without complaint: say what it is instead.
  if (statSync(path).size === 0)
    throw new DataError(
      path,
      undefined,
      `empty file (0 bytes): expected ${format === 'csv' ? 'a CSV' : format === 'arrow' ? 'an Arrow IPC' : 'a Parquet'} file`,
    );
  let fileNames: string[];
  let meta: EventFileMeta | undefined;
  let rows: number | undefined;
  let types: Record<string, string> | undefined;
  let raw: (want: string[], batchSize?: number) => AsyncGenerator<RawChunk>;
  if (format === 'csv') {
    let header: ReturnType<typeof readCsvHeader>;
    try {
      header = readCsvHeader(path);
    } catch (err) {
      throw fileError(path, 'cannot read', err);
    }
    fileNames = header.names;
    raw = async function* (want) {
      for await (const c of readCsvChunks(path, header, want, opts.chunkRows)) {
        const byName = new Map(want.map((w, k) => [w, c.columns[k]!]));
        yield { n: c.n, get: (name) => byName.get(name)! };
      }
    };
  } else {
    const f = format === 'parquet' ? await openParquet(path) : await openArrow(path);
    ({ names: fileNames, meta, rows, types } = f);
    raw = f.raw;
  }
  meta ??= sidecarMeta(path);

  // The mapping, worked out once on zero rows: the bench names, which of them are derived, and the report.
  const deriveRegion = opts.deriveRegion ?? true;
  const checkSc = opts.require?.includes('sc') ?? false;
  const empty: RawColumns = { names: fileNames, n: 0, get: () => [] };
  const dry = mapColumns(empty, opts.map, path, { deriveRegion, checkSc });
  const names = dry.raw.names;
  const derived = new Set(dry.report?.derived ?? []);
  const fileOf = new Map<string, string>(names.map((b) => [b, b]));
  for (const [from, to] of Object.entries(opts.map?.columns ?? {})) fileOf.set(to, from);

  for (const r of opts.require ?? []) {
    if (!names.includes(r)) throw new DataError(path, r, missingColumnDetail(r, names));
  }
  const wanted = opts.columns ? [...new Set([...opts.columns, ...(opts.optional ?? []).filter((c) => names.includes(c))])] : [...names];
  for (const name of wanted) {
    if (!names.includes(name)) throw new DataError(path, name, `requested column is missing (columns present: ${names.join(' ')})`);
  }
  if (opts.regions && !names.includes('region')) throw new DataError(path, 'region', missingColumnDetail('region', names));
  const readNames = opts.regions && !wanted.includes('region') ? [...wanted, 'region'] : wanted;
  // File columns to read: the requested ones under their file names, and what derived ones are made from.
  const fileCols = new Set<string>();
  const scChecked =
    names.includes('sc') && names.includes('q1') && names.includes('q2') && !derived.has('sc') && (opts.map != null || checkSc);
  for (const b of readNames) {
    if (b === 'sc' && (derived.has('sc') || scChecked))
      for (const q of ['q1', 'q2', ...(scChecked ? ['sc'] : [])]) fileCols.add(fileOf.get(q)!);
    else if (!derived.has(b)) fileCols.add(fileOf.get(b)!);
  }
  // A derived region drops the events outside the selection, whatever is read.
  if (derived.has('region')) fileCols.add(fileOf.get('m_ee')!);
  // Columns read only to derive or check another (the charges, m_ee) are checked like requested ones.
  const deps = ['q1', 'q2', 'm_ee'].filter((b) => !readNames.includes(b) && fileOf.has(b) && fileCols.has(fileOf.get(b)!));
  const keepRegion = opts.regions ? new Set(opts.regions) : undefined;
  const report = dry.report ? { ...dry.report } : undefined;
  let dropped = 0;

  return {
    names,
    columns: wanted,
    meta,
    rows,
    types,
    mapping: () => (report ? { ...report, ...(dropped > 0 ? { droppedOutsideSelection: dropped } : {}) } : undefined),
    async *chunks() {
      let fileRows = 0; // data rows of the file before this chunk
      let offset = 0; // rows handed out before this chunk (after a derived region's drop)
      const scBad: number[] = [];
      let scCount = 0;
      let scFirst = 0;
      for await (const c of raw([...fileCols], opts.chunkRows)) {
        for (const b of deps) checkedColumn(path, fileOf.get(b)!, c.get(fileOf.get(b)!), c.n, fileRows, b);
        const mapped = mapColumns({ names: fileNames, n: c.n, get: c.get }, opts.map, path, {
          deriveRegion,
          checkSc,
          wanted: readNames,
          rowOffset: fileRows,
          onScMismatch: (bad, first) => {
            if (scBad.length === 0) scFirst = first;
            for (const i of bad) if (scBad.length < 5) scBad.push(i);
            scCount += bad.length;
          },
        });
        fileRows += c.n;
        dropped += c.n - mapped.raw.n;
        const n0 = mapped.raw.n;
        const columns: Record<string, TypedColumn> = {};
        for (const name of readNames) columns[name] = checkedColumn(path, name, mapped.raw.get(name), n0, offset);
        offset += n0;
        if (scCount > 0) continue;
        if (!keepRegion) {
          yield { n: n0, columns };
          continue;
        }
        const region = columns.region!;
        let m = 0;
        for (let i = 0; i < n0; i++) if (keepRegion.has(region[i]!)) m++;
        const out: Record<string, TypedColumn> = {};
        for (const name of wanted) {
          const src = columns[name]!;
          const dst = allocate(columnSpec(name)?.type ?? 'f64', m);
          let j = 0;
          for (let i = 0; i < n0; i++) if (keepRegion.has(region[i]!)) dst[j++] = src[i]!;
          out[name] = dst;
        }
        yield { n: m, columns: out };
      }
      // The sc cross-check names the count over the whole file, so it is thrown once every chunk is read.
      if (scCount > 0) {
        const q = (b: string): string => fileOf.get(b) ?? b;
        throw scMismatchError(path, { sc: q('sc'), q1: q('q1'), q2: q('q2') }, scBad, scCount, fileRows, scFirst);
      }
    },
  };
}

/** A column of a chunk as its standard type, every value checked; `offset` numbers rows across the file. */
export function checkedColumn(
  path: string,
  name: string,
  src: ArrayLike<number | bigint | boolean | null>,
  n: number,
  offset = 0,
  /** The bench column whose rules apply (default `name`; differs when a mapped file column is checked). */
  as = name,
): TypedColumn {
  const spec = columnSpec(as);
  const out = allocate(spec?.type ?? 'f64', n);
  const charge = as === 'q1' || as === 'q2' || as === 'truth_q1' || as === 'truth_q2';
  const flag = spec?.type === 'u8' && as !== 'region';
  const isRegion = as === 'region';
  const count = spec?.type === 'u32';
  for (let i = 0; i < n; i++) {
    const s = src[i];
    const v = typeof s === 'number' ? s : typeof s === 'bigint' ? Number(s) : typeof s === 'boolean' ? Number(s) : Number.NaN;
    const row = offset + i + 1; // data rows counted from 1
    if (!Number.isFinite(v)) throw new DataError(path, name, `row ${row} is not a finite number`, String(v));
    if (spec) {
      if (charge && v !== 1 && v !== -1) throw new DataError(path, name, `row ${row}: a charge must be +1 or -1`, v);
      if (flag && v !== 0 && v !== 1) throw new DataError(path, name, `row ${row}: a flag must be 0 or 1`, v);
      if (isRegion && v !== REGION.window && v !== REGION.lowSideband && v !== REGION.highSideband) {
        throw new DataError(
          path,
          name,
          `row ${row}: region must be ${REGION.window} (window), ${REGION.lowSideband} or ${REGION.highSideband} (sidebands)`,
          v,
        );
      }
      if (count && (v < 0 || !Number.isInteger(v))) throw new DataError(path, name, `row ${row}: expected a non-negative integer`, v);
    }
    out[i] = v;
  }
  return out;
}
