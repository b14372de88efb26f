/**
 * A trained φ model as kept in memory and on disk (modelIo.ts): everything needed to reproduce its
 * predictions (features, normalisation, architecture, weights) and to judge it (config, seed, backend,
 * branch, loss curves). An ensemble is one model with K members sharing features and normalisation.
 */
import type { FoldSummary } from './foldOffsets.js';
import type { BranchReport } from './branch.js';
import type { TrainConfig } from './config.js';
import type { Normalisation } from './normalisation.js';
import type { MlpArch, MlpParams } from './mlp.js';
import type { BackendName } from './backend.js';
import type { BackgroundSummary } from './sidebandBackground.js';
import type { PairingDiagnostic } from './pairingDiagnostic.js';
import type { MappingReport } from '../io/columnMap.js';

export const MODEL_FORMAT = 'qmisid-phi-model/1';

export interface LossCurves {
  /** Per epoch: weighted mean training loss (Σwℓ/Σw over the epoch's batches). */
  train: number[];
  /** Per epoch: weighted mean loss on the held-out split (empty when valFrac = 0). */
  val: number[];
  lr: number[];
}

export interface MemberInfo {
  index: number;
  seed: string;
  bootstrap: boolean;
  curves: LossCurves;
  /** Epoch (0-based) whose weights were kept. */
  bestEpoch: number;
  epochsRun: number;
  stoppedEarly: boolean;
  steps: number;
  trainEvents: number;
  valEvents: number;
  branch: BranchReport;
  /**
   * 'collapsed': the loss went below its attainable minimum or ε collapsed (collapseGuard.ts); `problems` says
   * how. Such a member is not a model: `qmisid train` exits non-zero, a study counts the estimate as collapsed.
   */
  status: 'ok' | 'collapsed';
  problems: string[];
  /** Fraction of electrons with ε < COLLAPSE_EPS. */
  collapsedFraction: number;
  /** The modelled sideband background of this member's sample (negative weights only). */
  background?: BackgroundSummary;
  seconds: number;
}

export interface Member extends MemberInfo {
  params: MlpParams;
}

export interface PhiModel {
  format: typeof MODEL_FORMAT;
  /** phi: pair-trained (the method); oracle: per-electron on the truth flip label. */
  kind: 'phi' | 'oracle';
  features: string[];
  /** Network inputs after transforms, e.g. ['log(pt)', 'eta']. */
  inputs: string[];
  normalisation: Normalisation;
  arch: MlpArch;
  config: TrainConfig;
  seed: string;
  backend: BackendName;
  members: Member[];
  /** Pairing identifiability of the training sample in the coarse binning (pairingDiagnostic.ts). */
  pairing?: PairingDiagnostic;
  /** Folded loss (config `fold`): the acceptance/migration factors' bookkeeping (foldOffsets.ts). */
  fold?: FoldSummary;
  /** How the training file's columns were read (src/io/columnMap.ts), when a mapping was given or sc/region derived. */
  columnMap?: MappingReport;
  /** The events it was trained on (written by `qmisid train`): region, window, sidebands, pT thresholds, where they came from. */
  selection?: Record<string, unknown>;
}
