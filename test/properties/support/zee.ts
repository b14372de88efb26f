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
import fc from 'fast-check';
import { Binning } from '../../../src/binning/Binning.js';
import { assignBins } from '../../../src/binning/assignBins.js';
import { filterTable, type EventTable } from '../../../src/events/columns.js';
import { fitBinnedTable, type BinnedFitResult } from '../../../src/fit/fitBinned.js';
import { truthMatchedRates } from '../../../src/truth/truthMatchedRates.js';
import { binAverage } from '../../../src/truth/binAverage.js';
import { generateEvents } from '../../../generators/zee/generate-events.js';
import type { GeneratorConfigInput } from '../../../src/config/generator-config.js';
import type { TrainConfigInput } from '../../../src/train/config.js';
import { REGION } from '../../../src/selection/selection.js';

export interface EpsShape {
  /** ε = A · exp(β|η|) · (1 + pT/p_b), clamped to [1e-5, 0.1]. */
  A: number;
  beta: number;
  pb: number;
}

export const epsShapeArb: fc.Arbitrary<EpsShape> = fc.record({
  A: fc.double({ min: Math.log(4e-3), max: Math.log(1.2e-2), noNaN: true }).map(Math.exp),
  beta: fc.double({ min: 0, max: 1.2, noNaN: true }),
  pb: fc.double({ min: 20, max: 200, noNaN: true }),
});

export function epsOf(s: EpsShape): (pt: number, absEta: number) => number {
  return (pt, absEta) => Math.min(0.1, Math.max(1e-5, s.A * Math.exp(s.beta * absEta) * (1 + pt / s.pb)));
}

/** |η| × pT bins for the recovery checks: 4 populated |η| bins (the crack bin is empty) × 3 pT bins. */
export const PROPERTY_BINNING = Binning.fromEdges([0, 0.6, 1.37, 1.52, 2.0, 2.47], [25, 40, 55, 1000]);

/** Bulk: at least this many electrons of same-charge window events in the bin (≈ its flips, ±10 % Poisson). */
export const BULK_SC_ELECTRONS = 100;

export const NO_FLIP_LOSS: GeneratorConfigInput['detector'] = { flip: { lossMean: 0, extraSmear: 0 } };

/** Window events (region 0) of `truthEvents` generated Z→ee events with ε from the shape. */
export async function windowSample(shape: EpsShape, truthEvents: number, seed: string | number): Promise<EventTable> {
  const r = await generateEvents({
    config: { eps: { model: 'function', fn: epsOf(shape), label: 'property family' }, detector: NO_FLIP_LOSS },
    events: truthEvents,
    seed,
    workers: 0,
  });
  const t = r.table!;
  return filterTable(t, (i) => t.columns.region![i] === REGION.window);
}

/** Electrons of same-charge events per bin (the data-side count that defines the bulk). */
export function scElectronsPerBin(table: EventTable, binning: Binning): Float64Array {
  const { bin1, bin2 } = assignBins(table, binning);
  const out = new Float64Array(binning.size);
  const sc = table.columns.sc!;
  for (let i = 0; i < table.n; i++) {
    if (!sc[i]) continue;
    if (bin1[i]! >= 0) out[bin1[i]!]++;
    if (bin2[i]! >= 0) out[bin2[i]!]++;
  }
  return out;
}

export interface BinnedCheck {
  fit: BinnedFitResult;
  /** Mean truth ε of the bin's window electrons: the expectation of what every estimator measures. */
  truth: Float64Array;
  bulk: number[];
}

export function binnedCheck(table: EventTable, binning = PROPERTY_BINNING): BinnedCheck {
  const fit = fitBinnedTable(table, binning, { region: 'all' });
  const truth = truthMatchedRates(table, binning).meanTruthEps;
  const sce = scElectronsPerBin(table, binning);
  const bulk = [...Array(binning.size).keys()].filter((k) => sce[k]! >= BULK_SC_ELECTRONS && fit.binStatus[k] === 'fitted');
  return { fit, truth, bulk };
}

/** Trainer settings small enough for CI: 2 inputs, 2×16 hidden, all events used for training (valFrac 0). */
export const CI_TRAIN: TrainConfigInput = { features: ['pt', 'abseta'], hidden: [16, 16], epochs: 12, batch: 2048, lr: 1e-2, valFrac: 0, patience: 4, progress: false };

/** Train φ on the table and average ε = sigmoid(φ) over each bin's electrons. */
export async function trainedBinMeans(table: EventTable, seed: string | number, binning = PROPERTY_BINNING, extra: Record<string, unknown> = {}) {
  const { trainModel } = await import('../../../src/train/train-model.js');
  const { applyModel } = await import('../../../src/train/apply.js');
  const model = await trainModel(table, { ...CI_TRAIN, ...extra, seed });
  const { eps1, eps2 } = applyModel(model, table);
  return { model, eps1, eps2, mean: binAverage(eps1, eps2, table, binning).mean };
}
