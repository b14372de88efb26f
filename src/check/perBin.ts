/**
 * What a check reads from an estimator's answer: per-bin rates and errors (given, or the mean of its
 * per-electron rates over each bin's electrons, as the study runner does) and per-electron rates (given, or
 * looked up from the bins).
 */
import type { Binning } from '../binning/Binning.js';
import { assignBins } from '../binning/assignBins.js';
import type { EventTable } from '../events/columns.js';
import type { EstimatorResult } from '../study/estimators/Estimator.js';
import { binMeans } from '../study/metrics/binMeans.js';
import { electronRates } from '../study/estimators/electronRates.js';

export interface PerBin {
  eps: Float64Array;
  /** The estimator's own error per bin; NaN where it gives none. */
  err: Float64Array;
  eps1: ArrayLike<number>;
  eps2: ArrayLike<number>;
}

export function perBin(res: EstimatorResult, table: EventTable, binning: Binning): PerBin {
  const K = binning.size;
  const bins = assignBins(table, binning);
  const rates = electronRates(res, bins);
  const eps1 = rates?.eps1 ?? new Float64Array(table.n).fill(NaN);
  const eps2 = rates?.eps2 ?? new Float64Array(table.n).fill(NaN);
  const eps = res.bins
    ? Float64Array.from(res.bins.eps)
    : Float64Array.from(binMeans(bins, K, eps1, eps2, table.columns.is_background).mean);
  const err = res.bins?.err ? Float64Array.from(res.bins.err) : new Float64Array(K).fill(NaN);
  return { eps, err, eps1, eps2 };
}
