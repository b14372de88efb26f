/**
 * Known-truth samples for the estimator checks (`qmisid check`, src/check/properties/) and the bench's own
 * property suite (test/properties/): a family of smooth truth ε(pT, |η|) drawn by fast-check, Z→ee events from
 * the generator with that ε, and the per-bin truth reference.
 *
 * ε is large (≈ 0.4 %–10 %; a real detector has ≈ 0.1 %) so samples of ≈ 50k window events hold ≈ 2–5k
 * same-charge events and a check resolves a 20 % bias in a bin. The flipped-electron energy loss is off unless
 * asked for: with it off, whether an event is selected does not depend on the flips, so the expected flip rate
 * of the window electrons of a reconstructed bin is exactly the mean of their truth ε (the reference τ).
 */
import fc from 'fast-check';
import { Binning } from '../binning/Binning.js';
import { assignBins } from '../binning/assignBins.js';
import type { GeneratorConfigInput } from '../config/generatorConfig.js';
import { filterTable, type EventTable } from '../events/columns.js';
import { REGION } from '../selection/index.js';
import { fitBinnedTable, type BinnedFitResult } from '../fit/fitBinned.js';
import { truthMatchedRates } from '../truth/truthMatchedRates.js';
import { generateEvents } from '../../generators/zee/generateEvents.js';

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

/** |η| × pT bins for the checks: 4 populated |η| bins (the crack bin 1.37–1.52 is empty) × 3 pT bins. */
export const CHECK_BINNING = Binning.fromEdges([0, 0.6, 1.37, 1.52, 2.0, 2.47], [25, 40, 55, 1000]);

/** Bulk: at least this many electrons of same-charge window events in the bin (≈ its flips, ±10 % Poisson). */
export const BULK_SC_ELECTRONS = 100;

export const NO_FLIP_LOSS: GeneratorConfigInput['detector'] = { flip: { lossMean: 0, extraSmear: 0 } };

export interface SampleOptions {
  /** Flipped-electron energy loss (mean fraction); 0 = off (the default). */
  lossMean?: number;
  /** Keep only events with one electron below and one above this |η| (a bipartite pairing graph). */
  bipartiteSplit?: number;
}

/** Window events (region window) of `truthEvents` generated Z→ee events with ε from the shape. */
export async function windowSample(
  shape: EpsShape,
  truthEvents: number,
  seed: string | number,
  opts: SampleOptions = {},
): Promise<EventTable> {
  const detector = opts.lossMean ? { flip: { lossMean: opts.lossMean, extraSmear: 0.025 } } : NO_FLIP_LOSS;
  const r = await generateEvents({
    config: { eps: { model: 'function', fn: epsOf(shape), label: 'check family' }, detector },
    events: truthEvents,
    seed,
    workers: 0,
  });
  const t = r.table!;
  const region = t.columns.region!;
  const eta1 = t.columns.eta1!;
  const eta2 = t.columns.eta2!;
  const split = opts.bipartiteSplit;
  return filterTable(t, (i) => region[i] === REGION.window && (split == null || Math.abs(eta1[i]!) < split !== Math.abs(eta2[i]!) < split));
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

export interface Reference {
  /** The binned fit on the same sample: its sandwich error is the precision any estimator can claim per bin. */
  fit: BinnedFitResult;
  /** Mean truth ε of the bin's window electrons: the expectation of what every estimator measures. */
  truth: Float64Array;
  /** Bins with ≥ BULK_SC_ELECTRONS same-charge electrons and a fitted rate. */
  bulk: number[];
}

export function reference(table: EventTable, binning = CHECK_BINNING): Reference {
  const fit = fitBinnedTable(table, binning, { region: 'all' });
  const truth = truthMatchedRates(table, binning).meanTruthEps;
  const sce = scElectronsPerBin(table, binning);
  const bulk = [...Array(binning.size).keys()].filter((k) => sce[k]! >= BULK_SC_ELECTRONS && fit.binStatus[k] === 'fitted');
  return { fit, truth, bulk };
}
