/**
 * The truth references for a binned estimate, per (|η|, pT) bin of reconstructed electrons:
 * - `rate`: the fraction of electrons whose charge was flipped (truth_flip), with a binomial error
 *   √(r(1 − r)/n_eff), n_eff = (Σw)²/Σw² (= the electron count for unit weights) — what the binned fit
 *   estimates, with the statistical scatter of this very sample;
 * - `meanTruthEps`: the average of the truth model's ε (truth_eps) over the bin's electrons — the exact
 *   expectation of that rate, free of flip-sampling noise.
 */
import type { Binning } from '../binning/Binning.js';
import { assignBins, requireColumn } from '../binning/assignBins.js';
import type { EventTable } from '../events/columns.js';
import { BinAverageAccumulator, type BinAverage, type BinAverageOptions } from './binAverage.js';

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
  const acc = new TruthRatesAccumulator(binning, opts);
  acc.add(table);
  return acc.result();
}

/**
 * truthMatchedRates added chunk by chunk (only K cells held, whatever the sample size); bit-identical to
 * truthMatchedRates on the concatenated chunks.
 */
export class TruthRatesAccumulator {
  private readonly flips: BinAverageAccumulator;
  private readonly eps: BinAverageAccumulator;
  private readonly source: string;

  constructor(
    private readonly binning: Binning,
    private readonly opts: BinAverageOptions = {},
  ) {
    this.source = opts.source ?? 'events';
    this.flips = new BinAverageAccumulator(binning, this.source);
    this.eps = new BinAverageAccumulator(binning, this.source);
  }

  add(table: EventTable): void {
    const source = this.source;
    const f1 = requireColumn(table, 'truth_flip1', source);
    const f2 = requireColumn(table, 'truth_flip2', source);
    const e1 = requireColumn(table, 'truth_eps1', source);
    const e2 = requireColumn(table, 'truth_eps2', source);
    const bins = assignBins(table, this.binning, source);
    const add = {
      bins,
      ...(this.opts.weightColumn != null ? { weightColumn: this.opts.weightColumn } : {}),
      ...(this.opts.rows ? { rows: this.opts.rows } : {}),
      ...(this.opts.rowWeights ? { rowWeights: this.opts.rowWeights } : {}),
    };
    this.flips.add(f1, f2, table, add);
    this.eps.add(e1, e2, table, add);
  }

  result(): TruthMatchedRates {
    return ratesFrom(this.flips.result(), this.eps.result(), this.binning);
  }
}

function ratesFrom(flips: BinAverage, eps: BinAverage, binning: Binning): TruthMatchedRates {
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
