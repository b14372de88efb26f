/**
 * `qmisid apply`: add eps1, eps2 (and, for an ensemble, eps1_sd, eps2_sd) to an event file using a saved
 * model directory. The output keeps every input column; it is written atomically.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { addColumnMapOptions, columnMapFrom, type ColumnMapFlags } from '../columnMapOptions.js';

interface ApplyFlags extends ColumnMapFlags {
  model: string;
  input: string;
  out: string;
  backend?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('apply')
    .description('add per-electron eps1, eps2 (and eps1_sd, eps2_sd for an ensemble) from a trained model')
    .requiredOption('--model <DIR>', 'model directory written by `qmisid train`')
    .requiredOption('--input <FILE>', 'event file (.parquet, .arrow, .csv)')
    .requiredOption('--out <FILE>', 'output event file (format by extension)')
    .option('--backend <NAME>', 'auto (default) | node | wasm | cpu');
  addColumnMapOptions(cmd)
    .action(async (flags: ApplyFlags) => {
      const { readEvents, writeEvents } = await import('../../io/events-file.js');
      const { loadModel } = await import('../../train/model-io.js');
      const { applyModel } = await import('../../train/apply.js');
      const { selectBackend } = await import('../../train/backend.js');
      const { version } = await import('../../version.js');

      if (flags.out === flags.input) throw new UsageError('--out', flags.out, 'must differ from --input');
      const model = loadModel(flags.model);
      const backend = await selectBackend((flags.backend ?? 'auto') as Parameters<typeof selectBackend>[0]);
      const { parseFeatures } = await import('../../train/features.js');
      const map = columnMapFrom(flags);
      // Every row is kept (no region is derived): apply annotates the file, it selects nothing.
      const { table, meta, mapping } = await readEvents(flags.input, {
        ...(map ? { map } : {}),
        deriveRegion: false,
        require: parseFeatures(model.features).flatMap((f) => [`${f.column}1`, `${f.column}2`]),
      });
      const eps = applyModel(model, table, flags.input);
      const columns = { ...table.columns, ...eps } as typeof table.columns;
      const n = await writeEvents(
        flags.out,
        { n: table.n, columns },
        { config: meta?.config ?? null, seed: meta?.seed ?? '', version, input: flags.input, model: { dir: flags.model, kind: model.kind, features: model.features, seed: model.seed, members: model.members.length }, ...(mapping ? { columnMap: mapping } : {}) },
      );
      process.stderr.write(`qmisid apply: backend ${backend}; ${n} events, ${model.members.length} member(s) -> ${flags.out}\n`);
    });
}
