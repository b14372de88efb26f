/**
 * Bin both electrons of every event. An electron outside the binning gets bin -1; an event with either
 * electron outside cannot be put in a pair category (i, j), so the binned fit drops it and reports the count.
 */
import { DataError } from '../errors.js';
import type { EventTable, TypedColumn } from '../events/columns.js';
import type { Binning } from './Binning.js';

export interface BinAssignment {
  /** Bin of electron 1 / 2 per event, -1 outside the binning. */
  bin1: Int32Array;
  bin2: Int32Array;
  /** Events with at least one electron outside the binning. */
  eventsOutside: number;
  /** Electrons outside the binning (0, 1 or 2 per event). */
  electronsOutside: number;
}

/** A required numeric column, checked for presence, length and finiteness (first bad row named). */
export function requireColumn(table: EventTable, name: string, source = 'events'): TypedColumn {
  const col = table.columns[name];
  if (!col) throw new DataError(source, name, 'missing column');
  if (col.length !== table.n) throw new DataError(source, name, `length ${col.length} differs from the table's ${table.n} rows`);
  for (let i = 0; i < col.length; i++) {
    if (!Number.isFinite(col[i]!)) throw new DataError(source, name, `non-finite value at row ${i + 1}`, col[i]);
  }
  return col;
}

export function assignBins(table: EventTable, binning: Binning, source = 'events'): BinAssignment {
  const pt1 = requireColumn(table, 'pt1', source);
  const eta1 = requireColumn(table, 'eta1', source);
  const pt2 = requireColumn(table, 'pt2', source);
  const eta2 = requireColumn(table, 'eta2', source);
  const n = table.n;
  const bin1 = new Int32Array(n);
  const bin2 = new Int32Array(n);
  let eventsOutside = 0;
  let electronsOutside = 0;
  for (let i = 0; i < n; i++) {
    const a = binning.index(pt1[i]!, Math.abs(eta1[i]!));
    const b = binning.index(pt2[i]!, Math.abs(eta2[i]!));
    bin1[i] = a;
    bin2[i] = b;
    const out = (a < 0 ? 1 : 0) + (b < 0 ? 1 : 0);
    electronsOutside += out;
    if (out > 0) eventsOutside++;
  }
  return { bin1, bin2, eventsOutside, electronsOutside };
}
