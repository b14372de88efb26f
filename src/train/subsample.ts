/**
 * Opposite-charge subsampling with importance weights. SC events are ~0.3 % of a Z→ee sample, so most of
 * each epoch is spent on OC pairs that carry little information about ε. Keeping each OC event with
 * probability r and weighting it by 1/r leaves every expectation of the weighted loss unchanged (the
 * estimator stays unbiased) and costs variance: bench/train.ts measures the spread of ε for r = 1, 0.1, 0.02.
 * Every SC event is kept with its weight unchanged.
 *
 * Whether a member keeps an OC event is a pure function of (member seed, row): the event's row number in the
 * selected sample is hashed with a key drawn from the member's seed (a counter-based uniform, no stream
 * position). So the decision does not depend on which other rows are in memory: `qmisid train --oc-keep r`
 * drops, while reading, every OC event that no member keeps (ocReadFilter), and training on what is left
 * gives the same bits as subsampling the whole table in memory. This file is the one place that decides.
 */
import type { EventTable, TypedColumn } from '../events/columns.js';
import { createRng, deriveSeed, type Seed } from '../rng.js';

/** Two 32-bit words drawn from a seed: the key of a member's keep decisions. */
export type RowKey = readonly [number, number];

/** The key of the OC keep decisions of the member with this seed (trainer.ts: the member seed). */
export function ocKeepKey(memberSeed: Seed): RowKey {
  const rng = createRng(deriveSeed(memberSeed, 'oc-keep'));
  return [rng.uint32(), rng.uint32()];
}

/** murmur3's 32-bit finaliser: a bijection of 32-bit words with full avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A uniform in [0, 1) with 53 random bits for row `row` (an integer 0 ≤ row < 2^53) under `key`: two
 * independent chains of the finaliser over (key, row's low and high words). For a fixed key and high word
 * each chain is a bijection of the low word, so distinct rows never share their first 27 bits by construction.
 */
export function rowUniform(key: RowKey, row: number): number {
  const lo = row >>> 0;
  const hi = Math.floor(row / 4294967296) >>> 0;
  const a = fmix32(key[0] ^ fmix32(lo ^ fmix32(hi ^ key[1])));
  const b = fmix32(key[1] ^ fmix32((lo + 0x9e3779b9) ^ fmix32(hi ^ key[0] ^ 0x7f4a7c15)));
  return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
}

/** Does the member with this key keep the OC event of this row? (SC events are always kept.) */
export function ocKept(key: RowKey, row: number, keep: number): boolean {
  return keep >= 1 || rowUniform(key, row) < keep;
}

/**
 * A member's events: every SC event with its weight and the OC events it keeps, weighted by 1/keep, in row
 * order. `row[i]` is event i's row number in the selected sample (absent: i itself, the whole sample in memory).
 * With keep ≥ 1 the returned `w` is `w` itself when that is a Float64Array of n values: read it, never write it.
 */
export function ocSubsample(
  n: number,
  sc: ArrayLike<number>,
  w: ArrayLike<number>,
  keep: number,
  key: RowKey,
  row?: ArrayLike<number>,
): { index: Uint32Array; w: Float64Array } {
  // Everything kept: the weights are the caller's own array when it is one (read only, never written).
  if (keep >= 1)
    return {
      index: Uint32Array.from({ length: n }, (_, i) => i),
      w: w instanceof Float64Array && w.length === n ? w : Float64Array.from({ length: n }, (_, i) => w[i]!),
    };
  const index = new Uint32Array(n);
  const out = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (sc[i]) {
      index[m] = i;
      out[m++] = w[i]!;
    } else if (rowUniform(key, row ? row[i]! : i) < keep) {
      index[m] = i;
      out[m++] = w[i]! / keep;
    }
  }
  return { index: index.slice(0, m), w: out.slice(0, m) };
}

/**
 * The read-time filter of an ensemble: an event is needed when it is SC or some member keeps it. Events it
 * rejects are used by no member in any role (training, validation, background model, diagnostics).
 */
export function ocReadFilter(keys: readonly RowKey[], keep: number): (row: number, sc: number) => boolean {
  if (keep >= 1) return () => true;
  return (row, sc) => {
    if (sc !== 0) return true; // SC, or a bad flag left for the training set's check to name
    for (const k of keys) if (rowUniform(k, row) < keep) return true;
    return false;
  };
}

/**
 * One chunk of the selected sample through the read-time filter: the events it needs and their row numbers.
 * `first` is the row number of the chunk's first event (the selected events of the chunks before it), so row
 * numbers are those the whole table in memory would have.
 */
export function ocSubsampleChunk(
  chunk: EventTable,
  first: number,
  need: (row: number, sc: number) => boolean,
): { table: EventTable; row: Float64Array } {
  const sc = chunk.columns.sc;
  if (!sc) return { table: chunk, row: Float64Array.from({ length: chunk.n }, (_, i) => first + i) };
  const idx = new Uint32Array(chunk.n);
  let m = 0;
  for (let i = 0; i < chunk.n; i++) if (need(first + i, sc[i]!)) idx[m++] = i;
  const columns: Record<string, TypedColumn> = {};
  for (const [name, col] of Object.entries(chunk.columns)) {
    const out = new (col.constructor as new (n: number) => TypedColumn)(m);
    for (let j = 0; j < m; j++) out[j] = col[idx[j]!]!;
    columns[name] = out;
  }
  return { table: { n: m, columns }, row: Float64Array.from(idx.subarray(0, m), (i) => first + i) };
}
