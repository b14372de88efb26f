/**
 * An estimator's per-electron rates: its own, or its per-bin rates looked up for each electron's bin (NaN
 * outside the binning). Undefined when it returned neither. Shared by the study runner and `qmisid check`.
 */
import type { BinAssignment } from '../../binning/assignBins.js';
import type { EstimatorResult } from './Estimator.js';

export function electronRates(res: EstimatorResult, bins: BinAssignment): { eps1: ArrayLike<number>; eps2: ArrayLike<number> } | undefined {
  if (res.electrons) return { eps1: res.electrons.eps1, eps2: res.electrons.eps2 };
  if (!res.bins) return undefined;
  const e = res.bins.eps;
  return {
    eps1: Float64Array.from(bins.bin1, (b) => (b >= 0 ? e[b]! : NaN)),
    eps2: Float64Array.from(bins.bin2, (b) => (b >= 0 ? e[b]! : NaN)),
  };
}
