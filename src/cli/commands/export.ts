/**
 * `qmisid export`: take results out of the bench for an analysis (docs/open-bench.md).
 *   --model DIR --onnx FILE.onnx            a trained φ (ensemble included) as ONNX (src/onnx/phiToOnnx.ts)
 *   --fit fit.json --correctionlib OUT.json [--csv OUT.csv] [--errors hessian|sandwich]
 *                                           the binned fit's ε map as a correctionlib CorrectionSet (v2)
 *   --applied FILE --correctionlib OUT.json [--csv OUT.csv] [--bins-eta E] [--bins-pt P] [--region window|all]
 *                                           φ (eps1, eps2 from `qmisid apply`) averaged in any binning
 * Outputs are written atomically.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { parseBinningFlags } from '../flags.js';

interface ExportFlags {
  model?: string;
  onnx?: string;
  fit?: string;
  applied?: string;
  correctionlib?: string;
  csv?: string;
  name: string;
  errors: string;
  binsEta?: string;
  binsPt?: string;
  region: string;
}

export function register(program: Command): void {
  program
    .command('export')
    .description('export a trained phi as ONNX, or an eps map (binned fit, or phi averaged in bins) as correctionlib JSON and CSV')
    .option('--model <DIR>', 'model directory written by `qmisid train` (with --onnx)')
    .option('--onnx <FILE.onnx>', 'write the model as ONNX: input x [N, C] raw per-electron columns, output phi = logit eps')
    .option('--fit <FILE.json>', 'a `qmisid fit` output: export its eps map')
    .option('--applied <FILE>', 'an event file with eps1, eps2 (`qmisid apply`): export phi averaged in bins')
    .option('--correctionlib <OUT.json>', 'write a correctionlib CorrectionSet (schema v2) with syst nominal/stat_up/stat_down')
    .option('--csv <OUT.csv>', 'write the same map as a CSV table')
    .option('--name <NAME>', 'correction name', 'qmisid_eps')
    .option('--errors <KIND>', 'with --fit: hessian | sandwich', 'hessian')
    .option('--bins-eta <edges>', 'with --applied: |eta| bin edges (default the bench binning)')
    .option('--bins-pt <edges>', 'with --applied: pT bin edges in GeV (default the bench binning)')
    .option('--region <R>', 'with --applied: window (events with region 0, when the file has a region column) | all', 'window')
    .action(async (flags: ExportFlags) => {
      const { writeFileAtomic } = await import('../../io/atomic.js');
      if (flags.onnx != null) {
        if (flags.model == null) throw new UsageError('--model', flags.model, 'a model directory written by `qmisid train` (with --onnx)');
        if (!flags.onnx.endsWith('.onnx')) throw new UsageError('--onnx', flags.onnx, 'a path ending in .onnx');
        const { loadModel } = await import('../../train/modelIo.js');
        const { phiToOnnx, onnxInputColumns } = await import('../../onnx/phiToOnnx.js');
        const model = loadModel(flags.model);
        writeFileAtomic(flags.onnx, phiToOnnx(model));
        process.stderr.write(
          `qmisid export: ${model.members.length} member(s), input x = [${onnxInputColumns(model).join(', ')}] per electron -> ${flags.onnx}\n`,
        );
        return;
      }
      if (flags.correctionlib == null && flags.csv == null)
        throw new UsageError(
          '--correctionlib',
          undefined,
          'an output: --onnx (with --model), or --correctionlib and/or --csv (with --fit or --applied)',
        );
      if ((flags.fit == null) === (flags.applied == null))
        throw new UsageError('--fit', flags.fit ?? flags.applied, 'exactly one of --fit FILE.json or --applied FILE');
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(flags.name)) throw new UsageError('--name', flags.name, 'letters, digits and _');
      const { epsMapFromElectrons, epsMapFromFit } = await import('../../export/epsMapTable.js');
      const { correctionSet, epsMapCsv } = await import('../../export/correctionlibJson.js');
      let map;
      if (flags.fit != null) {
        if (flags.errors !== 'hessian' && flags.errors !== 'sandwich') throw new UsageError('--errors', flags.errors, 'hessian | sandwich');
        const { readFileSync } = await import('node:fs');
        let fit: Record<string, unknown>;
        try {
          fit = JSON.parse(readFileSync(flags.fit, 'utf8')) as Record<string, unknown>;
        } catch (err) {
          throw new UsageError('--fit', flags.fit, `a readable \`qmisid fit\` JSON (${(err as Error).message})`);
        }
        map = epsMapFromFit(fit, flags.fit, flags.errors);
      } else {
        if (flags.region !== 'window' && flags.region !== 'all') throw new UsageError('--region', flags.region, 'window | all');
        const binning = await parseBinningFlags(flags.binsEta, flags.binsPt);
        const { readEvents } = await import('../../io/eventsFile.js');
        const { filterTable } = await import('../../events/columns.js');
        const { table } = await readEvents(flags.applied!, {
          deriveRegion: false,
          require: ['pt1', 'eta1', 'pt2', 'eta2', 'eps1', 'eps2'],
        });
        const region = table.columns.region;
        const t = flags.region === 'window' && region ? filterTable(table, (i) => region[i] === 0) : table;
        map = epsMapFromElectrons(t, binning, flags.applied!);
      }
      const note = flags.applied != null ? `Events: ${flags.region === 'window' ? 'mass window (region 0)' : 'all rows'} of the file.` : '';
      if (flags.correctionlib != null)
        writeFileAtomic(flags.correctionlib, `${JSON.stringify(correctionSet(map, flags.name, note), null, 1)}\n`);
      if (flags.csv != null) writeFileAtomic(flags.csv, epsMapCsv(map));
      process.stderr.write(
        `qmisid export: ${map.eps.length} bins (${map.source}) -> ${[flags.correctionlib, flags.csv].filter((x) => x != null).join(', ')}\n`,
      );
    });
}
