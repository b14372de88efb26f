/**
 * Train a φ model (or ensemble) on an event table. Pipeline: resolve config → pick backend → features and
 * normalisation → K members → one PhiModel carrying everything needed to apply and audit it.
 */
import type { EventTable } from '../events/columns.js';
import { selectBackend } from './backend.js';
import { resolveTrainConfig, type TrainConfigInput } from './config.js';
import { trainEnsemble } from './ensemble.js';
import { inputNames, parseFeatures } from './features.js';
import type { Head } from './grad-engine.js';
import type { MlpArch } from './mlp.js';
import { MODEL_FORMAT, type PhiModel } from './model.js';
import { createProgress } from './progress.js';
import { prepareTrainingSet } from './training-set.js';

export interface TrainRunOptions {
  /** File name used in DataError messages. */
  source?: string;
  /**
   * At most this many threads compute the gradient (default: the config's `threads`). The batch is still cut
   * into `threads` parts, so the result is the same bits for any budget (parallel-engine.ts); a study sets it
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
  const { set, normalisation } = prepareTrainingSet(table, specs, head, opts.source != null ? { source: opts.source } : {});
  // The training set holds what training needs (float32 inputs, labels, weights); let the table's columns go
  // while the members train (a caller that passes the read result directly keeps no other reference).
  table = { n: 0, columns: {} };
  const arch: MlpArch = { inputs: set.d, hidden: cfg.hidden, activation: cfg.activation, alpha: cfg.alpha };
  const members = await trainEnsemble(set, arch, cfg, head, createProgress(cfg.progress), backend, opts.maxThreads);
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
  };
}

/** The method: φ trained through the pair classifier f(φ1, φ2) on OC/SC labels (eq. 3). */
export function trainModel(table: EventTable, input: TrainConfigInput = {}, opts: TrainRunOptions = {}): Promise<PhiModel> {
  return trainWithHead(table, input, 'pair', opts);
}
