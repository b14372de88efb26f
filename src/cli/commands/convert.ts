/**
 * `qmisid convert --input FILE --out FILE [--columns LIST]`: copy an event file into another format (by
 * extension: .parquet, .arrow, .csv), chunk by chunk, keeping its provenance. Parquet is the format to train
 * and fit from: commands read only the columns they need from it, while a CSV must be scanned whole
 * (docs/event-input.md).
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { parseInputFile, parseList, parseOutputEventFile } from '../flags.js';

interface ConvertFlags {
  input: string;
  out: string;
  columns?: string;
}

export function register(program: Command): void {
  program
    .command('convert')
    .description('copy an event file to another format (.parquet, .arrow, .csv), chunk by chunk')
    .requiredOption('--input <FILE>', 'event file (.parquet, .arrow, .csv)')
    .requiredOption('--out <FILE>', 'output event file (format by extension)')
    .option('--columns <LIST>', 'keep only these columns (comma-separated; default all)')
    .action(async (flags: ConvertFlags) => {
      const { openEventChunks, openEventWriter, formatOf } = await import('../../io/eventsFile.js');
      const { version } = await import('../../version.js');
      const { resolve } = await import('node:path');
      // Every flag is checked before anything is read (src/cli/flags.ts).
      parseInputFile('--input', flags.input);
      if (resolve(flags.out) === resolve(flags.input)) throw new UsageError('--out', flags.out, 'must differ from --input');
      await parseOutputEventFile('--out', flags.out);
      const columns = flags.columns != null ? parseList('--columns', flags.columns) : undefined;
      // Every row is copied as it is (no region derived from m_ee, no row dropped).
      const source = await openEventChunks(flags.input, formatOf(flags.input), { deriveRegion: false, ...(columns ? { columns } : {}) });
      const meta = source.meta;
      const writer = await openEventWriter(flags.out, {
        ...(meta ?? {}),
        config: meta?.config ?? null,
        seed: meta?.seed ?? '',
        version: meta?.version ?? version,
        convertedFrom: flags.input,
      });
      let n: number;
      try {
        for await (const chunk of source.chunks()) await writer.write(chunk);
        n = await writer.close();
      } catch (err) {
        await writer.abort();
        throw err;
      }
      process.stderr.write(`qmisid convert: ${n} events, ${source.columns.length} columns -> ${flags.out}\n`);
    });
}
