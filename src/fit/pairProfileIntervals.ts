/**
 * Profile-likelihood intervals (profileIntervals.ts) for a binned fit, from the pair counts it was fitted on
 * (the study's binned estimator accumulates them, BinnedTableAccumulator). The caller checks that no weight
 * is negative: with sideband subtraction the weighted "likelihood" is not one, and its ΔlnL = ½ means nothing.
 */
import type { BinnedFitResult } from './fitBinned.js';
import type { PairCounts } from './pairCounts.js';
import { profileIntervals } from './profileIntervals.js';

export function pairProfileIntervals(pc: PairCounts, fit: BinnedFitResult): { errLo: Float64Array; errHi: Float64Array; interval: string } {
  const { lo, hi } = profileIntervals(pc, fit);
  return { errLo: lo, errHi: hi, interval: 'profile likelihood, Delta lnL = 1/2 (Hessian errors beside it)' };
}
