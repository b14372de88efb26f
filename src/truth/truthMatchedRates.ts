/**
 * The truth references for a binned estimate, per (|η|, pT) bin of reconstructed electrons:
 * - `rate`: the fraction of electrons whose charge was flipped (truth_flip), with a binomial error
 *   √(r(1 − r)/n_eff), n_eff = (Σw)²/Σw² (= the electron count for unit weights) — what the binned fit
 *   estimates, with the statistical scatter of this very sample;
 * - `meanTruthEps`: the average of the truth model's ε (truth_eps) over the bin's electrons — the exact
 *   expectation of that rate, free of flip-sampling noise.
 */
import type { Binning } from '../binning/Binning.js';
import { requireColumn } from '../binning/assignBins.js';
import type { EventTable } from '../events/columns.js';
import { binAverage, type BinAverageOptions } from './binAverage.js';

export interface TruthMatchedRates {
  labels: string[];
  rate: Float64Array;
  err: Float64Array;
  meanTruthEps: Float64Array;
  sumW: Float64Array;
  nEff: Float64Array;
  electronsOutside: number;
}

export function truthMatchedRates(table: EventTable, binning: Binning, opts: BinAverageOptions = {}): TruthMatchedRates {
  const source = opts.source ?? 'events';
  const flips = binAverage(requireColumn(table, 'truth_flip1', source), requireColumn(table, 'truth_flip2', source), table, binning, opts);
  const eps = binAverage(requireColumn(table, 'truth_eps1', source), requireColumn(table, 'truth_eps2', source), table, binning, opts);
  const err = Float64Array.from(flips.mean, (r, k) => {
    const n = flips.nEff[k]!;
    return n > 0 && Number.isFinite(r) ? Math.sqrt(Math.max(r * (1 - r), 0) / n) : NaN;
  });
  return {
    labels: binning.labels(),
    rate: flips.mean,
    err,
    meanTruthEps: eps.mean,
    sumW: flips.sumW,
    nEff: flips.nEff,
    electronsOutside: flips.electronsOutside,
  };
}
