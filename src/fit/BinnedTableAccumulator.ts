/**
 * The binned fit's input, and the truth-matched rates of the same events, gathered chunk by chunk: each chunk
 * of events is binned, selected (selectRows: the one definition of "the fitted events") and added to K² pair
 * sums (PairCountAccumulator) and K per-bin truth sums (TruthRatesAccumulator); the chunk is then dropped. So
 * `qmisid fit` on 10^8 events holds one chunk and a few K² arrays, not the columns of 10^8 events.
 *
 * Every sum runs in event order across chunks, so the pair counts, the fit on them and the truth rates are
 * bit-identical to fitBinnedTable / truthMatchedRates on the concatenated table (fitBinnedTable is this
 * accumulator fed one chunk). Rows in errors count from the first event of the first chunk.
 */
import type { Binning } from '../binning/Binning.js';
import { assignBins, requireColumn } from '../binning/assignBins.js';
import { DataError } from '../errors.js';
import type { EventTable } from '../events/columns.js';
import { FIT_WEIGHT, selectedTable, selectRows, type FitRegion, type Selection } from '../selection/selection.js';
import { TruthRatesAccumulator, type TruthMatchedRates } from '../truth/truthMatchedRates.js';
import { PairCountAccumulator, type PairCounts } from './pairCounts.js';

export interface BinnedTableAccumulatorOptions {
  /** Which events enter (default 'window'): the mass window, all events, or window minus scaled sidebands. */
  region?: FitRegion;
  /** The selection of the events (sets the sideband weight; required for 'sideband-subtracted'). */
  selection?: Selection;
  /** Regions from m_ee and pT under `selection`, not the `region` column (a selection other than the file's). */
  regionsFromKinematics?: boolean;
  /** Weight column; unit weights when absent. */
  weightColumn?: string;
  /** Also accumulate the truth-matched rates of the fitted events with the fit's weights (needs truth columns). */
  truth?: boolean;
  source?: string;
}

/** What the accumulated chunks give the fit: the pair counts and the events and electrons left outside the binning. */
export interface AccumulatedPairs {
  pairs: PairCounts;
  /** Rows added (all chunks, before the region cut). */
  events: number;
  eventsOutside: number;
  electronsOutside: number;
}

export class BinnedTableAccumulator {
  private readonly pairs: PairCountAccumulator;
  private readonly truthAcc: TruthRatesAccumulator | undefined;
  private readonly source: string;
  private readonly region: FitRegion;
  private rows = 0;
  private eventsOutside = 0;
  private electronsOutside = 0;
  private nonZeroWeights = 0;
  private readonly weighted: boolean;
  private selectedRows = 0;

  constructor(
    private readonly binning: Binning,
    private readonly opts: BinnedTableAccumulatorOptions = {},
  ) {
    this.source = opts.source ?? 'events';
    this.region = opts.region ?? 'window';
    this.pairs = new PairCountAccumulator(binning.size, this.source);
    // selectRows weights the rows exactly when there is a weight column or sidebands are subtracted.
    this.weighted = opts.weightColumn != null || this.region === 'sideband-subtracted';
    if (opts.truth)
      this.truthAcc = new TruthRatesAccumulator(binning, { source: this.source, ...(this.weighted ? { weightColumn: FIT_WEIGHT } : {}) });
  }

  add(table: EventTable): void {
    const { source, opts } = this;
    const { bin1, bin2, eventsOutside, electronsOutside } = assignBins(table, this.binning, source);
    const sc = requireColumn(table, 'sc', source);
    const base = opts.weightColumn != null ? (requireColumn(table, opts.weightColumn, source) as Float64Array) : undefined;
    const sel = selectRows(table, this.region, {
      ...(opts.selection ? { selection: opts.selection } : {}),
      ...(opts.regionsFromKinematics ? { fromKinematics: true } : {}),
      ...(base ? { base } : {}),
      source,
    });
    let m = 0;
    for (const e of sel.rows) if (bin1[e]! >= 0 && bin2[e]! >= 0) m++;
    const b1 = new Int32Array(m);
    const b2 = new Int32Array(m);
    const s = new Uint8Array(m);
    const w = sel.w ? new Float64Array(m) : undefined;
    let j = 0;
    for (let q = 0; q < sel.rows.length; q++) {
      const e = sel.rows[q]!;
      if (!(bin1[e]! >= 0 && bin2[e]! >= 0)) continue;
      const c = sc[e]!;
      if (c !== 0 && c !== 1) throw new DataError(source, 'sc', `expected 0 or 1 at row ${this.rows + e + 1}`, c);
      b1[j] = bin1[e]!;
      b2[j] = bin2[e]!;
      s[j] = c;
      if (w) {
        w[j] = sel.w![q]!;
        if (w[j] !== 0) this.nonZeroWeights++;
      }
      j++;
    }
    if (m > 0) this.pairs.add({ bin1: b1, bin2: b2, sc: s, w });
    this.truthAcc?.add(selectedTable(table, sel));
    this.rows += table.n;
    this.eventsOutside += eventsOutside;
    this.electronsOutside += electronsOutside;
    this.selectedRows += sel.rows.length;
  }

  /** The pair counts of every chunk added; no event, no event inside the binning and region, or all-zero weights are errors. */
  result(): AccumulatedPairs {
    const { source } = this;
    if (this.rows === 0) throw new DataError(source, undefined, 'no events to fit', 0);
    const kept = this.pairs.events;
    if (kept === 0)
      throw new DataError(source, undefined, `no events inside the binning and region ${this.region}`, {
        events: this.rows,
        outside: this.eventsOutside,
      });
    // All-zero weights would "converge" with every bin empty: say so instead.
    if (this.weighted && this.nonZeroWeights === 0)
      throw new DataError(source, this.opts.weightColumn ?? 'w', `every weight of the ${kept} fitted events is zero: nothing to fit`, 0);
    return { pairs: this.pairs.result(), events: this.rows, eventsOutside: this.eventsOutside, electronsOutside: this.electronsOutside };
  }

  /** The truth-matched rates of the fitted events (with `truth`), and how many events were fitted (in the region). */
  truth(): { rates: TruthMatchedRates; events: number; weighted: boolean } {
    if (!this.truthAcc) throw new Error('BinnedTableAccumulator: truth was not requested');
    return { rates: this.truthAcc.result(), events: this.selectedRows, weighted: this.weighted };
  }
}
