/**
 * Generated Z→ee samples for the property suite: a family of smooth truth ε(pT, |η|) drawn by fast-check,
 * the generator's user-function ε model, the binned fit and the φ-trainer on the window events, and the
 * per-bin truth reference (mean truth ε of the window electrons in each reconstructed bin).
 *
 * ε is large (≈ 0.4 %–10 %, a real detector has ≈ 0.1 %) so CI-sized samples (≈ 50k window events) hold
 * ≈ 2–5k same-charge events. Flipped-electron energy loss is off here (stress.test.ts turns it on): with it
 * off, whether an event is selected does not depend on the flips, so the expected flip rate of the window
 * electrons of a reconstructed bin is exactly the mean of their truth ε.
 */
import type { EventTable } from '../../../src/events/columns.js';
import type { TrainConfigInput } from '../../../src/train/config.js';
import { binAverage } from '../../../src/truth/binAverage.js';
import { CHECK_BINNING, reference, type Reference } from '../../../src/check/sample.js';

// The samples, truth shapes and reference are shared with `qmisid check` (src/check/sample.ts): one definition.
export {
  epsShapeArb,
  epsOf,
  windowSample,
  scElectronsPerBin,
  BULK_SC_ELECTRONS,
  NO_FLIP_LOSS,
  type EpsShape,
} from '../../../src/check/sample.js';

/** |η| × pT bins for the recovery checks: 4 populated |η| bins (the crack bin is empty) × 3 pT bins. */
export const PROPERTY_BINNING = CHECK_BINNING;

export type BinnedCheck = Reference;

export function binnedCheck(table: EventTable, binning = PROPERTY_BINNING): BinnedCheck {
  return reference(table, binning);
}

/** Trainer settings small enough for CI: 2 inputs, 2×16 hidden, all events used for training (valFrac 0). */
export const CI_TRAIN: TrainConfigInput = {
  features: ['pt', 'abseta'],
  hidden: [16, 16],
  epochs: 12,
  batch: 2048,
  lr: 1e-2,
  valFrac: 0,
  patience: 4,
  progress: false,
};

/** Train φ on the table and average ε = sigmoid(φ) over each bin's electrons. */
export async function trainedBinMeans(
  table: EventTable,
  seed: string | number,
  binning = PROPERTY_BINNING,
  extra: Record<string, unknown> = {},
) {
  const { trainModel } = await import('../../../src/train/trainModel.js');
  const { applyModel } = await import('../../../src/train/apply.js');
  const model = await trainModel(table, { ...CI_TRAIN, ...extra, seed });
  const { eps1, eps2 } = applyModel(model, table);
  return { model, eps1, eps2, mean: binAverage(eps1, eps2, table, binning).mean };
}
