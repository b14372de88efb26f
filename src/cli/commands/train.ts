/**
 * `qmisid train`: fit φ(e) on an event file through the pair classifier f(φ1, φ2) (method note eq. 3), or
 * with --oracle per electron on the truth flip label, and save the model directory (atomically).
 *
 * It trains on the events `qmisid fit` would fit: by default the mass window of the file's own selection
 * (src/selection: from the file's metadata, defaults without), or `--region sideband-subtracted` / `all`, with
 * the same --window, --sidebands and --pt-min overrides. The selection used is stored in model.json and printed.
 */
import type { Command } from 'commander';
import { ConfigError, UsageError } from '../../errors.js';
import { MAX_BATCH, MAX_ENSEMBLE, MAX_EPOCHS, MAX_HIDDEN_LAYERS, MAX_HIDDEN_WIDTH } from '../../limits.js';
import {
  parseConfigFile,
  parseEventInput,
  parseIntList,
  parseInteger,
  parseList,
  parseNumber,
  parseOutputDir,
  parseSeed,
} from '../flags.js';
import type { SelectionFlags } from '../../selection/selection.js';
import type { EventTable } from '../../events/columns.js';
import { addColumnMapOptions, columnMapFrom, withMapSelection, type ColumnMapFlags } from '../columnMapOptions.js';

interface TrainFlags extends SelectionFlags, ColumnMapFlags {
  region: string;
  input: string;
  out: string;
  features?: string;
  hidden?: string;
  activation?: string;
  epochs?: string;
  batch?: string;
  lr?: string;
  schedule?: string;
  patience?: string;
  ensemble?: string;
  bootstrap?: boolean;
  ocKeep?: string;
  seed?: string;
  valFrac?: string;
  backend?: string;
  gradient?: string;
  threads?: string;
  flipMirror?: boolean;
  oracle?: boolean;
  config?: string;
  progress?: boolean;
  json?: boolean;
}

/** Config key → the flag that sets it, so validation errors name what the user typed. */
const FLAG_OF: Record<string, string> = {
  features: '--features',
  hidden: '--hidden',
  activation: '--activation',
  epochs: '--epochs',
  batch: '--batch',
  lr: '--lr',
  schedule: '--schedule',
  patience: '--patience',
  ensemble: '--ensemble',
  ocKeep: '--oc-keep',
  seed: '--seed',
  valFrac: '--val-frac',
  backend: '--backend',
  gradient: '--gradient',
  threads: '--threads',
};

/**
 * Start a training on the held table and let go of it. trainWithHead builds the training set before its first
 * await; an async frame keeps whatever its registers held across an await, so the table travels in a holder
 * that is emptied here, in a synchronous frame, and its columns can be collected while the members train.
 */
function trainReleasing<T>(holder: { table?: EventTable }, train: (t: EventTable) => Promise<T>): Promise<T> {
  const t = holder.table!;
  holder.table = undefined;
  return train(t);
}

/** The selection flags alone (plain strings: they cross to the reading thread). */
function pickSelectionFlags(f: SelectionFlags): SelectionFlags {
  return {
    ...(f.window != null ? { window: f.window } : {}),
    ...(f.sidebands != null ? { sidebands: f.sidebands } : {}),
    ...(f.ptMin != null ? { ptMin: f.ptMin } : {}),
  };
}

/** Apply a parser to a flag that may be absent. */
function opt<T>(v: string | undefined, parse: (v: string) => T): T | undefined {
  return v == null ? undefined : parse(v);
}

export function register(program: Command): void {
  const cmd = program
    .command('train')
    .description('train the per-electron network phi(e) on OC/SC pairs (eps = sigmoid(phi)); saves a model directory')
    .requiredOption(
      '--input <FILE|DIR>',
      'event file (.parquet, .arrow, .csv) or directory of parts, with <feature>1/<feature>2, sc and optional w',
    )
    .requiredOption('--out <DIR>', 'model directory to write (replaced atomically)')
    .option('--region <REGION>', 'events to train on: window (default) | sideband-subtracted | all, as in qmisid fit', 'window')
    .option('--window <lo,hi>', "mass window [GeV] (default: the file's selection)")
    .option('--sidebands <lo1,hi1,lo2,hi2>', "low and high sideband [GeV] (default: the file's)")
    .option('--pt-min <a,b>', "leading and subleading pT thresholds [GeV] (default: the file's)")
    .option('--features <LIST>', 'per-electron features, e.g. pt,eta | pt,abseta,phi,q | log:pt,id:phi (default pt,eta)')
    .option('--hidden <LIST>', 'hidden-layer widths (default 64,64,64)')
    .option('--activation <NAME>', 'leakyRelu (default, slope 0.01) | relu | elu | tanh')
    .option('--epochs <N>', 'maximum epochs (default 30)')
    .option('--batch <N>', 'pairs per step (default 16384)')
    .option('--lr <X>', 'initial Adam learning rate (default 0.01)')
    .option('--schedule <NAME>', 'learning-rate schedule: cosine (default) | step | constant')
    .option('--patience <N>', 'early stopping: epochs without validation improvement (default 5)')
    .option('--ensemble <K>', 'number of members (default 1); with K > 1 apply also writes eps1_sd, eps2_sd')
    .option('--bootstrap', 'members see Poisson(1) bootstrap weights')
    .option('--oc-keep <R>', 'keep opposite-charge events with probability R, weight 1/R (default 1)')
    .option('--seed <S>', 'root seed (default 0)')
    .option('--val-frac <F>', 'held-out fraction for validation and early stopping (default 0.2)')
    .option('--backend <NAME>', 'auto (default: tfjs-node, else wasm, else cpu) | node | wasm | cpu')
    .option('--gradient <MODE>', 'manual (default, hand-written backward pass) | autodiff')
    .option('--threads <N>', 'data-parallel gradient threads (default 2 on wasm/cpu, 1 on tfjs-node)')
    .option('--flip-mirror', 'negate a member found on the mirror branch (eps > 1/2): phi -> -phi is exact')
    .option('--oracle', 'train per electron on truth_flip1/2 instead (supervised reference)')
    .option('--config <FILE.json>', 'trainer options as JSON (flags override)')
    .option('--no-progress', 'no progress bar (default: shown when stderr is a terminal)')
    .option('--json', 'print a JSON summary on stdout');
  addColumnMapOptions(cmd).action(async (flags: TrainFlags) => {
    // Every flag is parsed and the outputs checked before the event file is read.
    const fromFlags: Record<string, unknown> = {
      features: opt(flags.features, (v) => parseList('--features', v)),
      hidden: opt(flags.hidden, (v) => parseIntList('--hidden', v, { min: 1, max: MAX_HIDDEN_WIDTH }, MAX_HIDDEN_LAYERS)),
      activation: flags.activation,
      epochs: opt(flags.epochs, (v) => parseInteger('--epochs', v, { min: 1, max: MAX_EPOCHS })),
      batch: opt(flags.batch, (v) => parseInteger('--batch', v, { min: 1, max: MAX_BATCH })),
      lr: opt(flags.lr, (v) => parseNumber('--lr', v, { min: 0, minExclusive: true })),
      schedule: flags.schedule,
      patience: opt(flags.patience, (v) => parseInteger('--patience', v, { min: 1, max: MAX_EPOCHS })),
      ensemble: opt(flags.ensemble, (v) => parseInteger('--ensemble', v, { min: 1, max: MAX_ENSEMBLE })),
      bootstrap: flags.bootstrap,
      ocKeep: opt(flags.ocKeep, (v) => parseNumber('--oc-keep', v, { min: 0, minExclusive: true, max: 1 })),
      seed: opt(flags.seed, (v) => parseSeed('--seed', v)),
      valFrac: opt(flags.valFrac, (v) => parseNumber('--val-frac', v, { min: 0, max: 1, maxExclusive: true })),
      backend: flags.backend,
      gradient: flags.gradient,
      threads: opt(flags.threads, (v) => parseInteger('--threads', v, { min: 1, max: 16 })),
      flipMirror: flags.flipMirror,
      progress: flags.progress === false ? false : undefined,
    };
    parseEventInput('--input', flags.input);
    parseOutputDir('--out', flags.out, 'a model directory (model.json, weights.bin)', 'model.json');
    const base = flags.config != null ? parseConfigFile('--config', flags.config) : {};
    const { resolveTrainConfig } = await import('../../train/config.js');
    const { modelProblems, trainWithHead } = await import('../../train/trainModel.js');
    const { saveModel } = await import('../../train/modelIo.js');
    const input = { ...base };
    for (const [k, v] of Object.entries(fromFlags)) if (v !== undefined) input[k] = v;
    let folded: boolean;
    let resolved: ReturnType<typeof resolveTrainConfig>;
    try {
      resolved = resolveTrainConfig(input, flags.config);
      folded = resolved.fold != null;
    } catch (err) {
      const key = err instanceof ConfigError ? err.path.split('.')[1] : undefined;
      if (err instanceof ConfigError && key && FLAG_OF[key] && fromFlags[key] !== undefined) {
        throw new UsageError(FLAG_OF[key]!, (err as ConfigError).value, err.expected);
      }
      throw err;
    }
    const sel = await import('../../selection/selection.js');
    if (!(sel.FIT_REGIONS as readonly string[]).includes(flags.region))
      throw new UsageError('--region', flags.region, sel.FIT_REGIONS.join(' | '));
    const region = flags.region as (typeof sel.FIT_REGIONS)[number];
    // The folded trainer's parents include the sidebands (foldOffsets.ts); it applies its own window.
    if (folded && region !== 'all')
      throw new UsageError('--region', region, "'all' with a folded trainer (config fold): the events outside the window are its parents");
    const head = flags.oracle ? 'electron' : 'pair';
    await readAndTrain();
    async function readAndTrain(): Promise<void> {
      const map = columnMapFrom(flags);
      // Read in a thread of its own, which ends before training (readTrainingTable.ts): only the columns
      // training and the selection read, the selection and the OC subsampling applied chunk by chunk.
      const { readTrainingTableInWorker } = await import('../../train/readTrainingTable.js');
      const got = await readTrainingTableInWorker({
        input: flags.input,
        ...(map ? { map } : {}),
        config: resolved,
        oracle: flags.oracle === true,
        region,
        selectionFlags: pickSelectionFlags(withMapSelection(flags, map)),
      });
      const { read, selected, selection, selectionSource, mapping } = got;
      const holder: { table?: EventTable } = { table: got.table };
      got.table = { n: 0, columns: {} };
      const inMemory = holder.table!.n;
      const ocKept = got.rows != null;
      const selectionRecord = {
        region,
        ...sel.selectionToJson(selection),
        sidebandWeight: sel.sidebandFactor(selection),
        source: selectionSource,
        events: selected,
      };
      const model = {
        ...(await trainReleasing(holder, (t) =>
          trainWithHead(t, input, head, {
            source: flags.input,
            ...(got.rows ? { rows: got.rows } : {}),
          }),
        )),
        selection: selectionRecord,
        ...(mapping ? { columnMap: mapping } : {}),
      };
      // A collapsed training is not a model (collapseGuard.ts): say why, write nothing, exit 1.
      const problems = modelProblems(model);
      if (problems.length > 0) {
        process.stderr.write(
          `qmisid train: training collapsed, no model written to ${flags.out}:\n${problems.map((p) => `  ${p}\n`).join('')}`,
        );
        if (flags.json)
          process.stdout.write(`${JSON.stringify({ out: null, status: 'collapsed', problems, selection: selectionRecord })}\n`);
        process.exitCode = 1;
        return;
      }
      await saveModel(flags.out, model);

      process.stderr.write(`qmisid train: backend ${model.backend}; ${model.kind} model, inputs ${model.inputs.join(', ')}\n`);
      process.stderr.write(
        `  trained on ${selected} of ${read} events${ocKept ? ` (${inMemory} kept in memory: SC + the OC events some member keeps, --oc-keep ${resolved.ocKeep})` : ''}: ${region}, window ${selection.window.join('-')} GeV, sidebands ${selection.lowSideband.join('-')} + ${selection.highSideband.join('-')} GeV, pT > ${selection.ptMin.join('/')} GeV (selection: ${selectionSource})\n`,
      );
      for (const m of model.members) {
        const b = m.branch;
        process.stderr.write(
          `  member ${m.index}: ${m.epochsRun} epochs (best ${m.bestEpoch}${m.stoppedEarly ? ', stopped early' : ''}), ` +
            `val loss ${(m.curves.val[m.bestEpoch] ?? NaN).toFixed(6)}, branch ${b.branch}${b.flipped ? ' (flipped to physical)' : ''}, ` +
            `median phi ${b.medianPhi.toFixed(3)}, frac eps>1/2 ${b.fracEpsAboveHalf.toFixed(4)}\n`,
        );
        if (b.branch === 'mirror' && !b.flipped)
          process.stderr.write(
            `  WARNING: member ${m.index} is on the mirror branch (eps > 1/2); rerun with --flip-mirror or another seed\n`,
          );
      }
      const pg = model.pairing;
      if (pg) {
        process.stderr.write(
          `  pairing (coarse |eta| x pT bins): ${pg.identifiable ? 'identifiable' : `NOT IDENTIFIABLE, ${pg.bipartiteComponents} bipartite component(s)`}${pg.emptyBins ? `, ${pg.emptyBins} empty bins` : ''}\n`,
        );
        for (const n of pg.notes) process.stderr.write(`  WARNING: ${n}; the answer there is set by the initialisation, not the data\n`);
      }
      for (const m of model.members) {
        const b = m.background;
        if (b)
          process.stderr.write(
            `  member ${m.index}: sideband background SC ${b.backgroundSC.toFixed(1)} +- ${b.backgroundSCErr.toFixed(1)} of ${b.windowSC.toFixed(1)} window SC (OC ${b.backgroundOC.toFixed(1)}), ${b.excessCategories} categories with background > window, ${b.droppedCategories} dropped\n`,
          );
      }
      process.stderr.write(`  model written to ${flags.out}\n`);
      if (flags.json) {
        const summary = {
          out: flags.out,
          backend: model.backend,
          kind: model.kind,
          inputs: model.inputs,
          status: 'ok',
          selection: selectionRecord,
          ...(model.pairing ? { pairing: model.pairing } : {}),
          members: model.members.map(({ params: _p, ...info }) => info),
        };
        process.stdout.write(`${JSON.stringify(summary)}\n`);
      }
    }
  });
}
