/**
 * Profile-likelihood intervals (profileIntervals.ts) for a fit made by fitBinnedTable on all rows of a table
 * with its `w` column: the pair counts are rebuilt the same way. Returns undefined when a weight is negative
 * (sideband subtraction: the weighted "likelihood" is not one, its ΔlnL = ½ means nothing).
 */
import type { Binning } from '../binning/Binning.js';
import { assignBins } from '../binning/assignBins.js';
import type { EventTable } from '../events/columns.js';
import type { BinnedFitResult } from './fitBinned.js';
import { pairCounts } from './pairCounts.js';
import { profileIntervals } from './profileIntervals.js';
import { mapTyped } from '../util/mapTyped.js';

export function tableProfileIntervals(
  table: EventTable,
  binning: Binning,
  fit: BinnedFitResult,
  source: string,
): { errLo: Float64Array; errHi: Float64Array; interval: string } | undefined {
  const w = table.columns.w;
  const { bin1, bin2 } = assignBins(table, binning, source);
  const keep: number[] = [];
  for (let e = 0; e < table.n; e++) {
    if (w && !(w[e]! >= 0)) return undefined;
    if (bin1[e]! >= 0 && bin2[e]! >= 0) keep.push(e);
  }
  const sc = table.columns.sc!;
  const pc = pairCounts(
    {
      bin1: mapTyped(Int32Array, keep, (e) => bin1[e]!),
      bin2: mapTyped(Int32Array, keep, (e) => bin2[e]!),
      sc: mapTyped(Uint8Array, keep, (e) => sc[e]!),
      w: w ? mapTyped(Float64Array, keep, (e) => w[e]!) : undefined,
    },
    binning.size,
    source,
  );
  const { lo, hi } = profileIntervals(pc, fit);
  return { errLo: lo, errHi: hi, interval: 'profile likelihood, Delta lnL = 1/2 (Hessian errors beside it)' };
}
