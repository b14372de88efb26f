/**
 * `qmisid export`: take results out of the bench for an analysis.
 *   --model DIR --onnx FILE.onnx      a trained φ (ensemble included) as ONNX (src/onnx/phiToOnnx.ts)
 * Outputs are written atomically.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';

interface ExportFlags {
  model?: string;
  onnx?: string;
}

export function register(program: Command): void {
  program
    .command('export')
    .description('export a trained phi as ONNX (docs/open-bench.md)')
    .option('--model <DIR>', 'model directory written by `qmisid train`')
    .option('--onnx <FILE.onnx>', 'write the model as ONNX: input x [N, C] raw per-electron columns, output phi = logit eps')
    .action(async (flags: ExportFlags) => {
      if (flags.onnx == null) throw new UsageError('--onnx', flags.onnx, 'an output .onnx path');
      if (flags.model == null) throw new UsageError('--model', flags.model, 'a model directory written by `qmisid train` (with --onnx)');
      if (!flags.onnx.endsWith('.onnx')) throw new UsageError('--onnx', flags.onnx, 'a path ending in .onnx');
      const { loadModel } = await import('../../train/model-io.js');
      const { phiToOnnx, onnxInputColumns } = await import('../../onnx/phiToOnnx.js');
      const { writeFileAtomic } = await import('../../io/atomic.js');
      const model = loadModel(flags.model);
      writeFileAtomic(flags.onnx, phiToOnnx(model));
      process.stderr.write(`qmisid export: ${model.members.length} member(s), input x = [${onnxInputColumns(model).join(', ')}] per electron -> ${flags.onnx}\n`);
    });
}
