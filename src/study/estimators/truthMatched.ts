/**
 * Adapter: truth-matched rates — in each bin, the fraction of signal electrons in the window whose charge was
 * actually flipped (truth_flip), with the Wilson 68.27 % interval (asymmetric; a bin with zero flips has the
 * estimate 0 and the interval [0, hi], not a zero error) and, as `err`, the binomial error at the interval's
 * centre. The Wald error √(p̂(1−p̂)/n) at the observed rate shrinks with a downward fluctuation (pull width 1.12
 * measured) and vanishes at zero flips. It is the best any estimator can do on
 * this sample (it sees the flips themselves) and separates the sample's own fluctuation from method bias.
 * Weights are not used: a flip either happened or not, whatever the event's weight.
 */
import { assignBins } from '../../binning/assignBins.js';
import { DataError } from '../../errors.js';
import { wilson } from '../../stats/index.js';
import type { EventTable } from '../../events/columns.js';
import { BinMeansAccumulator } from '../metrics/binMeans.js';
import type { Estimator, EstimatorContext, EstimatorResult } from './Estimator.js';
import { REGION } from '../../selection/selection.js';

export const truthMatchedEstimator: Estimator = async (table, ctx) => {
  const acc = new TruthMatchedAccumulator(ctx);
  acc.add(table);
  return acc.result();
};

/** The rates chunk by chunk (a streamed toy): sums in row order, bit-identical to the estimator on all rows. */
export class TruthMatchedAccumulator {
  private readonly means: BinMeansAccumulator;

  constructor(private readonly ctx: EstimatorContext) {
    this.means = new BinMeansAccumulator(ctx.binning.size);
  }

  add(table: EventTable): void {
    const { ctx } = this;
    const f1 = table.columns.truth_flip1;
    const f2 = table.columns.truth_flip2;
    if (!f1 || !f2) throw new DataError(ctx.source, f1 ? 'truth_flip2' : 'truth_flip1', 'truth-matched rates need the truth flip columns');
    const region = table.columns.region!;
    const bg = table.columns.is_background;
    // Window signal electrons only: sideband rows (if the table has them) and fakes carry no truth flip rate.
    const skip = Uint8Array.from({ length: table.n }, (_, i) => (region[i] !== REGION.window || (bg != null && bg[i] === 1) ? 1 : 0));
    const bins = assignBins(table, ctx.binning, ctx.source);
    this.means.add(bins, f1, f2, skip);
  }

  result(): EstimatorResult {
    const { mean, count } = this.means.result();
    const K = this.ctx.binning.size;
    const errLo = new Float64Array(K).fill(NaN);
    const errHi = new Float64Array(K).fill(NaN);
    const err = new Float64Array(K).fill(NaN);
    for (let k = 0; k < K; k++) {
      const n = count[k]!;
      if (!(n > 0)) continue;
      const flips = Math.round(mean[k]! * n);
      const [lo, hi] = wilson(flips, n, 0.6827);
      errLo[k] = mean[k]! - lo;
      errHi[k] = hi - mean[k]!;
      err[k] = 0.5 * (hi - lo);
    }
    return { status: 'ok', bins: { eps: mean, err, errLo, errHi, interval: 'Wilson 68.27 %' } };
  }
}
