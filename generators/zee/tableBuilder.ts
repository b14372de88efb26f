/**
 * A growable event table: standard columns with spare capacity, trimmed to exact length on `finish()`.
 * Rows are written column by column by the caller (typed arrays, no per-row objects).
 */
import { COLUMNS, allocate, type ColumnSpec, type EventTable, type TypedColumn } from '../../src/events/columns.js';

export class TableBuilder {
  n = 0;
  cols: Record<string, TypedColumn>;
  private capacity: number;

  constructor(
    capacity: number,
    private readonly columns: readonly ColumnSpec[] = COLUMNS,
  ) {
    this.capacity = Math.max(16, capacity);
    this.cols = {};
    for (const c of this.columns) this.cols[c.name] = allocate(c.type, this.capacity);
  }

  /** Make room for `extra` more rows; returns true if the columns were reallocated (re-read `cols`). */
  ensure(extra: number): boolean {
    if (this.n + extra <= this.capacity) return false;
    const cap = Math.max(2 * this.capacity, this.n + extra);
    for (const c of this.columns) {
      const next = allocate(c.type, cap);
      (next as Float64Array).set(this.cols[c.name]!.subarray(0, this.n) as Float64Array);
      this.cols[c.name] = next;
    }
    this.capacity = cap;
    return true;
  }

  /** Exact-length copies (own buffers, so they can be transferred between threads). */
  finish(): EventTable {
    const columns: Record<string, TypedColumn> = {};
    for (const c of this.columns) columns[c.name] = this.cols[c.name]!.slice(0, this.n);
    return { n: this.n, columns };
  }
}
