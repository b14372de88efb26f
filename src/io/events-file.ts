/**
 * Event files: Parquet (.parquet, .pq), Arrow IPC (.arrow, .feather, .ipc) and CSV (.csv), chosen by extension.
 *
 * Writing streams chunk by chunk (one Parquet row group / Arrow record batch per chunk) so 10^7 events never
 * sit in memory at once. Every file is written to a temporary name beside the target and renamed when
 * complete; a sidecar `<file>.json` carries the resolved config, seed and package version (Parquet and Arrow
 * also carry it in the file's key-value metadata under `qmisid`). Reading checks every standard column it
 * finds (type, finiteness, allowed values) and names the file, column and row of the first bad value. Rows
 * are numbered from 1 in every format, counting data rows only (a CSV header line is not a row).
 */
import { createWriteStream, existsSync, openSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { basename, dirname, extname } from 'node:path';
import { DataType, RecordBatch, RecordBatchFileWriter, Schema, tableFromArrays, tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { parse as parseCsv } from 'csv-parse/sync';
import { DataError, QmisidError, fileError } from '../errors.js';
import { allocate, columnSpec, type EventTable, type TypedColumn } from '../events/columns.js';
import { makeParents, tempBeside, writeFileAtomic } from './atomic.js';
import { onExit, sweepStaleTemps } from './cleanup.js';
import { checkFormatVersion, withFormatVersion } from './formatVersion.js';
import { mapColumns, missingColumnDetail, type ColumnMap, type MappingReport } from './columnMap.js';
import { REGION } from '../selection/selection.js';

/** Provenance stored with every event file. */
export interface EventFileMeta {
  config: unknown;
  seed: string | number;
  version: string;
  [key: string]: unknown;
}

export type EventFormat = 'parquet' | 'arrow' | 'csv';

export interface EventWriter {
  /** Append rows; columns must match the first chunk's. */
  write(chunk: EventTable): Promise<void>;
  /** Finish the file, move it into place, write the sidecar. Returns the number of rows written. */
  close(): Promise<number>;
  /** Drop the temporary file; the target is left as it was. */
  abort(): Promise<void>;
}

const META_KEY = 'qmisid';

export function formatOf(path: string): EventFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.arrow' || ext === '.feather' || ext === '.ipc') return 'arrow';
  if (ext === '.csv') return 'csv';
  throw new DataError(
    path,
    undefined,
    'unknown event-file extension: expected .parquet, .arrow (or .feather/.ipc) or .csv',
    ext || '(none)',
  );
}

export function sidecarPath(path: string): string {
  return `${path}.json`;
}

function toArrowTable(chunk: EventTable, names: readonly string[]): Table {
  const cols: Record<string, TypedColumn> = {};
  for (const name of names) {
    const col = chunk.columns[name];
    if (!col) throw new DataError('<event chunk>', name, 'column missing from a chunk that must match the first chunk');
    if (col.length !== chunk.n) throw new DataError('<event chunk>', name, `length ${col.length} differs from n = ${chunk.n}`);
    cols[name] = col;
  }
  return tableFromArrays(cols as Record<string, Float64Array>);
}

/** Open a streaming writer; the file appears at `path` only on close(). */
export async function openEventWriter(path: string, meta: EventFileMeta): Promise<EventWriter> {
  const format = formatOf(path);
  const parents = makeParents(dirname(path) || '.', path);
  sweepStaleTemps(dirname(path) || '.');
  const tmp = tempBeside(path);
  const metaJson = JSON.stringify(withFormatVersion('events', meta));
  let names: string[] | undefined;
  let rows = 0;
  let closed = false;
  // Opened synchronously: an asynchronous open could create the file after an early abort() removed it.
  // Registered before the file exists, so no signal can fall between its creation and its cleanup handler.
  const forgetTmp = onExit(() => {
    rmSync(tmp, { force: true });
    parents.undo();
  });
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (err) {
    forgetTmp();
    parents.undo();
    throw fileError(path, 'cannot write', err);
  }
  const sink = createWriteStream(tmp, { fd });
  const sinkDone = finished(sink);
  sinkDone.catch(() => undefined);
  const fail = (err: unknown): QmisidError => fileError(path, 'cannot write', err);
  const drop = (): void => {
    sink.destroy();
    rmSync(tmp, { force: true });
    forgetTmp();
    parents.undo();
  };

  let pushBatch: (t: Table) => Promise<void>;
  let finish: () => Promise<void>;

  if (format === 'csv') {
    const writeText = async (s: string): Promise<void> => {
      if (!sink.write(s)) await once(sink, 'drain');
    };
    let headerWritten = false;
    const header = async (): Promise<void> => {
      if (!headerWritten) await writeText(`${(names ?? []).join(',')}\n`);
      headerWritten = true;
    };
    pushBatch = async (t) => {
      const cols = (names ?? []).map((n) => t.getChild(n)!.toArray() as TypedColumn);
      await header();
      const lines: string[] = [];
      for (let i = 0; i < t.numRows; i++) {
        // String(x) is the shortest text that reads back to the same double: CSV round-trips exactly.
        lines.push(cols.map((c) => String(c[i])).join(','));
        if (lines.length === 4096) {
          await writeText(`${lines.join('\n')}\n`);
          lines.length = 0;
        }
      }
      if (lines.length) await writeText(`${lines.join('\n')}\n`);
    };
    finish = async () => {
      await header();
      sink.end();
      await sinkDone;
    };
  } else if (format === 'arrow') {
    const writer = new RecordBatchFileWriter();
    const piped = writer.toNodeStream();
    piped.pipe(sink);
    let schema: Schema | undefined;
    pushBatch = async (t) => {
      schema ??= new Schema(t.schema.fields, new Map([[META_KEY, metaJson]]));
      for (const b of t.batches) writer.write(new RecordBatch(schema, b.data));
    };
    finish = async () => {
      writer.finish();
      await sinkDone;
    };
  } else {
    const pw = await import('parquet-wasm/node');
    // Pull-driven source: the Parquet encoder asks for the next batch; write() hands one over and waits until
    // it is taken, which bounds memory to one chunk in flight.
    const queue: unknown[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    const source = new ReadableStream({
      async pull(controller) {
        while (queue.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
        if (queue.length) controller.enqueue(queue.shift());
        else controller.close();
      },
    });
    const props = new pw.WriterPropertiesBuilder()
      .setCompression(pw.Compression.ZSTD)
      // Row groups of 64 k rows: the encoder holds one row group in memory, so this bounds the writer's footprint.
      .setMaxRowGroupSize(65536)
      .setKeyValueMetadata(new Map([[META_KEY, metaJson]]))
      .setCreatedBy(`qmisid-bench ${meta.version}`)
      .build();
    const encoded = pw.transformParquetStream(source, props);
    const written = encoded.then((s) => s.pipeTo(Writable.toWeb(sink)));
    written.catch(() => undefined);
    pushBatch = async (t) => {
      for (const b of pw.Table.fromIPCStream(tableToIPC(t, 'stream')).recordBatches()) queue.push(b);
      wake?.();
      while (queue.length > 0) await new Promise((r) => setImmediate(r));
    };
    finish = async () => {
      ended = true;
      wake?.();
      await written;
    };
  }

  return {
    async write(chunk) {
      if (closed) throw new Error('write after close');
      names ??= Object.keys(chunk.columns);
      if (chunk.n === 0 && format !== 'csv') return;
      try {
        await pushBatch(toArrowTable(chunk, names));
      } catch (err) {
        throw fail(err);
      }
      rows += chunk.n;
    },
    async close() {
      if (closed) throw new Error('close called twice');
      closed = true;
      try {
        if (!names) throw new DataError(path, undefined, 'no chunk was written, so the file has no columns');
        if (rows === 0 && format !== 'csv') {
          // An empty Arrow/Parquet file still needs a schema: write one zero-length batch.
          const empty: EventTable = { n: 0, columns: Object.fromEntries(names.map((n) => [n, allocate('f64', 0)])) };
          await pushBatch(toArrowTable(empty, names));
        }
        await finish();
        renameSync(tmp, path);
        forgetTmp();
      } catch (err) {
        drop();
        throw fail(err);
      }
      writeFileAtomic(
        sidecarPath(path),
        `${JSON.stringify({ ...withFormatVersion('events', meta), file: basename(path), format, rows, columns: names }, null, 2)}\n`,
      );
      return rows;
    },
    async abort() {
      closed = true;
      drop();
    },
  };
}

/** Write a whole table at once (same guarantees as the streaming writer). */
export async function writeEvents(path: string, table: EventTable, meta: EventFileMeta): Promise<number> {
  const w = await openEventWriter(path, meta);
  try {
    await w.write(table);
  } catch (err) {
    await w.abort();
    throw err;
  }
  return w.close();
}

export interface ReadOptions {
  /** Read only these columns (all by default). */
  columns?: readonly string[];
  /** Fail unless these columns are present (after mapping; the error suggests a mapping). */
  require?: readonly string[];
  /** Read the file's columns under bench names (src/io/columnMap.ts); sc and region are derived when absent. */
  map?: ColumnMap;
  /** Derive `region` from m_ee when the file has none (default true); rows outside the selection are dropped. */
  deriveRegion?: boolean;
}

/** Read an event file; standard columns come back with their standard typed-array types. */
export async function readEvents(
  path: string,
  opts: ReadOptions = {},
): Promise<{ table: EventTable; meta: EventFileMeta | undefined; mapping?: MappingReport }> {
  const format = formatOf(path);
  if (!existsSync(path) || !statSync(path).isFile()) throw new DataError(path, undefined, 'no such file');
  // An empty file reads as an empty Arrow table without complaint: say what it is instead.
  if (statSync(path).size === 0)
    throw new DataError(
      path,
      undefined,
      `empty file (0 bytes): expected ${format === 'csv' ? 'a CSV' : format === 'arrow' ? 'an Arrow IPC' : 'a Parquet'} file`,
    );
  let raw: { names: string[]; get: (name: string) => ArrayLike<number | bigint | boolean | null>; n: number };
  let meta: EventFileMeta | undefined;
  if (format === 'csv') {
    raw = readCsv(path);
  } else {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      throw fileError(path, 'cannot read', err);
    }
    let table: Table;
    try {
      if (format === 'arrow') table = tableFromIPC(bytes);
      else {
        const pw = await import('parquet-wasm/node');
        table = tableFromIPC(pw.readParquet(bytes).intoIPCStream());
      }
    } catch (err) {
      // apache-arrow meets a cut file as a null footer/schema (a TypeError deep inside), not a parse error.
      const why = err instanceof TypeError ? 'truncated or corrupt' : ((err as Error).message ?? String(err));
      throw new DataError(path, undefined, `not a readable ${format === 'arrow' ? 'Arrow IPC' : 'Parquet'} file (${why})`);
    }
    const m = table.schema.metadata.get(META_KEY);
    if (m) {
      try {
        meta = JSON.parse(m) as EventFileMeta;
      } catch {
        throw new DataError(path, undefined, `file metadata "${META_KEY}" is not valid JSON`, m.slice(0, 60));
      }
    }
    checkFormatVersion('events', path, meta);
    const types = new Map(table.schema.fields.map((f) => [f.name, f.type]));
    raw = {
      names: table.schema.fields.map((f) => f.name),
      get: (name) => {
        const col = table.getChild(name)!;
        // Only numbers and booleans are event data: a text column is refused as a whole, with its type and
        // first value, rather than judged value by value (its bytes are not rows).
        if (!DataType.isInt(col.type) && !DataType.isFloat(col.type) && !DataType.isBool(col.type) && !DataType.isNull(col.type)) {
          throw new DataError(
            path,
            name,
            `has type ${String(types.get(name))}: expected a numeric column`,
            table.numRows > 0 ? col.get(0) : undefined,
          );
        }
        return col.toArray() as ArrayLike<number>;
      },
      n: table.numRows,
    };
  }
  if (!meta && existsSync(sidecarPath(path))) {
    try {
      meta = JSON.parse(readFileSync(sidecarPath(path), 'utf8')) as EventFileMeta;
    } catch {
      throw new DataError(sidecarPath(path), undefined, 'sidecar is not valid JSON');
    }
    checkFormatVersion('events', sidecarPath(path), meta);
  }
  // The one place a column mapping enters: renames, sc derived/checked from the charges, region from m_ee.
  const mapped = mapColumns(raw, opts.map, path, {
    deriveRegion: opts.deriveRegion ?? true,
    checkSc: opts.require?.includes('sc') ?? false,
  });
  raw = mapped.raw;
  for (const r of opts.require ?? []) {
    if (!raw.names.includes(r)) throw new DataError(path, r, missingColumnDetail(r, raw.names));
  }
  const wanted = opts.columns ?? raw.names;
  const columns: Record<string, TypedColumn> = {};
  for (const name of wanted) {
    if (!raw.names.includes(name)) throw new DataError(path, name, `requested column is missing (columns present: ${raw.names.join(' ')})`);
    columns[name] = convertColumn(path, name, raw.get(name), raw.n);
  }
  return { table: { n: raw.n, columns }, meta, ...(mapped.report ? { mapping: mapped.report } : {}) };
}

function readCsv(path: string): { names: string[]; get: (name: string) => Float64Array; n: number } {
  let records: string[][];
  try {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw fileError(path, 'cannot read', err);
    }
    records = parseCsv(text, { skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (err) {
    if (err instanceof QmisidError) throw err;
    throw new DataError(path, undefined, `not a readable CSV file: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new DataError(path, undefined, 'empty CSV file: expected a header line');
  const names = records[0]!;
  const n = records.length - 1;
  const cache = new Map<string, Float64Array>();
  return {
    names,
    n,
    get(name) {
      const j = names.indexOf(name);
      let col = cache.get(name);
      if (!col) {
        col = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const text = records[i + 1]![j]!;
          const v = text === '' ? Number.NaN : Number(text);
          if (Number.isNaN(v) && text.toLowerCase() !== 'nan') throw new DataError(path, name, `row ${i + 1} is not a number`, text);
          col[i] = v;
        }
        cache.set(name, col);
      }
      return col;
    },
  };
}

function convertColumn(path: string, name: string, src: ArrayLike<number | bigint | boolean | null>, n: number): TypedColumn {
  const spec = columnSpec(name);
  const out = allocate(spec?.type ?? 'f64', n);
  for (let i = 0; i < n; i++) {
    const s = src[i];
    const v = typeof s === 'bigint' ? Number(s) : typeof s === 'boolean' ? Number(s) : s == null ? Number.NaN : s;
    if (!Number.isFinite(v)) throw new DataError(path, name, `row ${i + 1} is not a finite number`, String(v));
    if (spec) {
      if ((name === 'q1' || name === 'q2' || name === 'truth_q1' || name === 'truth_q2') && v !== 1 && v !== -1) {
        throw new DataError(path, name, `row ${i + 1}: a charge must be +1 or -1`, v);
      }
      if (spec.type === 'u8' && name !== 'region' && v !== 0 && v !== 1)
        throw new DataError(path, name, `row ${i + 1}: a flag must be 0 or 1`, v);
      if (name === 'region' && v !== REGION.window && v !== REGION.lowSideband && v !== REGION.highSideband) {
        throw new DataError(
          path,
          name,
          `row ${i + 1}: region must be ${REGION.window} (window), ${REGION.lowSideband} or ${REGION.highSideband} (sidebands)`,
          v,
        );
      }
      if (spec.type === 'u32' && (v < 0 || !Number.isInteger(v)))
        throw new DataError(path, name, `row ${i + 1}: expected a non-negative integer`, v);
    }
    out[i] = v;
  }
  return out;
}
