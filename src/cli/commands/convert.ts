/**
 * `qmisid convert --input FILE --out FILE [--columns LIST]`: copy an event file into another format (by
 * extension: .parquet, .arrow, .csv), chunk by chunk, keeping its provenance. Parquet is the format to train
 * and fit from: commands read only the columns they need from it, while a CSV must be scanned whole
 * (docs/event-input.md).
 */
import type { Command } from 'commander';
import { checkApart, parseEventInput, parseList, parseOutputEvents } from '../flags.js';
import { addPartOptions, partOptionsFrom, type PartFlags } from '../partOptions.js';

interface ConvertFlags extends PartFlags {
  input: string;
  out: string;
  columns?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('convert')
    .description('copy an event file to another format (.parquet, .arrow, .csv), chunk by chunk')
    .requiredOption('--input <FILE|DIR>', 'event file (.parquet, .arrow, .csv) or directory of parts')
    .requiredOption('--out <FILE|DIR/>', 'output event file (format by extension), or DIR/ (no extension): a directory of parts')
    .option('--columns <LIST>', 'keep only these columns (comma-separated; default all)');
  addPartOptions(cmd, 'parquet').action(async (flags: ConvertFlags) => {
    const { openEventInput } = await import('../../io/eventsFile.js');
    const { openEventOutput } = await import('../../io/eventPartsWriter.js');
    const { version } = await import('../../version.js');
    // Every flag is checked before anything is read (src/cli/flags.ts).
    parseEventInput('--input', flags.input);
    checkApart('--out', flags.out, flags.input);
    const out = await parseOutputEvents('--out', flags.out);
    const parts = partOptionsFrom(flags, out.parts, 'parquet');
    const columns = flags.columns != null ? parseList('--columns', flags.columns) : undefined;
    // Every row is copied as it is (no region derived from m_ee, no row dropped).
    const source = await openEventInput(flags.input, { deriveRegion: false, ...(columns ? { columns } : {}) });
    const meta = source.meta;
    const writer = await openEventOutput(
      flags.out,
      {
        ...(meta ?? {}),
        config: meta?.config ?? null,
        seed: meta?.seed ?? '',
        version: meta?.version ?? version,
        convertedFrom: flags.input,
      },
      parts,
    );
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
