/**
 * `qmisid apply`: add eps1, eps2 (and, for an ensemble, eps1_sd, eps2_sd) to an event file using a saved
 * model directory. The output keeps every input column; it is written atomically.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';

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
      const { openEventChunks, openEventWriter, formatOf } = await import('../../io/events-file.js');
      const { loadModel } = await import('../../train/model-io.js');
      const { applyModel } = await import('../../train/apply.js');
      const { selectBackend } = await import('../../train/backend.js');
      const { version } = await import('../../version.js');

      if (flags.out === flags.input) throw new UsageError('--out', flags.out, 'must differ from --input');
      const model = loadModel(flags.model);
      const backend = await selectBackend((flags.backend ?? 'auto') as Parameters<typeof selectBackend>[0]);
      // Chunk in, chunk out: memory holds one chunk of every column, never the whole file.
      const source = await openEventChunks(flags.input, formatOf(flags.input));
      const meta = source.meta;
      formatOf(flags.out);
      const writer = await openEventWriter(flags.out, {
        config: meta?.config ?? null,
        seed: meta?.seed ?? '',
        version,
        input: flags.input,
        model: { dir: flags.model, kind: model.kind, features: model.features, seed: model.seed, members: model.members.length },
      });
      let n: number;
      try {
        for await (const chunk of source.chunks()) {
          const eps = applyModel(model, chunk, flags.input);
          await writer.write({ n: chunk.n, columns: { ...chunk.columns, ...eps } as typeof chunk.columns });
        }
        n = await writer.close();
      } catch (err) {
        await writer.abort();
        throw err;
      }
      process.stderr.write(`qmisid apply: backend ${backend}; ${n} events, ${model.members.length} member(s) -> ${flags.out}\n`);
    });
}
