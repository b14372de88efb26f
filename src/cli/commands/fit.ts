/**
 * `qmisid fit`: the binned likelihood fit of an event file, written as one JSON (atomically).
 *
 *   qmisid fit --input events.parquet --out fit.json [--bins-eta 0,0.5,...] [--bins-pt 25,60,...]
 *              [--weights w] [--region window|all|sideband-subtracted]
 *              [--window LO,HI] [--sidebands LO1,HI1,LO2,HI2] [--pt-min A,B]
 *              [--folded --loss-mean 0.015 --extra-smear 0.025 [--replicas 16] [--seed S]]
 *
 * The selection (window, sidebands, pT thresholds; src/selection) is the file's own, read from the generator
 * config in its metadata (defaults when it has none); the selection flags override parts of it. It sets the
 * sideband-subtraction weight and the folded fit's window, parent range and thresholds, and is written to the
 * output with where it came from ("default" | "file" | "flags").
 *
 * `--folded` fits the forward-folded model instead (src/fit/fitFolded.ts): the same-charge yield of each bin
 * pair is predicted by flipping the legs of the selected events through the given flip response, so events
 * that the flipped electron's energy loss moves out of the window, below threshold or into another bin are
 * accounted for. It uses every selected event of the file (window and sidebands) as a parent and fits the window.
 *
 * When the file has truth columns, the truth-matched rates of the same bins are written alongside, over the
 * fitted events with the fit's weights (the window; window minus scaled sidebands when subtracted).
 */
import type { Command } from 'commander';
import { ConfigError, UsageError } from '../../errors.js';
import { MAX_REPLICAS } from '../../fit/flipMigration.js';
import { parseBinningFlags, parseEventInput, parseInteger, parseOutputFile, parseSeed } from '../flags.js';
import {
  FIT_REGIONS as REGIONS,
  FIT_WEIGHT,
  selectedMassRange,
  selectedTable,
  selectionFromFile,
  selectionToJson,
  selectionWithFlags,
  selectRows,
  sidebandFactor,
  type Selection,
  type SelectionFlags,
} from '../../selection/selection.js';
import { addColumnMapOptions, columnMapFrom, withMapSelection, type ColumnMapFlags } from '../columnMapOptions.js';

/** A selection other than the file's can only narrow it: events outside the file's selection were never written. */
function checkInsideFile(sel: Selection, file: Selection): void {
  const [lo, hi] = selectedMassRange(file);
  const inside = (r: readonly [number, number]): boolean => r[0] >= lo && r[1] <= hi;
  const what = `inside the file's selected mass range [${lo}, ${hi}] (events outside it were never written)`;
  if (!inside(sel.window)) throw new UsageError('--window', sel.window, what);
  if (!inside(sel.lowSideband) || !inside(sel.highSideband))
    throw new UsageError('--sidebands', [...sel.lowSideband, ...sel.highSideband], what);
  if (sel.ptMin[0] < file.ptMin[0] || sel.ptMin[1] < file.ptMin[1])
    throw new UsageError('--pt-min', sel.ptMin, `at or above the file's thresholds ${file.ptMin.join(',')} GeV`);
}

interface FitFlags extends SelectionFlags, ColumnMapFlags {
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

/** --loss-mean / --extra-smear through the flip response's one schema (src/fit/flipResponse.ts); errors name the flag. */
async function flipResponseFlags(flags: FitFlags): Promise<{ lossMean: number; extraSmear: number }> {
  const { flipResponseFrom } = await import('../../fit/flipResponse.js');
  const raw = { lossMean: flags.lossMean, extraSmear: flags.extraSmear };
  const flagOf = { lossMean: '--loss-mean', extraSmear: '--extra-smear' } as const;
  const values: Record<string, number> = {};
  for (const k of ['lossMean', 'extraSmear'] as const) {
    const v = raw[k];
    if (v == null) throw new UsageError(flagOf[k], v, 'a fraction in [0, 1) (the flip response is required with --folded)');
    values[k] = v.trim() === '' ? NaN : Number(v);
  }
  try {
    return flipResponseFrom(values, '');
  } catch (err) {
    if (err instanceof ConfigError) {
      const k = err.path as keyof typeof flagOf;
      throw new UsageError(flagOf[k] ?? '--loss-mean', raw[k] ?? err.value, err.expected);
    }
    throw err;
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('fit')
    .description('binned likelihood fit of the charge-flip rate per (|eta|, pT) bin, with identifiability diagnostics')
    .option('--input <file|dir>', 'event file (.parquet, .arrow, .csv) or directory of parts')
    .option('--out <file>', 'output JSON')
    .option('--bins-eta <edges>', '|eta| bin edges, comma-separated (default 0,0.5,1.0,1.37,1.52,1.8,2.0,2.47)')
    .option('--bins-pt <edges>', 'pT bin edges in GeV, comma-separated (default 25,60,90,130,1000)')
    .option('--weights <column>', 'event-weight column (default: unit weights)')
    .option('--region <region>', `events to fit: ${REGIONS.join(' | ')}`, 'window')
    .option('--window <lo,hi>', "mass window [GeV], e.g. 85,97 (default: the file's selection)")
    .option('--sidebands <lo1,hi1,lo2,hi2>', "low and high sideband [GeV], e.g. 60,80,100,120 (default: the file's)")
    .option('--pt-min <a,b>', "leading and subleading pT thresholds [GeV] (default: the file's)")
    .option('--folded', 'forward-folded fit with a flip response (needs --loss-mean and --extra-smear)')
    .option('--loss-mean <x>', 'flip response: mean fractional energy loss of a flipped electron, e.g. 0.015')
    .option('--extra-smear <x>', 'flip response: extra Gaussian fractional smearing of a flipped electron, e.g. 0.025')
    .option('--replicas <n>', 'folded fit: Monte Carlo draws of the response per parent and leg (default 16)')
    .option('--seed <seed>', 'folded fit: seed of the folding Monte Carlo', '0');
  addColumnMapOptions(cmd).action(async (flags: FitFlags) => {
    if (flags.input == null) throw new UsageError('--input', null, 'an event file');
    if (flags.out == null) throw new UsageError('--out', null, 'an output JSON path');
    parseEventInput('--input', flags.input);
    parseOutputFile('--out', flags.out);
    const seed = parseSeed('--seed', flags.seed);
    if (!(REGIONS as readonly string[]).includes(flags.region)) throw new UsageError('--region', flags.region, REGIONS.join(' | '));
    const binning = await parseBinningFlags(flags.binsEta, flags.binsPt);
    const [{ collectChunks, openEventInput }, { fitAccumulated, accumulatorOptions }, binnedFit, truthRates] = await Promise.all([
      import('../../io/eventsFile.js'),
      import('../../fit/fitBinned.js'),
      import('../../fit/BinnedTableAccumulator.js'),
      import('../../truth/truthMatchedRates.js'),
    ]);
    const [{ binnedFitToJson }, { writeFileAtomic }, { version }] = await Promise.all([
      import('../../fit/binnedFitToJson.js'),
      import('../../io/atomic.js'),
      import('../../version.js'),
    ]);
    if (!flags.folded && (flags.lossMean != null || flags.extraSmear != null))
      throw new UsageError('--loss-mean', flags.lossMean ?? flags.extraSmear, 'only with --folded');
    const response = flags.folded ? await flipResponseFlags(flags) : undefined;
    // Unset: the fit's own default (fitFolded.ts), echoed from the result below. 65535: the migration's count width.
    const replicas = flags.replicas == null ? undefined : parseInteger('--replicas', flags.replicas, { min: 1, max: MAX_REPLICAS });
    if (response && flags.region !== 'window')
      throw new UsageError(
        '--region',
        flags.region,
        '--folded takes the whole selection (window and sidebands) as parents and fits the window: leave --region at window',
      );
    const map = columnMapFrom(flags);
    // Only the columns the fit reads (projection while reading, docs/event-input.md): bins, charges, mass,
    // region, weights, and the truth columns when the file has them.
    const needed = ['pt1', 'eta1', 'pt2', 'eta2', 'sc', 'region', 'm_ee', ...(flags.weights != null ? [flags.weights] : [])];
    const truthCols = ['truth_flip1', 'truth_flip2', 'truth_eps1', 'truth_eps2'];
    const source = await openEventInput(flags.input, {
      ...(map ? { map } : {}),
      require: needed,
      columns: needed,
      optional: truthCols,
    });
    const meta = source.meta;
    const fileSel = selectionFromFile(meta, flags.input);
    // A mapping's selection stands for the file's when the flags do not set one (columnMap.ts).
    const { selection, source: selectionSource } = selectionWithFlags(fileSel, withMapSelection(flags, map));
    const fromKinematics = selectionSource === 'flags';
    if (fromKinematics && fileSel.source === 'file') checkInsideFile(selection, fileSel.selection);
    const region = flags.region as (typeof REGIONS)[number];
    const weightOpt = flags.weights != null ? { weightColumn: flags.weights } : {};
    const hasTruth = truthCols.every((c) => source.columns.includes(c));
    const fitOpts = { region, selection, regionsFromKinematics: fromKinematics, source: flags.input, ...weightOpt };
    let result: import('../../fit/fitBinned.js').BinnedFitResult;
    let truthOut: { rates: import('../../truth/truthMatchedRates.js').TruthMatchedRates; events: number; weighted: boolean } | undefined;
    let folded: ReturnType<typeof import('../../fit/fitFolded.js').fitFoldedTable> | undefined;
    if (response) {
      // The folded fit flips every selected event through the response: it holds the table (docs/event-input.md).
      const table = await collectChunks(source);
      folded = (await import('../../fit/fitFolded.js')).fitFoldedTable(table, binning, {
        response,
        selection,
        ...(replicas != null ? { replicas } : {}),
        seed,
        source: flags.input,
        ...weightOpt,
      });
      result = folded;
      if (hasTruth) {
        // Like with like: the events the folded fit observes (the window), with the fit's weights.
        const fitted = selectRows(table, 'window', {
          selection,
          fromKinematics,
          ...(flags.weights != null ? { base: table.columns[flags.weights]! } : {}),
          source: flags.input,
        });
        const rates = truthRates.truthMatchedRates(selectedTable(table, fitted), binning, {
          source: flags.input,
          ...(fitted.w ? { weightColumn: FIT_WEIGHT } : {}),
        });
        truthOut = { rates, events: fitted.rows.length, weighted: fitted.w != null };
      }
    } else {
      // The standard fit streams: each chunk is binned and added to the pair sums (and the truth sums), then dropped.
      const acc = new binnedFit.BinnedTableAccumulator(binning, { ...accumulatorOptions(fitOpts), truth: hasTruth });
      for await (const chunk of source.chunks()) acc.add(chunk);
      result = fitAccumulated(acc, binning, fitOpts);
      if (hasTruth) truthOut = acc.truth();
    }
    const mapping = source.mapping();
    let truth: Record<string, unknown> | undefined;
    if (truthOut) {
      const t = truthOut.rates;
      const arr = (x: Float64Array): (number | null)[] => Array.from(x, (v) => (Number.isFinite(v) ? v : null));
      const note = `the fitted events (${folded ? 'window' : region}), ${truthOut.weighted ? "the fit's weights" : 'unit weights'}`;
      truth = {
        note,
        events: truthOut.events,
        rate: arr(t.rate),
        err: arr(t.err),
        meanTruthEps: arr(t.meanTruthEps),
        electrons: arr(t.sumW),
      };
    }
    const out = {
      version,
      input: flags.input,
      binning: binning.toJSON(),
      region,
      selection: { ...selectionToJson(selection), sidebandWeight: sidebandFactor(selection), source: selectionSource },
      weights: flags.weights ?? null,
      ...(mapping ? { columnMap: mapping } : {}),
      ...(folded ? { folded: { response, replicas: folded.folding.replicas, seed } } : {}),
      ...binnedFitToJson(result),
      ...(truth ? { truth } : {}),
    };
    writeFileAtomic(flags.out, `${JSON.stringify(out, null, 1)}\n`);
    process.stderr.write(
      `qmisid fit: ${result.status}${result.reason ? ` (${result.reason})` : ''}, ${result.iterations} iterations, K = ${result.K}, identifiable: ${result.identifiability.identifiable}${result.identifiability.emptyBins.length ? ` (${result.identifiability.emptyBins.length} empty bins)` : ''} -> ${flags.out}\n`,
    );
    if (!result.identifiability.identifiable)
      for (const n of result.identifiability.notes.filter((x) => !x.startsWith('empty:'))) process.stderr.write(`  WARNING: ${n}\n`);
    if (result.status === 'failed') process.exitCode = 1;
  });
}
