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
import { createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { basename, dirname, extname } from 'node:path';
import type { Schema, Table } from 'apache-arrow';
import { DataError, QmisidError, fileError } from '../errors.js';
import { allocate, columnSpec, type EventTable, type TypedColumn } from '../events/columns.js';
import { makeParents, tempBeside, writeFileAtomic } from './atomic.js';
import { onExit, sweepStaleTemps } from './cleanup.js';
import { withFormatVersion } from './formatVersion.js';
import type { MappingReport } from './columnMap.js';
import { isDirectory, openEventParts } from './eventParts.js';
import { EVENT_EXTENSIONS } from './partLayout.js';
import {
  META_KEY,
  PARQUET_MAX_BYTES,
  openEventChunks,
  sidecarPath,
  type ChunkReadOptions,
  type EventChunkSource,
  type EventFileMeta,
  type EventFormat,
} from './eventChunks.js';

export { openEventChunks, sidecarPath, type EventChunkSource, type EventFileMeta, type EventFormat };

export interface EventWriter {
  /** Append rows; columns must match the first chunk's. */
  write(chunk: EventTable): Promise<void>;
  /** Finish the file, move it into place, write the sidecar. Returns the number of rows written. */
  close(): Promise<number>;
  /** Drop the temporary file; the target is left as it was. */
  abort(): Promise<void>;
  /** Bytes written so far (those the encoder still holds are not counted): what a part writer rolls over on. */
  bytes(): number;
}

export function formatOf(path: string): EventFormat {
  const ext = extname(path).toLowerCase();
  const format = EVENT_EXTENSIONS[ext];
  if (format) return format;
  throw new DataError(
    path,
    undefined,
    'unknown event-file extension: expected .parquet, .arrow (or .feather/.ipc) or .csv',
    ext || '(none)',
  );
}

function toArrowTable(arrow: typeof import('apache-arrow'), chunk: EventTable, names: readonly string[]): Table {
  const cols: Record<string, TypedColumn> = {};
  for (const name of names) {
    const col = chunk.columns[name];
    if (!col) throw new DataError('<event chunk>', name, 'column missing from a chunk that must match the first chunk');
    if (col.length !== chunk.n) throw new DataError('<event chunk>', name, `length ${col.length} differs from n = ${chunk.n}`);
    cols[name] = col;
  }
  return arrow.tableFromArrays(cols as Record<string, Float64Array>);
}

export interface EventWriterOptions {
  /** Refuse a Parquet file that would reach this many bytes (default PARQUET_MAX_BYTES minus room for the footer). */
  maxParquetBytes?: number;
}

/** Room kept below PARQUET_MAX_BYTES for the row group in flight and the footer (~100 B per column chunk). */
const PARQUET_FOOTER_ROOM = 64 * 2 ** 20;

/** Open a streaming writer; the file appears at `path` only on close(). */
export async function openEventWriter(path: string, meta: EventFileMeta, opts: EventWriterOptions = {}): Promise<EventWriter> {
  const format = formatOf(path);
  // Loaded here, not at the module's top: a command that only reads Parquet never loads it (~19 MB resident, eventChunks.ts).
  const arrow = await import('apache-arrow');
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
    const writer = new arrow.RecordBatchFileWriter();
    const piped = writer.toNodeStream();
    piped.pipe(sink);
    let schema: Schema | undefined;
    pushBatch = async (t) => {
      schema ??= new arrow.Schema(t.schema.fields, new Map([[META_KEY, metaJson]]));
      for (const b of t.batches) writer.write(new arrow.RecordBatch(schema, b.data));
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
    const maxBytes = opts.maxParquetBytes ?? PARQUET_MAX_BYTES - PARQUET_FOOTER_ROOM;
    pushBatch = async (t) => {
      // The reader cannot open a file of 4 GiB or more (eventChunks.ts): stop here rather than write one.
      if (sink.bytesWritten + sink.writableLength >= maxBytes)
        throw new DataError(
          path,
          undefined,
          `the Parquet file has reached ${sink.bytesWritten + sink.writableLength} bytes: files of 4 GiB or more cannot be read back (parquet-wasm is 32-bit); write the sample in parts`,
          rows,
        );
      for (const b of pw.Table.fromIPCStream(arrow.tableToIPC(t, 'stream')).recordBatches()) queue.push(b);
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
        await pushBatch(toArrowTable(arrow, chunk, names));
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
          await pushBatch(toArrowTable(arrow, empty, names));
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
    bytes: () => sink.bytesWritten + sink.writableLength,
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

export type ReadOptions = ChunkReadOptions;

/**
 * Open an event input for chunked reading: a file (format by extension) or a directory of parts read as one
 * sample (eventParts.ts). Every command's `--input` goes through here.
 */
export async function openEventInput(path: string, opts: ReadOptions = {}): Promise<EventChunkSource> {
  return isDirectory(path) ? openEventParts(path, opts) : openEventChunks(path, formatOf(path), opts);
}

/**
 * Read an event file or a directory of parts (only `columns`, only rows in `regions` when given, under a column mapping when given);
 * standard columns come back with their standard typed-array types. Reads chunk by chunk (eventChunks.ts), so
 * memory holds the requested columns and one chunk, not the whole file.
 */
export async function readEvents(
  path: string,
  opts: ReadOptions = {},
): Promise<{ table: EventTable; meta: EventFileMeta | undefined; mapping?: MappingReport }> {
  const source = await openEventInput(path, opts);
  const table = await collectChunks(source);
  const mapping = source.mapping();
  return { table, meta: source.meta, ...(mapping ? { mapping } : {}) };
}

/**
 * Every chunk of `source`, passed through `transform` (e.g. a selection that keeps some rows and columns),
 * gathered into one table. The columns are those of the first transformed chunk. Chunks are copied into
 * columns sized from the file's row count (an upper bound when rows are dropped) or grown by doubling, so the
 * peak is the final columns plus one chunk, never every chunk plus a concatenated copy. `capacity: 0` when the
 * transform keeps a small part of the file (train --oc-keep): growth by doubling then keeps the columns
 * proportional to what is kept (at most 3× while growing), not to the file.
 */
export async function collectChunks(
  source: EventChunkSource,
  opts: { capacity?: number } = {},
  transform: (chunk: EventTable) => EventTable = (c) => c,
): Promise<EventTable> {
  let cap = opts.capacity ?? source.rows ?? 0;
  let n = 0;
  let columns: Record<string, TypedColumn> | undefined;
  const typeOf = (name: string, col: TypedColumn): TypedColumn =>
    columnSpec(name) ? allocate(columnSpec(name)!.type, cap) : new (col.constructor as Float64ArrayConstructor)(cap);
  for await (const raw of source.chunks()) {
    const c = transform(raw);
    columns ??= Object.fromEntries(Object.entries(c.columns).map(([name, col]) => [name, typeOf(name, col)]));
    if (n + c.n > cap) {
      cap = Math.max(2 * cap, n + c.n, 65536);
      const grown: Record<string, TypedColumn> = {};
      for (const [name, col] of Object.entries(columns)) {
        const g = typeOf(name, col);
        (g as Float64Array).set(col.subarray(0, n) as Float64Array);
        grown[name] = g;
      }
      columns = grown;
    }
    for (const name of Object.keys(columns)) {
      const col = c.columns[name];
      if (!col) throw new DataError('<event chunk>', name, 'column missing from a chunk that must match the first chunk');
      (columns[name] as Float64Array).set(col as Float64Array, n);
    }
    n += c.n;
  }
  columns ??= Object.fromEntries(source.columns.map((name) => [name, allocate(columnSpec(name)?.type ?? 'f64', 0)]));
  // A view when little is unused (no copy at the peak), a compact copy when the capacity overshot by much.
  if (n < cap)
    for (const name of Object.keys(columns)) columns[name] = n >= 0.75 * cap ? columns[name]!.subarray(0, n) : columns[name]!.slice(0, n);
  return { n, columns };
}

/** Call `fn` on every chunk of the file (or directory of parts) in order (same options as readEvents); returns the file's provenance. */
export async function forEachEventChunk(
  path: string,
  opts: ReadOptions,
  fn: (chunk: EventTable) => Promise<void> | void,
): Promise<EventFileMeta | undefined> {
  const source = await openEventInput(path, opts);
  for await (const c of source.chunks()) await fn(c);
  return source.meta;
}
