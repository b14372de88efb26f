/**
 * Per-bin averages of any per-electron quantity (truth ε, a network's ε, a flip indicator), with the
 * electron's bin from its reconstructed (pT, |η|) — the same binning the binned fit uses, so the averages
 * are what a per-bin rate from the fit should be compared with. Electrons outside the binning are skipped
 * and counted.
 */
import type { Binning } from '../binning/Binning.js';
import { assignBins, requireColumn } from '../binning/assignBins.js';
import { DataError } from '../errors.js';
import type { EventTable } from '../events/columns.js';

export interface BinAverage {
  /** Σ w·value / Σ w per bin; NaN for a bin without electrons. */
  mean: Float64Array;
  /** Σ w per bin (the electron count for unit weights). */
  sumW: Float64Array;
  /** Σ w² per bin. */
  sumW2: Float64Array;
  /** Effective count (Σw)² / Σw² per bin. */
  nEff: Float64Array;
  electronsOutside: number;
}

export interface BinAverageOptions {
  /** Weight column of the table; unit weights when absent. */
  weightColumn?: string;
  /**
   * Average over these rows of the table only (increasing), e.g. a selection's, instead of a copy of them:
   * the sums run in the same order, so the result equals that of the selected table.
   */
  rows?: ArrayLike<number>;
  /** With `rows`: one weight per listed row (instead of `weightColumn`). */
  rowWeights?: ArrayLike<number>;
  source?: string;
}

/** Average values1 (electron 1) and values2 (electron 2) over the bins of the table's electrons. */
export function binAverage(
  values1: ArrayLike<number>,
  values2: ArrayLike<number>,
  table: EventTable,
  binning: Binning,
  opts: BinAverageOptions = {},
): BinAverage {
  const acc = new BinAverageAccumulator(binning, opts.source);
  acc.add(values1, values2, table, {
    ...(opts.weightColumn != null ? { weightColumn: opts.weightColumn } : {}),
    ...(opts.rows ? { rows: opts.rows } : {}),
    ...(opts.rowWeights ? { rowWeights: opts.rowWeights } : {}),
  });
  return acc.result();
}

export interface BinAverageAddOptions {
  weightColumn?: string;
  rows?: ArrayLike<number>;
  rowWeights?: ArrayLike<number>;
  bins?: { bin1: Int32Array; bin2: Int32Array };
}

/**
 * binAverage's sums added chunk by chunk (a file or a generated sample streamed through K cells); the sums run
 * in electron order across chunks, so the result is bit-identical to binAverage on the concatenated table.
 */
export class BinAverageAccumulator {
  private readonly sw: Float64Array;
  private readonly sw2: Float64Array;
  private readonly swv: Float64Array;
  private electronsOutside = 0;
  private rows = 0;

  constructor(
    private readonly binning: Binning,
    private readonly source = 'events',
  ) {
    const K = binning.size;
    this.sw = new Float64Array(K);
    this.sw2 = new Float64Array(K);
    this.swv = new Float64Array(K);
  }

  /**
   * Add a chunk's electrons: every row, or only `rows` (increasing) with `rowWeights` or the weight column;
   * `bins` reuses an assignment of the same chunk (assignBins) instead of binning again.
   */
  add(values1: ArrayLike<number>, values2: ArrayLike<number>, table: EventTable, opts: BinAverageAddOptions = {}): void {
    const { source, sw, sw2, swv } = this;
    if (values1.length !== table.n)
      throw new DataError(source, 'values1', `length ${values1.length} differs from the table's ${table.n} rows`);
    if (values2.length !== table.n)
      throw new DataError(source, 'values2', `length ${values2.length} differs from the table's ${table.n} rows`);
    const { bin1, bin2 } = opts.bins ?? assignBins(table, this.binning, source);
    const w = opts.weightColumn != null ? requireColumn(table, opts.weightColumn, source) : undefined;
    const { rows, rowWeights: rw } = opts;
    if (rw && (!rows || rw.length !== rows.length)) throw new DataError(source, 'rowWeights', 'one weight per listed row is needed');
    const row0 = this.rows + 1;
    const add = (b: number, v: number, we: number, e: number, which: string): void => {
      if (b < 0) return;
      if (!Number.isFinite(v)) throw new DataError(source, which, `non-finite value at row ${row0 + e}`, v);
      sw[b] += we;
      sw2[b] += we * we;
      swv[b] += we * v;
    };
    const count = rows ? rows.length : table.n;
    let outside = 0;
    for (let q = 0; q < count; q++) {
      const e = rows ? rows[q]! : q;
      const we = rw ? rw[q]! : w ? w[e]! : 1;
      if (bin1[e]! < 0) outside++;
      if (bin2[e]! < 0) outside++;
      add(bin1[e]!, values1[e]!, we, e, 'values1');
      add(bin2[e]!, values2[e]!, we, e, 'values2');
    }
    this.electronsOutside += outside;
    this.rows += table.n;
  }

  result(): BinAverage {
    const { sw, sw2, swv } = this;
    return {
      mean: Float64Array.from(swv, (s, k) => (sw[k] !== 0 ? s / sw[k]! : NaN)),
      sumW: Float64Array.from(sw),
      sumW2: Float64Array.from(sw2),
      nEff: Float64Array.from(sw, (s, k) => (sw2[k]! > 0 ? (s * s) / sw2[k]! : 0)),
      electronsOutside: this.electronsOutside,
    };
  }
}
