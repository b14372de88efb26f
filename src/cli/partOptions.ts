/**
 * The flags of an event output written as a directory of parts (generate, apply, convert): one definition so
 * they read the same everywhere. The layout and its defaults live in src/io/eventParts.ts.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { EventFormat } from '../io/eventChunks.js';
import { DEFAULT_PART_ROWS } from '../io/partLayout.js';
import { MAX_SELECTED_EVENTS } from '../limits.js';
import { parseInteger } from './flags.js';

export interface PartFlags {
  partRows?: string;
  partFormat?: string;
}

const FORMATS: readonly EventFormat[] = ['parquet', 'arrow', 'csv'];

export function addPartOptions(cmd: Command, defaultFormat: string): Command {
  return cmd
    .option('--part-rows <N>', `with --out DIR/: rows per part file (default ${DEFAULT_PART_ROWS}; a Parquet part also ends before 4 GiB)`)
    .option('--part-format <F>', `with --out DIR/: parquet | arrow | csv (default ${defaultFormat})`);
}

/**
 * The part options for an output (`parts`: is --out a directory of parts); `fallback` is the format used when
 * --part-format is not given. The flags are refused with a file output, where they would do nothing.
 */
export function partOptionsFrom(flags: PartFlags, parts: boolean, fallback: EventFormat): { format: EventFormat; partRows?: number } {
  if (!parts) {
    if (flags.partRows != null) throw new UsageError('--part-rows', flags.partRows, 'only with a directory output (--out DIR/)');
    if (flags.partFormat != null) throw new UsageError('--part-format', flags.partFormat, 'only with a directory output (--out DIR/)');
    return { format: fallback };
  }
  if (flags.partFormat != null && !(FORMATS as readonly string[]).includes(flags.partFormat))
    throw new UsageError('--part-format', flags.partFormat, FORMATS.join(' | '));
  const format = (flags.partFormat as EventFormat | undefined) ?? fallback;
  return {
    format,
    ...(flags.partRows != null ? { partRows: parseInteger('--part-rows', flags.partRows, { min: 1, max: MAX_SELECTED_EVENTS }) } : {}),
  };
}
