/**
 * The names and defaults of event files and of a sample in parts, in one place and without heavy imports (the
 * CLI's flag help reads them before any event module is loaded). The reading rule is in eventParts.ts, the
 * writer in eventPartsWriter.ts.
 */
import type { EventFormat } from './eventChunks.js';

/** File extensions of each event format (the single-file rule of formatOf, eventsFile.ts, reads these too). */
export const EVENT_EXTENSIONS: Record<string, EventFormat> = {
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
  '.csv': 'csv',
};

/** The extension the bench writes for each format. */
export const FORMAT_EXTENSION: Record<EventFormat, string> = { parquet: '.parquet', arrow: '.arrow', csv: '.csv' };

/**
 * Rows per part the writers start a new part at (generate, apply and convert into a directory; `--part-rows`).
 * 10^7 rows of the generator's columns are ~1.6 GB of Parquet (~156 bytes a row), well below the reader's
 * 4 GiB; a Parquet part also rolls over by size before that limit (PART_MAX_PARQUET_BYTES, eventPartsWriter.ts).
 */
export const DEFAULT_PART_ROWS = 10_000_000;

/** The name of part `index` of a written sample: `part-00000.parquet`, … (sorted by name = written order). */
export function partName(index: number, format: EventFormat): string {
  return `part-${String(index).padStart(5, '0')}${FORMAT_EXTENSION[format]}`;
}
