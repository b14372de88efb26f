/**
 * Train a φ model (or ensemble) on an event table. Pipeline: resolve config → pick backend → features and
 * normalisation → K members → one PhiModel carrying everything needed to apply and audit it.
 */
import { filterTable, type EventTable } from '../events/columns.js';
import { deriveSeed } from '../rng.js';
import { foldOffsets, type FoldOffsets } from './foldOffsets.js';
import { Binning } from '../binning/Binning.js';
import { selectBackend, type BackendName } from './backend.js';
import { pairingDiagnostic } from './pairingDiagnostic.js';
import { resolveTrainConfig, type TrainConfig, type TrainConfigInput } from './config.js';
import { ensembleOcFilter, trainEnsemble } from './ensemble.js';
import { inputNames, parseFeatures, type FeatureSpec } from './features.js';
import type { Head } from './gradEngine.js';
import type { MlpArch } from './mlp.js';
import { MODEL_FORMAT, type PhiModel } from './model.js';
import { createBatchEngine, type BatchEngine } from './parallelEngine.js';
import { createProgress } from './progress.js';
import { prepareTrainingSet, type TrainingSet } from './trainingSet.js';
import type { Normalisation } from './normalisation.js';

export interface TrainRunOptions {
  /** File name used in DataError messages. */
  source?: string;
  /**
   * At most this many threads compute the gradient (default: the config's `threads`). The batch is still cut
   * into `threads` parts, so the result is the same bits for any budget (parallelEngine.ts); a study sets it
   * to its share of the cores (threadBudget.ts).
   */
  maxThreads?: number;
  /**
   * The table is the read-time OC subsample of the selected sample (train --oc-keep, subsample.ts): the row
   * number of each of its events in that sample. Absent: the table is the whole sample, row i is event i.
   */
  rows?: Float64Array;
}

function archOf(cfg: TrainConfig): MlpArch {
  const specs = parseFeatures(cfg.features);
  return { inputs: inputNames(specs).length, hidden: cfg.hidden, activation: cfg.activation, alpha: cfg.alpha };
}

function begin(cfg: TrainConfig, arch: MlpArch, head: Head, maxThreads: number | undefined): Promise<Started> {
  const promise = selectBackend(cfg.backend).then((backend) => {
    // Resolved here because it depends on the backend (see config.ts); stored with the model.
    const threads = cfg.threads ?? (backend === 'tensorflow' ? 1 : 2);
    return { backend, threads, engine: createBatchEngine(arch, head, cfg.gradient, threads, backend, maxThreads ?? threads) };
  });
  // A failed start is reported where it is awaited (trainPrepared), not as an unhandled rejection meanwhile.
  promise.then((s) => s.engine.catch(() => {})).catch(() => {});
  return promise;
}

/**
 * Not async on purpose: the table is turned into the training set before the first await, and no suspended
 * frame keeps it, so its columns can be collected while the members train (the caller should drop its own
 * reference too; qmisid train does). Errors still arrive as a rejected promise.
 */
export function trainWithHead(table: EventTable, input: TrainConfigInput, head: Head, opts: TrainRunOptions = {}): Promise<PhiModel> {
  let started: Promise<Started> | undefined;
  try {
    const cfg = resolveTrainConfig(input);
    const arch = archOf(cfg);
    // The gradient threads start now, each loading its own TensorFlow.js: their start-up overlaps the data
    // preparation below instead of following it (~1 s of a short `qmisid train`; docs/trainer.md).
    started = begin(cfg, arch, head, opts.maxThreads);
    const prepared = prepare(table, cfg, head, opts);
    if (prepared.set.d !== arch.inputs) throw new Error(`training set has ${prepared.set.d} inputs, the features name ${arch.inputs}`);
    return trainPrepared(prepared, cfg, head, opts, arch, started);
  } catch (err) {
    // Settle the backend and the engine before rejecting: the caller may train again at once (a study's next
    // point), and a second backend selection racing a pending one leaves TensorFlow.js with the wrong kernels.
    return stop(started).then(() => Promise.reject(err));
  }
}

interface Started {
  backend: BackendName;
  /** The gradient threads (the config's `threads`, resolved from the backend when unset). */
  threads: number;
  engine: Promise<BatchEngine>;
}

/** Dispose an engine that was started for a training that then failed. */
async function stop(started: Promise<Started> | undefined): Promise<void> {
  await started?.then(async (s) => (await s.engine).dispose()).catch(() => {});
}

interface Prepared {
  set: TrainingSet;
  normalisation: Normalisation;
  specs: FeatureSpec[];
  pairing: ReturnType<typeof pairingDiagnostic>;
  fold?: FoldOffsets['summary'];
}

function prepare(table: EventTable, cfg: TrainConfig, head: Head, opts: TrainRunOptions): Prepared {
  const specs = parseFeatures(cfg.features);
  const binning = cfg.bins ? Binning.fromEdges(cfg.bins.eta, cfg.bins.pt) : Binning.defaults();
  // Folded loss: the factors come from the whole table (the parents); the window's events are trained on.
  let fold: FoldOffsets | undefined;
  let trainTable = table;
  if (cfg.fold && head === 'pair') {
    fold = foldOffsets(table, binning, cfg.fold, deriveSeed(String(cfg.seed), 'fold'), {
      weightColumn: 'w',
      ...(opts.source != null ? { source: opts.source } : {}),
    });
    const keep = new Uint8Array(table.n);
    for (const i of fold.rows) keep[i] = 1;
    trainTable = filterTable(table, (i) => keep[i] === 1);
  }
  // OC subsampling (pair head): only the events some member keeps are trained on, validated on or looked at
  // (normalisation, pairing diagnostic, branch check), so a table subsampled while reading (opts.rows) and the
  // whole table in memory give the same model. The members pick their own events again (trainer.ts).
  let rows = opts.rows;
  let rho = fold ? { rho1: fold.rho1, rho2: fold.rho2 } : undefined;
  if (rows && (rows.length !== table.n || fold))
    throw new Error('trainWithHead: rows must number the table, and a folded trainer reads every event');
  if (head === 'pair' && cfg.ocKeep < 1 && trainTable.columns.sc) {
    const sc = trainTable.columns.sc;
    const need = ensembleOcFilter(cfg);
    const keep = new Uint8Array(trainTable.n);
    let m = 0;
    for (let i = 0; i < trainTable.n; i++) if ((keep[i] = need(rows ? rows[i]! : i, sc[i]!) ? 1 : 0)) m++;
    if (m < trainTable.n) {
      const r0 = rows;
      rows = Float64Array.from({ length: m });
      for (let i = 0, j = 0; i < trainTable.n; i++) if (keep[i]) rows[j++] = r0 ? r0[i]! : i;
      trainTable = filterTable(trainTable, (i) => keep[i] === 1);
      if (rho) rho = { rho1: rho.rho1.filter((_, i) => keep[i] === 1), rho2: rho.rho2.filter((_, i) => keep[i] === 1) };
    }
  }
  const { set, normalisation } = prepareTrainingSet(trainTable, specs, head, {
    binning,
    ...(opts.source != null ? { source: opts.source } : {}),
  });
  if (rho) set.fold = rho;
  if (rows) set.row = rows;
  const pairing = pairingDiagnostic(set, binning);
  return { set, normalisation, specs, pairing, ...(fold ? { fold: fold.summary } : {}) };
}

async function trainPrepared(
  p: Prepared,
  cfg: TrainConfig,
  head: Head,
  opts: TrainRunOptions,
  arch: MlpArch,
  started: Promise<Started>,
): Promise<PhiModel> {
  const { set, normalisation, specs, pairing } = p;
  let backend: BackendName;
  let members;
  try {
    const s = await started;
    backend = s.backend;
    cfg.threads ??= s.threads;
    // trainEnsemble disposes the engine once the members are trained.
    members = await trainEnsemble(set, arch, cfg, head, createProgress(cfg.progress), backend, opts.maxThreads, s.engine);
  } catch (err) {
    await stop(started);
    throw err;
  }
  return {
    format: MODEL_FORMAT,
    kind: head === 'pair' ? 'phi' : 'oracle',
    features: cfg.features,
    inputs: inputNames(specs),
    normalisation,
    arch,
    config: cfg,
    seed: String(cfg.seed),
    backend,
    members,
    ...(pairing ? { pairing } : {}),
    ...(p.fold ? { fold: p.fold } : {}),
  };
}

/** Why a trained model is not a model (collapsed members, collapseGuard.ts), one line each; empty if none. */
export function modelProblems(model: PhiModel): string[] {
  return model.members.flatMap((m) => (m.status === 'collapsed' ? m.problems.map((p) => `member ${m.index}: ${p}`) : []));
}

/** The method: φ trained through the pair classifier f(φ1, φ2) on OC/SC labels (eq. 3). */
export function trainModel(table: EventTable, input: TrainConfigInput = {}, opts: TrainRunOptions = {}): Promise<PhiModel> {
  return trainWithHead(table, input, 'pair', opts);
}
