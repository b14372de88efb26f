/**
 * A sample in several files: a directory of event-file parts read as one sample (docs/event-input.md,
 * "A sample in several files"). Parquet files of 4 GiB or more cannot be read here (PARQUET_MAX_BYTES), so a
 * Run-2-sized sample (10^8 truth Z events, ~5 GB of Parquet) is kept as parts below that size.
 *
 * The rule, in one place (listEventParts):
 *   - the parts are the directory's regular files whose extension is an event format (.parquet .pq .arrow
 *     .feather .ipc .csv), in the order of their names (JavaScript string order, i.e. code-unit order, like
 *     `ls` in the C locale: `part-00010` follows `part-00009` because the writer pads the index to 5 digits);
 *   - names starting with `.` (temporaries) or `_` (notes, manifests) and `.json` files (each part's sidecar)
 *     are not parts; anything else in the directory (a subdirectory, a `.txt`) is an error, as are parts of
 *     more than one format and a directory without parts;
 *   - every part has the same columns with the same stored types, and the same provenance (config, seed,
 *     version) or none at all; the first part that differs is named in the error.
 *
 * The parts read as one sample: each part's chunks in turn, so the rows are numbered continuously across parts
 * (what train's read-time OC subsampling hashes is the row's number in the selected sample, counted by the
 * command across every chunk; src/train/subsample.ts): reading a directory gives the same rows, in the same
 * order, as reading one file holding them. An error in a value names the part file and the row within it.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DataError, fileError } from '../errors.js';
import type { EventTable } from '../events/columns.js';
import type { MappingReport } from './columnMap.js';
import { openEventChunks, type ChunkReadOptions, type EventChunkSource, type EventFileMeta, type EventFormat } from './eventChunks.js';
import { EVENT_EXTENSIONS } from './partLayout.js';

export { DEFAULT_PART_ROWS, EVENT_EXTENSIONS, partName } from './partLayout.js';

/** Names in a part directory that are not parts and not errors: temporaries, notes, sidecars. */
function ignored(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_') || name.toLowerCase().endsWith('.json');
}

/** The parts of a sample directory, in reading order, and their one format (the rule above). */
export function listEventParts(dir: string): { format: EventFormat; paths: string[] } {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw fileError(dir, 'cannot read the directory of event-file parts', err);
  }
  const parts: { path: string; format: EventFormat }[] = [];
  for (const name of names.sort()) {
    if (ignored(name)) continue;
    const path = join(dir, name);
    const format = EVENT_EXTENSIONS[extname(name).toLowerCase()];
    if (!format || !statSync(path).isFile())
      throw new DataError(
        path,
        undefined,
        `is not an event-file part: a directory of parts holds only .parquet/.pq, .arrow/.feather/.ipc or .csv files (and their .json sidecars; names starting with . or _ are ignored)`,
      );
    parts.push({ path, format });
  }
  if (parts.length === 0)
    throw new DataError(dir, undefined, 'directory holds no event-file parts (.parquet/.pq, .arrow/.feather/.ipc or .csv files)');
  const first = parts[0]!;
  const other = parts.find((p) => p.format !== first.format);
  if (other)
    throw new DataError(
      other.path,
      undefined,
      `is ${other.format} but ${first.path} is ${first.format}: the parts of a sample share one format (convert them first)`,
    );
  return { format: first.format, paths: parts.map((p) => p.path) };
}

/** True when `path` is an existing directory (read as a sample in parts). */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The provenance keys every part must share. */
const SHARED_META = ['config', 'seed', 'version'] as const;

function checkSameProvenance(
  first: { path: string; meta: EventFileMeta | undefined },
  part: { path: string; meta: EventFileMeta | undefined },
): void {
  if ((first.meta == null) !== (part.meta == null))
    throw new DataError(
      part.path,
      undefined,
      `${part.meta ? 'has' : 'has no'} provenance (qmisid metadata or sidecar) but ${first.path} ${first.meta ? 'has' : 'has none'}: the parts of a sample come from one source`,
    );
  if (!first.meta || !part.meta) return;
  for (const key of SHARED_META) {
    const a = JSON.stringify(first.meta[key]);
    const b = JSON.stringify(part.meta[key]);
    if (a !== b)
      throw new DataError(
        part.path,
        undefined,
        `provenance ${key} differs from ${first.path}'s (${(a ?? 'undefined').slice(0, 80)}): the parts of a sample come from one config, seed and version`,
        (b ?? 'undefined').slice(0, 80),
      );
  }
}

function checkSameColumns(first: { path: string; source: EventChunkSource }, part: { path: string; source: EventChunkSource }): void {
  const a = first.source.names;
  const b = part.source.names;
  const missing = a.find((c) => !b.includes(c));
  if (missing)
    throw new DataError(part.path, missing, `column is missing from this part but present in ${first.path} (columns here: ${b.join(' ')})`);
  const extra = b.find((c) => !a.includes(c));
  if (extra) throw new DataError(part.path, extra, `column is in this part but not in ${first.path} (columns there: ${a.join(' ')})`);
  const ta = first.source.types;
  const tb = part.source.types;
  if (!ta || !tb) return;
  for (const [name, type] of Object.entries(tb)) {
    if (ta[name] != null && ta[name] !== type)
      throw new DataError(
        part.path,
        name,
        `has type ${type} in this part but ${ta[name]} in ${first.path}: the parts of a sample share one schema`,
      );
  }
}

/**
 * Open a directory of event-file parts as one chunk source (same options as openEventChunks, applied to every
 * part: projection, required columns, column mapping, region cut). Every part is opened and checked against
 * the first (columns, types, provenance) before any chunk is read; `rows` is the sum over parts when every
 * part records it.
 */
export async function openEventParts(dir: string, opts: ChunkReadOptions = {}): Promise<EventChunkSource & { parts: string[] }> {
  const { format, paths } = listEventParts(dir);
  const parts: { path: string; source: EventChunkSource }[] = [];
  for (const path of paths) {
    const part = { path, source: await openEventChunks(path, format, opts) };
    if (parts.length > 0) {
      checkSameColumns(parts[0]!, part);
      checkSameProvenance({ path: parts[0]!.path, meta: parts[0]!.source.meta }, { path, meta: part.source.meta });
    }
    parts.push(part);
  }
  const first = parts[0]!.source;
  const rows = parts.every((p) => p.source.rows != null) ? parts.reduce((s, p) => s + p.source.rows!, 0) : undefined;
  return {
    parts: paths,
    names: first.names,
    columns: first.columns,
    meta: first.meta,
    rows,
    types: first.types,
    mapping(): MappingReport | undefined {
      const report = first.mapping();
      if (!report) return undefined;
      const dropped = parts.reduce((s, p) => s + (p.source.mapping()?.droppedOutsideSelection ?? 0), 0);
      const { droppedOutsideSelection: _, ...rest } = report;
      return dropped > 0 ? { ...rest, droppedOutsideSelection: dropped } : rest;
    },
    async *chunks(): AsyncGenerator<EventTable> {
      for (const p of parts) yield* p.source.chunks();
    },
  };
}
