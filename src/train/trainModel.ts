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
import { trainEnsemble } from './ensemble.js';
import { inputNames, parseFeatures, type FeatureSpec } from './features.js';
import type { Head } from './gradEngine.js';
import type { MlpArch } from './mlp.js';
import { MODEL_FORMAT, type PhiModel } from './model.js';
import { createBatchEngine, type BatchEngine } from './parallelEngine.js';
import { createProgress } from './progress.js';
import { prepareTrainingSet } from './trainingSet.js';

export interface TrainRunOptions {
  /** File name used in DataError messages. */
  source?: string;
  /**
   * At most this many threads compute the gradient (default: the config's `threads`). The batch is still cut
   * into `threads` parts, so the result is the same bits for any budget (parallelEngine.ts); a study sets it
   * to its share of the cores (threadBudget.ts).
   */
  maxThreads?: number;
}

export async function trainWithHead(table: EventTable, input: TrainConfigInput, head: Head, opts: TrainRunOptions = {}): Promise<PhiModel> {
  const cfg = resolveTrainConfig(input);
  const backend = await selectBackend(cfg.backend);
  // Resolved here because it depends on the backend (see config.ts); stored with the model.
  cfg.threads ??= backend === 'tensorflow' ? 1 : 2;
  const specs = parseFeatures(cfg.features);
  const arch: MlpArch = { inputs: inputNames(specs).length, hidden: cfg.hidden, activation: cfg.activation, alpha: cfg.alpha };
  // The gradient threads start now, each loading its own TensorFlow.js: their start-up overlaps the data
  // preparation below instead of following it (~1 s of a short `qmisid train`; docs/trainer.md).
  const engine = createBatchEngine(arch, head, cfg.gradient, cfg.threads, backend, opts.maxThreads ?? cfg.threads);
  const stopEngine = async (): Promise<void> => (await engine).dispose();
  // A failed start is reported where it is awaited (trainEnsemble), not as an unhandled rejection meanwhile.
  engine.catch(() => {});
  try {
    return await trainPrepared(table, cfg, head, opts, specs, arch, backend, engine);
  } catch (err) {
    await stopEngine().catch(() => {});
    throw err;
  }
}

async function trainPrepared(
  table: EventTable,
  cfg: TrainConfig,
  head: Head,
  opts: TrainRunOptions,
  specs: FeatureSpec[],
  arch: MlpArch,
  backend: BackendName,
  engine: Promise<BatchEngine>,
): Promise<PhiModel> {
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
  const { set, normalisation } = prepareTrainingSet(trainTable, specs, head, {
    binning,
    ...(opts.source != null ? { source: opts.source } : {}),
  });
  if (fold) set.fold = { rho1: fold.rho1, rho2: fold.rho2 };
  const pairing = pairingDiagnostic(set, binning);
  if (set.d !== arch.inputs) throw new Error(`training set has ${set.d} inputs, the features name ${arch.inputs}`);
  const members = await trainEnsemble(set, arch, cfg, head, createProgress(cfg.progress), backend, opts.maxThreads, engine);
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
    ...(fold ? { fold: fold.summary } : {}),
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
