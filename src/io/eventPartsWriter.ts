/**
 * Writing a sample in several files (eventParts.ts has the layout and the reading rule): `part-00000.<ext>`,
 * `part-00001.<ext>`, … each a complete event file with its `.json` sidecar and the same provenance. A new part
 * starts every `partRows` rows (DEFAULT_PART_ROWS) and, for Parquet, also when the part nears the reader's
 * 4 GiB limit (PART_MAX_PARQUET_BYTES), so a directory output never holds a file that cannot be read back.
 * The rows are those the single-file writer would write, in the same order: a chunk that crosses a part
 * boundary is split there.
 *
 * Atomic like every output (atomic.ts): the parts are written into a temporary directory beside the target
 * and the directory is renamed into place once the last part is closed; on an error or abort nothing appears
 * at the target (a previous output there is left as it was).
 */
import { extname } from 'node:path';
import { DataError, fileError } from '../errors.js';
import type { EventTable, TypedColumn } from '../events/columns.js';
import { beginDirAtomic } from './atomic.js';
import { PARQUET_MAX_BYTES, type EventFileMeta, type EventFormat } from './eventChunks.js';
import { DEFAULT_PART_ROWS, partName } from './partLayout.js';
import { formatOf, openEventWriter, type EventWriter } from './eventsFile.js';

/**
 * A Parquet part is closed once this many bytes are written (the reader opens files below 2^32 bytes). The
 * writer's own refusal sits 64 MiB below 2^32 (eventsFile.ts); rolling 512 MiB below leaves room for the row
 * groups still in the encoder and the footer.
 */
export const PART_MAX_PARQUET_BYTES = PARQUET_MAX_BYTES - 512 * 2 ** 20;

export interface PartsWriterOptions {
  format: EventFormat;
  /** Rows per part (default DEFAULT_PART_ROWS). */
  partRows?: number;
  /** Start a new part once a part has this many bytes (default PART_MAX_PARQUET_BYTES for Parquet, none otherwise). */
  partBytes?: number;
}

function slice(chunk: EventTable, from: number, to: number): EventTable {
  const columns: Record<string, TypedColumn> = {};
  for (const [name, col] of Object.entries(chunk.columns)) columns[name] = col.subarray(from, to) as TypedColumn;
  return { n: to - from, columns };
}

/** Open a writer of a directory of parts; the directory appears at `dir` only on close(). */
export async function openEventPartsWriter(dir: string, meta: EventFileMeta, opts: PartsWriterOptions): Promise<EventWriter> {
  const partRows = opts.partRows ?? DEFAULT_PART_ROWS;
  const partBytes = opts.partBytes ?? (opts.format === 'parquet' ? PART_MAX_PARQUET_BYTES : Number.POSITIVE_INFINITY);
  const job = beginDirAtomic(dir);
  let part: EventWriter | undefined;
  let index = 0;
  let partN = 0; // rows in the current part
  let rows = 0;
  let closed = false;
  // Every part has the first chunk's columns (a part's own writer only sees the chunks of its part).
  let names: string[] | undefined;
  const next = async (): Promise<EventWriter> => {
    if (part) rows += await part.close();
    part = await openEventWriter(`${job.tmp}/${partName(index++, opts.format)}`, meta);
    partN = 0;
    return part;
  };
  const fail = async (err: unknown): Promise<never> => {
    closed = true;
    await part?.abort();
    job.abort();
    throw fileError(dir, 'cannot write', err);
  };
  return {
    async write(chunk) {
      if (closed) throw new Error('write after close');
      try {
        names ??= Object.keys(chunk.columns);
        const missing = names.find((c) => !chunk.columns[c]);
        const extra = Object.keys(chunk.columns).find((c) => !names!.includes(c));
        if (missing ?? extra)
          throw new DataError(
            '<event chunk>',
            missing ?? extra,
            `column ${missing ? 'missing from' : 'not in'} the first chunk's columns, which every chunk must have`,
          );
        if (!part) await next();
        // An empty chunk still tells a fresh part its columns.
        if (chunk.n === 0) return await part!.write(chunk);
        for (let off = 0; off < chunk.n;) {
          if (partN >= partRows || part!.bytes() >= partBytes) await next();
          const take = Math.min(chunk.n - off, partRows - partN);
          await part!.write(off === 0 && take === chunk.n ? chunk : slice(chunk, off, off + take));
          partN += take;
          off += take;
        }
      } catch (err) {
        return fail(err);
      }
    },
    async close() {
      if (closed) throw new Error('close called twice');
      try {
        // No chunk at all: the part writer says so (a file needs its columns).
        part ??= await openEventWriter(`${job.tmp}/${partName(index++, opts.format)}`, meta);
        rows += await part.close();
        part = undefined;
      } catch (err) {
        return fail(err);
      }
      closed = true;
      job.commit();
      return rows;
    },
    async abort() {
      if (closed) return;
      closed = true;
      await part?.abort();
      job.abort();
    },
    bytes: () => part?.bytes() ?? 0,
  };
}

/**
 * Is an output path a directory of parts? Yes when it ends with `/` or has no extension (`--out events/`,
 * `--out events`); a name with an event-file extension is one file (formatOf), anything else is refused there.
 */
export function isPartsOutput(path: string): boolean {
  return path.endsWith('/') || extname(path) === '';
}

/**
 * Open the writer of an event output: one file (format by extension) or, for a path isPartsOutput accepts, a
 * directory of parts in `format`. Every command writing events (generate, apply, convert) goes through here.
 */
export async function openEventOutput(
  path: string,
  meta: EventFileMeta,
  parts: { format: EventFormat; partRows?: number; partBytes?: number },
): Promise<EventWriter> {
  if (isPartsOutput(path)) return openEventPartsWriter(path.replace(/\/+$/, '') || '/', meta, parts);
  formatOf(path);
  return openEventWriter(path, meta);
}
