/**
 * From an EventTable to the arrays the trainer reads: normalised inputs of both electrons, labels, weights.
 * Labels: pair head y = 1 − sc (1 = opposite charge, since sigmoid(f) = P(OC), eq. 3); electron head (oracle)
 * y = truth_flip of each electron. A missing `w` column means unit weights; weights may be negative
 * (sideband subtraction) but must be finite.
 */
import { assignBins } from '../binning/assignBins.js';
import { Binning } from '../binning/Binning.js';
import { DataError } from '../errors.js';
import type { EventTable } from '../events/columns.js';
import { electronInputs, inputWidth, type FeatureSpec } from './features.js';
import type { Head } from './gradEngine.js';
import { fitNormalisation, normalise, type Normalisation } from './normalisation.js';
import { mapTyped } from '../util/mapTyped.js';

export interface TrainingSet {
  n: number;
  d: number;
  x1: Float32Array;
  x2: Float32Array;
  /** Pair head: y1 = 1 − sc per event. Electron head: truth flip of electron 1 and 2. */
  y1: Float32Array;
  y2: Float32Array;
  w: Float64Array;
  sc: Uint8Array;
  /**
   * Coarse (|η|, pT) bin of each electron (−1 outside; null when the table lacks pt/eta columns): the pair
   * categories of the background model and of the pairing identifiability diagnostic.
   */
  bins: { bin1: Int32Array; bin2: Int32Array; K: number } | null;
  /** Some event weight is negative (sideband subtraction). */
  hasNegative: boolean;
  /**
   * Row number of each event in the selected sample, when the set holds only the events an OC-subsampled
   * ensemble uses (subsample.ts); absent: event i is row i. The members' keep decisions hash these numbers.
   */
  row?: Float64Array;
  /** Folded loss (foldOffsets.ts): per event the log acceptance/migration factors ρ1, ρ2; absent = plain loss. */
  fold?: { rho1: Float32Array; rho2: Float32Array };
}

/**
 * The columns training reads from an event file: each feature's column for both electrons, `sc` (pair head)
 * or the truth flips (electron head), and `w` and the kinematics (pt, eta of both) when the file has them. Reading only these keeps a training
 * set of 10^6 events at tens of MB (src/io/eventChunks.ts).
 */
export function trainingColumns(specs: readonly FeatureSpec[], head: Head): { columns: string[]; optional: string[] } {
  const cols = new Set<string>();
  for (const f of specs) for (const k of [1, 2]) cols.add(`${f.column}${k}`);
  cols.add('sc');
  if (head === 'electron') for (const c of ['truth_flip1', 'truth_flip2']) cols.add(c);
  // The kinematics when present: they place each electron in the binning's categories (background model,
  // pairing diagnostic) whatever the features are.
  return { columns: [...cols], optional: ['w', 'pt1', 'eta1', 'pt2', 'eta2'] };
}

function column(table: EventTable, name: string, source: string): ArrayLike<number> {
  const c = table.columns[name];
  if (!c) throw new DataError(source, name, 'missing');
  return c;
}

function binary(table: EventTable, name: string, source: string): Uint8Array {
  const c = column(table, name, source);
  const out = new Uint8Array(table.n);
  for (let i = 0; i < table.n; i++) {
    const v = c[i]!;
    if (v !== 0 && v !== 1) throw new DataError(source, name, `row ${i + 1}: expected 0 or 1`, v);
    out[i] = v;
  }
  return out;
}

/** Rows of raw inputs computed at a time while the training set is built (0.5 MB of float64 for 4 inputs). */
const INPUT_BLOCK_ROWS = 16384;

export function prepareTrainingSet(
  table: EventTable,
  specs: readonly FeatureSpec[],
  head: Head,
  opts: { normalisation?: Normalisation; source?: string; binning?: Binning } = {},
): { set: TrainingSet; normalisation: Normalisation } {
  const source = opts.source ?? '<table>';
  if (table.n === 0) throw new DataError(source, undefined, 'no events to train on', 0);
  const d = inputWidth(specs);
  // The raw inputs in blocks of rows, electron 1's then electron 2's (the order the normalisation's running
  // sums take), built again for normalising: a float64 copy of every electron's inputs never exists.
  const blocks = function* (k: 1 | 2): Generator<Float64Array> {
    for (let from = 0; from < table.n; from += INPUT_BLOCK_ROWS)
      yield electronInputs(table, specs, k, source, { from, to: Math.min(table.n, from + INPUT_BLOCK_ROWS) });
  };
  const normalisation =
    opts.normalisation ??
    fitNormalisation(
      (function* () {
        yield* blocks(1);
        yield* blocks(2);
      })(),
      d,
    );
  const inputs = (k: 1 | 2): Float32Array => {
    const x = new Float32Array(table.n * d);
    let at = 0;
    for (const raw of blocks(k)) {
      x.set(normalise(raw, normalisation), at);
      at += raw.length;
    }
    return x;
  };
  const x1 = inputs(1);
  const x2 = inputs(2);
  const sc = binary(table, 'sc', source);
  const w = new Float64Array(table.n);
  const wc = table.columns.w;
  let hasNegative = false;
  for (let i = 0; i < table.n; i++) {
    const v = wc ? wc[i]! : 1;
    if (!Number.isFinite(v)) throw new DataError(source, 'w', `row ${i + 1} is not finite`, v);
    w[i] = v;
    if (v < 0) hasNegative = true;
  }
  const binning = opts.binning ?? Binning.defaults();
  const hasKinematics = ['pt1', 'eta1', 'pt2', 'eta2'].every((c) => c in table.columns);
  const bins = hasKinematics ? { ...assignBins(table, binning, source), K: binning.size } : null;
  // Degenerate inputs that would otherwise "train" to a meaningless answer without a word.
  if (w.every((v) => v === 0)) throw new DataError(source, 'w', `every one of the ${table.n} weights is zero: nothing to train on`, 0);
  if (head === 'pair' && !sc.some((s, i) => s === 1 && w[i] !== 0)) {
    throw new DataError(
      source,
      'sc',
      `no same-charge event (sc = 1) among ${table.n} events: the flip rate cannot be learned from opposite-charge pairs alone`,
      0,
    );
  }
  let y1: Float32Array;
  let y2: Float32Array;
  if (head === 'pair') {
    y1 = mapTyped(Float32Array, sc, (s) => 1 - s);
    y2 = y1;
  } else {
    y1 = Float32Array.from(binary(table, 'truth_flip1', source));
    y2 = Float32Array.from(binary(table, 'truth_flip2', source));
  }
  return {
    set: {
      n: table.n,
      d,
      x1,
      x2,
      y1,
      y2,
      w,
      sc,
      bins: bins ? { bin1: bins.bin1, bin2: bins.bin2, K: bins.K } : null,
      hasNegative,
    },
    normalisation,
  };
}
