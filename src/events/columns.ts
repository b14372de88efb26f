/**
 * The event table: one row per selected di-electron event, stored as typed-array columns.
 *
 * Reco columns are what an analysis sees; `truth_*` columns exist only in simulation and are what closure
 * studies compare against. Electron 1 is the one with the higher reconstructed pT.
 */

export type ColumnType = 'f64' | 'i8' | 'u8' | 'u32';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly doc: string;
  /** Truth-only columns may be absent from real data. */
  readonly truth: boolean;
}

const perElectron = (k: 1 | 2): ColumnSpec[] => [
  { name: `pt${k}`, type: 'f64', truth: false, doc: `reconstructed transverse momentum of electron ${k} [GeV]` },
  { name: `eta${k}`, type: 'f64', truth: false, doc: `pseudorapidity of electron ${k}` },
  { name: `phi${k}`, type: 'f64', truth: false, doc: `azimuth of electron ${k} [rad], in (-pi, pi]` },
  { name: `q${k}`, type: 'i8', truth: false, doc: `reconstructed charge of electron ${k} (+1 or -1)` },
];

const perElectronTruth = (k: 1 | 2): ColumnSpec[] => [
  { name: `truth_pt${k}`, type: 'f64', truth: true, doc: `truth transverse momentum of electron ${k} [GeV]` },
  { name: `truth_eta${k}`, type: 'f64', truth: true, doc: `truth pseudorapidity of electron ${k}` },
  { name: `truth_phi${k}`, type: 'f64', truth: true, doc: `truth azimuth of electron ${k} [rad]` },
  { name: `truth_q${k}`, type: 'i8', truth: true, doc: `truth charge of electron ${k}` },
  { name: `truth_eps${k}`, type: 'f64', truth: true, doc: `truth flip probability of electron ${k}, from the truth model` },
  { name: `truth_flip${k}`, type: 'u8', truth: true, doc: `1 if the charge of electron ${k} was flipped in reconstruction` },
];

/** Every column, in file order. */
export const COLUMNS: readonly ColumnSpec[] = [
  ...perElectron(1),
  ...perElectron(2),
  { name: 'm_ee', type: 'f64', truth: false, doc: 'reconstructed di-electron invariant mass [GeV]' },
  { name: 'sc', type: 'u8', truth: false, doc: '1 if both reconstructed charges are equal (same charge), else 0' },
  { name: 'w', type: 'f64', truth: false, doc: 'event weight (1, or 1/n under fractional smearing)' },
  { name: 'region', type: 'u8', truth: false, doc: 'mass region: 0 = window, 1 = low sideband, 2 = high sideband' },
  ...perElectronTruth(1),
  ...perElectronTruth(2),
  { name: 'truth_m', type: 'f64', truth: true, doc: 'truth di-electron mass [GeV]' },
  { name: 'is_background', type: 'u8', truth: true, doc: '1 for a fake-electron background event' },
  { name: 'event', type: 'u32', truth: true, doc: 'index of the truth event (shared by fractional-smearing copies)' },
];

/**
 * Per-electron features and latent truth of the latent electron model (docs/electrons.md), present only when
 * the generator's `electron.model` is 'latent' (a default sample keeps exactly COLUMNS).
 */
const perElectronFeatures = (k: 1 | 2): ColumnSpec[] => [
  { name: `eop${k}`, type: 'f64', truth: false, doc: `E/p of electron ${k}: cluster energy over track momentum` },
  {
    name: `d0sig${k}`,
    type: 'f64',
    truth: false,
    doc: `signed transverse impact parameter significance d0/σ(d0) of electron ${k}'s track`,
  },
  { name: `dphiq${k}`, type: 'f64', truth: false, doc: `track–cluster Δφ of electron ${k} times its reconstructed charge [rad]` },
  { name: `ipix${k}`, type: 'u8', truth: false, doc: `1 if electron ${k}'s track has a hit on the innermost pixel layer` },
  { name: `curvsig${k}`, type: 'f64', truth: false, doc: `curvature significance |q/p|/σ(q/p) of electron ${k}'s track` },
  { name: `reta${k}`, type: 'f64', truth: false, doc: `shower shape Rη (E 3×7 / E 7×7 cells) of electron ${k}` },
];
const perElectronLatent = (k: 1 | 2): ColumnSpec[] => [
  { name: `truth_brem${k}`, type: 'f64', truth: true, doc: `latent brem depth y = −ln(momentum fraction kept by electron ${k})` },
  { name: `truth_wrongleg${k}`, type: 'u8', truth: true, doc: `1 if electron ${k}'s track is a conversion leg (trident)` },
  {
    name: `eps_reach${k}`,
    type: 'f64',
    truth: true,
    doc: `reachable target P(flip | features, truth pT, |η|) of electron ${k} (Bayes, latent model)`,
  },
];

export const ELECTRON_COLUMNS: readonly ColumnSpec[] = [
  ...perElectronFeatures(1),
  ...perElectronFeatures(2),
  ...perElectronLatent(1),
  ...perElectronLatent(2),
];

/** The per-electron feature names of the latent model (without the electron index), for the trainer's grammar. */
export const ELECTRON_FEATURES = ['eop', 'd0sig', 'dphiq', 'ipix', 'curvsig', 'reta'] as const;

export type ColumnName = (typeof COLUMNS)[number]['name'];

export type TypedColumn = Float64Array | Int8Array | Uint8Array | Uint32Array;

/** Columns by name; every column has length `n`. */
export interface EventTable {
  n: number;
  columns: Record<string, TypedColumn>;
}

export function allocate(type: ColumnType, n: number): TypedColumn {
  switch (type) {
    case 'f64':
      return new Float64Array(n);
    case 'i8':
      return new Int8Array(n);
    case 'u8':
      return new Uint8Array(n);
    case 'u32':
      return new Uint32Array(n);
  }
}

export function columnSpec(name: string): ColumnSpec | undefined {
  return COLUMNS.find((c) => c.name === name) ?? ELECTRON_COLUMNS.find((c) => c.name === name);
}

/** The columns a generator run writes: the standard ones, plus the electron features with the latent model. */
export function generatedColumns(latent: boolean): readonly ColumnSpec[] {
  return latent ? [...COLUMNS, ...ELECTRON_COLUMNS] : COLUMNS;
}

/** A new table with every standard column allocated to length n. */
export function emptyTable(n: number): EventTable {
  const columns: Record<string, TypedColumn> = {};
  for (const c of COLUMNS) columns[c.name] = allocate(c.type, n);
  return { n, columns };
}

/** Rows [start, end) of a table, as views (no copy). */
export function sliceTable(t: EventTable, start: number, end: number): EventTable {
  const columns: Record<string, TypedColumn> = {};
  for (const [k, v] of Object.entries(t.columns)) columns[k] = v.subarray(start, end);
  return { n: end - start, columns };
}

/** Concatenate tables with the same column set, in order. */
export function concatTables(parts: readonly EventTable[]): EventTable {
  const n = parts.reduce((s, p) => s + p.n, 0);
  if (parts.length === 0) return emptyTable(0);
  const columns: Record<string, TypedColumn> = {};
  for (const [name, first] of Object.entries(parts[0]!.columns)) {
    const Ctor = first.constructor as new (n: number) => TypedColumn;
    const out = new Ctor(n);
    let off = 0;
    for (const p of parts) {
      const col = p.columns[name];
      if (!col) throw new Error(`concatTables: part lacks column ${name}`);
      (out as Float64Array).set(col as Float64Array, off);
      off += p.n;
    }
    columns[name] = out;
  }
  return { n, columns };
}

/** Rows where mask[i] is true, copied. */
export function filterTable(t: EventTable, keep: (i: number) => boolean): EventTable {
  const idx: number[] = [];
  for (let i = 0; i < t.n; i++) if (keep(i)) idx.push(i);
  const columns: Record<string, TypedColumn> = {};
  for (const [k, v] of Object.entries(t.columns)) {
    const Ctor = v.constructor as new (n: number) => TypedColumn;
    const out = new Ctor(idx.length);
    for (let j = 0; j < idx.length; j++) out[j] = v[idx[j]!]!;
    columns[k] = out;
  }
  return { n: idx.length, columns };
}
