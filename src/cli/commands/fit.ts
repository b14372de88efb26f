/**
 * `qmisid fit`: the binned likelihood fit of an event file, written as one JSON (atomically).
 *
 *   qmisid fit --input events.parquet --out fit.json [--bins-eta 0,0.5,...] [--bins-pt 25,60,...]
 *              [--weights w] [--region window|all|sideband-subtracted]
 *              [--folded --loss-mean 0.015 --extra-smear 0.025 [--replicas 16] [--seed S]]
 *
 * `--folded` fits the forward-folded model instead (src/fit/fitFolded.ts): the same-charge yield of each bin
 * pair is predicted by flipping the legs of the selected events through the given flip response, so events
 * that the flipped electron's energy loss moves out of the window, below threshold or into another bin are
 * accounted for. It uses every event of the file in 60–120 GeV as a parent and fits the 80–100 GeV window.
 *
 * When the file has truth columns, the truth-matched rates of the same bins are written alongside.
 */
import type { Command } from 'commander';
import type { Binning as BinningType } from '../../binning/Binning.js';
import { ConfigError, UsageError } from '../../errors.js';
import { MAX_REPLICAS } from '../../fit/flipMigration.js';

const REGIONS = ['window', 'all', 'sideband-subtracted'] as const;

function parseEdges(flag: string, value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.some((s) => s === '') || nums.some((x) => !Number.isFinite(x))) throw new UsageError(flag, value, 'comma-separated numbers, e.g. 0,0.5,1.0');
  return nums;
}

interface FitFlags {
  input?: string;
  out?: string;
  binsEta?: string;
  binsPt?: string;
  weights?: string;
  region: string;
  folded?: boolean;
  lossMean?: string;
  extraSmear?: string;
  replicas?: string;
  seed: string;
}

function parseNumber(flag: string, value: string | undefined, check: (x: number) => boolean, expected: string): number {
  const x = Number(value);
  if (value == null || value.trim() === '' || !Number.isFinite(x) || !check(x)) throw new UsageError(flag, value, expected);
  return x;
}

export function register(program: Command): void {
  program
    .command('fit')
    .description('binned likelihood fit of the charge-flip rate per (|eta|, pT) bin, with identifiability diagnostics')
    .option('--input <file>', 'event file (.parquet, .arrow, .csv)')
    .option('--out <file>', 'output JSON')
    .option('--bins-eta <edges>', '|eta| bin edges, comma-separated (default 0,0.5,1.0,1.37,1.52,1.8,2.0,2.47)')
    .option('--bins-pt <edges>', 'pT bin edges in GeV, comma-separated (default 25,60,90,130,1000)')
    .option('--weights <column>', 'event-weight column (default: unit weights)')
    .option('--region <region>', `events to fit: ${REGIONS.join(' | ')}`, 'window')
    .option('--folded', 'forward-folded fit with a flip response (needs --loss-mean and --extra-smear)')
    .option('--loss-mean <x>', 'flip response: mean fractional energy loss of a flipped electron, e.g. 0.015')
    .option('--extra-smear <x>', 'flip response: extra Gaussian fractional smearing of a flipped electron, e.g. 0.025')
    .option('--replicas <n>', 'folded fit: Monte Carlo draws of the response per parent and leg (default 16)')
    .option('--seed <seed>', 'folded fit: seed of the folding Monte Carlo', '0')
    .action(async (flags: FitFlags) => {
      if (!flags.input) throw new UsageError('--input', flags.input, 'an event file');
      if (!flags.out) throw new UsageError('--out', flags.out, 'an output JSON path');
      if (!(REGIONS as readonly string[]).includes(flags.region)) throw new UsageError('--region', flags.region, REGIONS.join(' | '));
      const { Binning, DEFAULT_ETA_EDGES, DEFAULT_PT_EDGES } = await import('../../binning/Binning.js');
      const eta = flags.binsEta != null ? parseEdges('--bins-eta', flags.binsEta) : [...DEFAULT_ETA_EDGES];
      const pt = flags.binsPt != null ? parseEdges('--bins-pt', flags.binsPt) : [...DEFAULT_PT_EDGES];
      let binning: BinningType;
      try {
        binning = Binning.fromEdges(eta, pt);
      } catch (err) {
        if (err instanceof ConfigError) throw new UsageError(err.path.startsWith('bins.eta') ? '--bins-eta' : '--bins-pt', err.value, err.expected);
        throw err;
      }
      const region = flags.region as (typeof REGIONS)[number];
      const [{ readEvents }, { fitBinnedTable }, { binnedFitToJson }, { truthMatchedRates }, { writeFileAtomic }, { version }] = await Promise.all([
        import('../../io/events-file.js'),
        import('../../fit/fitBinned.js'),
        import('../../fit/binnedFitToJson.js'),
        import('../../truth/truthMatchedRates.js'),
        import('../../io/atomic.js'),
        import('../../version.js'),
      ]);
      if (!flags.folded && (flags.lossMean != null || flags.extraSmear != null)) throw new UsageError('--loss-mean', flags.lossMean ?? flags.extraSmear, 'only with --folded');
      const response = flags.folded
        ? {
            lossMean: parseNumber('--loss-mean', flags.lossMean, (x) => x >= 0 && x < 1, 'a fraction in [0, 1) (the flip response is required with --folded)'),
            extraSmear: parseNumber('--extra-smear', flags.extraSmear, (x) => x >= 0 && x < 1, 'a fraction in [0, 1) (the flip response is required with --folded)'),
          }
        : undefined;
      // Unset: the fit's own default (fitFolded.ts), echoed from the result below. 65535: the migration's count width.
      const replicas = flags.replicas == null ? undefined : parseNumber('--replicas', flags.replicas, (x) => Number.isInteger(x) && x >= 1 && x <= MAX_REPLICAS, `an integer in 1..${MAX_REPLICAS}`);
      if (response && flags.region !== 'window') throw new UsageError('--region', flags.region, '--folded takes the whole 60–120 GeV selection and fits the window: leave --region at window');
      // Only the columns the fit reads (projection while reading): bins, charges, region, weights, and the
      // truth columns when the file has them.
      const { table } = await readEvents(flags.input, {
        columns: ['pt1', 'eta1', 'pt2', 'eta2', 'sc', ...(region !== 'all' ? ['region'] : []), ...(response ? ['m_ee'] : []), ...(flags.weights != null ? [flags.weights] : [])],
        optional: ['region', 'truth_flip1', 'truth_flip2', 'truth_eps1', 'truth_eps2'],
      });
      const weightOpt = flags.weights != null ? { weightColumn: flags.weights } : {};
      const folded = response
        ? (await import('../../fit/fitFolded.js')).fitFoldedTable(table, binning, { response, ...(replicas != null ? { replicas } : {}), seed: flags.seed, source: flags.input, ...weightOpt })
        : undefined;
      const result = folded ?? fitBinnedTable(table, binning, { region, source: flags.input, ...weightOpt });
      const hasTruth = ['truth_flip1', 'truth_flip2', 'truth_eps1', 'truth_eps2'].every((c) => c in table.columns);
      let truth: Record<string, unknown> | undefined;
      if (hasTruth) {
        const t = truthMatchedRates(table, binning, { source: flags.input });
        const arr = (x: Float64Array): (number | null)[] => Array.from(x, (v) => (Number.isFinite(v) ? v : null));
        truth = { note: 'all events of the file, unit weights', rate: arr(t.rate), err: arr(t.err), meanTruthEps: arr(t.meanTruthEps), electrons: arr(t.sumW) };
      }
      const out = {
        version,
        input: flags.input,
        binning: binning.toJSON(),
        region,
        weights: flags.weights ?? null,
        ...(folded ? { folded: { response, replicas: folded.folding.replicas, seed: flags.seed } } : {}),
        ...binnedFitToJson(result),
        ...(truth ? { truth } : {}),
      };
      writeFileAtomic(flags.out, `${JSON.stringify(out, null, 1)}\n`);
      process.stderr.write(`qmisid fit: ${result.status}${result.reason ? ` (${result.reason})` : ''}, ${result.iterations} iterations, K = ${result.K}, identifiable: ${result.identifiability.identifiable} -> ${flags.out}\n`);
      if (result.status === 'failed') process.exitCode = 1;
    });
}
