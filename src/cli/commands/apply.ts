/**
 * `qmisid apply`: add eps1, eps2 (and, for an ensemble, eps1_sd, eps2_sd) to an event file using a saved
 * model directory. The output keeps every input column; it is written atomically.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { parseInputDir, parseInputFile, parseOutputFile } from '../flags.js';

interface ApplyFlags {
  model: string;
  input: string;
  out: string;
  backend?: string;
}

export function register(program: Command): void {
  program
    .command('apply')
    .description('add per-electron eps1, eps2 (and eps1_sd, eps2_sd for an ensemble) from a trained model')
    .requiredOption('--model <DIR>', 'model directory written by `qmisid train`')
    .requiredOption('--input <FILE>', 'event file (.parquet, .arrow, .csv)')
    .requiredOption('--out <FILE>', 'output event file (format by extension)')
    .option('--backend <NAME>', 'auto (default) | node | wasm | cpu')
    .action(async (flags: ApplyFlags) => {
      const { readEvents, writeEvents } = await import('../../io/events-file.js');
      const { loadModel } = await import('../../train/model-io.js');
      const { applyModel } = await import('../../train/apply.js');
      const { selectBackend } = await import('../../train/backend.js');
      const { version } = await import('../../version.js');

      parseInputDir('--model', flags.model);
      parseInputFile('--input', flags.input);
      const { resolve } = await import('node:path');
      const { formatOf } = await import('../../io/events-file.js');
      if (resolve(flags.out) === resolve(flags.input)) throw new UsageError('--out', flags.out, 'must differ from --input');
      try {
        formatOf(flags.out);
      } catch {
        throw new UsageError('--out', flags.out, 'an event file ending in .parquet, .arrow (.feather, .ipc) or .csv');
      }
      parseOutputFile('--out', flags.out);
      parseOutputFile('--out', `${flags.out}.json`);
      const model = loadModel(flags.model);
      const backend = await selectBackend((flags.backend ?? 'auto') as Parameters<typeof selectBackend>[0]);
      const { table, meta } = await readEvents(flags.input);
      const eps = applyModel(model, table, flags.input);
      const columns = { ...table.columns, ...eps } as typeof table.columns;
      const n = await writeEvents(
        flags.out,
        { n: table.n, columns },
        { config: meta?.config ?? null, seed: meta?.seed ?? '', version, input: flags.input, model: { dir: flags.model, kind: model.kind, features: model.features, seed: model.seed, members: model.members.length } },
      );
      process.stderr.write(`qmisid apply: backend ${backend}; ${n} events, ${model.members.length} member(s) -> ${flags.out}\n`);
    });
}
