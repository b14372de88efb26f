/**
 * Input checks for the plot builders. Builders take plain data from the closure studies; a NaN or a
 * negative count there is a bug upstream, so it is reported with the builder, the field path and the value
 * instead of turning into a silently empty chart.
 */
import { DataError } from '../errors.js';

export function checkFinite(builder: string, path: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new DataError(builder, path, 'expected a finite number', value);
  return value;
}

export function checkNonNegative(builder: string, path: string, value: number): number {
  checkFinite(builder, path, value);
  if (value < 0) throw new DataError(builder, path, 'expected a number >= 0', value);
  return value;
}

export function checkPositive(builder: string, path: string, value: number): number {
  checkFinite(builder, path, value);
  if (value <= 0) throw new DataError(builder, path, 'expected a number > 0', value);
  return value;
}

export function checkNonEmpty<T>(builder: string, path: string, values: readonly T[] | undefined): readonly T[] {
  if (!Array.isArray(values) || values.length === 0) throw new DataError(builder, path, 'expected a non-empty array', values);
  return values;
}

/** Histogram edges: at least two, finite, strictly increasing; `counts` (if given) one per bin. */
export function checkEdges(builder: string, path: string, edges: readonly number[], nBins?: { path: string; length: number }): void {
  checkNonEmpty(builder, path, edges);
  if (edges.length < 2) throw new DataError(builder, path, 'expected at least two bin edges', edges);
  edges.forEach((e, i) => checkFinite(builder, `${path}[${i}]`, e));
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i]! > edges[i - 1]!)) throw new DataError(builder, `${path}[${i}]`, 'bin edges must increase strictly', edges[i]);
  }
  if (nBins && nBins.length !== edges.length - 1) {
    throw new DataError(builder, nBins.path, `expected ${edges.length - 1} values (one per bin)`, nBins.length);
  }
}
