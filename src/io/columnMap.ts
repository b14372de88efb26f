/**
 * Column mapping: read a user's event file under the bench's column names without renaming anything on disk.
 *
 * A mapping names, for each file column that differs, the bench column it stands for (file → bench, the same
 * direction in the JSON file and on the command line):
 *
 *   { "columns": { "el1_pt": "pt1", "el1_eta": "eta1", "el1_charge": "q1", ..., "mll": "m_ee" },
 *     "selection": { "window": [80, 100], "lowSideband": [60, 80], "highSideband": [100, 120] } }
 *   --map el1_pt=pt1,el1_eta=eta1,...   --window 80,100   --sidebands 60,80,100,120
 *
 * Then, after renaming (src/io/eventsFile.ts calls `mapColumns` at one place, before any column is converted):
 *   sc      absent → 1 where q1 == q2 (same reconstructed charge), else 0; present with q1, q2 → checked
 *           against the charges, a mismatch is a DataError naming the first rows (an all-zero `sc` would
 *           otherwise "converge" with every rate at 0);
 *   region  absent → from m_ee with the selection's half-open ranges (window [lo, hi) → 0, low sideband → 1,
 *           high sideband → 2); events in none of them are dropped and counted in the report.
 * A column the caller requires and the file lacks is reported with the mapping that would most likely supply
 * it (`suggestMapping`).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, DataError, UsageError } from '../errors.js';
import { zodConfigError } from '../config/zodConfigError.js';
import { regionOf } from '../selection/selection.js';

const ident = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.:-]*$/, 'a column name');
const benchName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a bench column name of letters, digits or _ (e.g. pt1, q2, m_ee)');
const range = z.tuple([z.number(), z.number()]).refine(([a, b]) => a < b, 'an increasing [lo, hi] pair');

export const MassSelectionSchema = z.strictObject({
  window: range.default([80, 100]),
  lowSideband: range.default([60, 80]),
  highSideband: range.default([100, 120]),
});
export type MassSelection = z.output<typeof MassSelectionSchema>;

export const ColumnMapSchema = z.strictObject({
  $schema: z.string().optional(),
  /** File column → bench column. */
  columns: z.record(ident, benchName).default({}),
  /** Mass regions used when the file has no `region` column (defaults: the generator's selection). */
  selection: MassSelectionSchema.optional(),
});
export type ColumnMap = z.output<typeof ColumnMapSchema>;

/** What a read did to the file's columns; written into every output that read events through a map. */
export interface MappingReport {
  columns: Record<string, string>;
  derived: string[];
  selection?: MassSelection;
  /** Events outside window and sidebands, dropped because their region was derived from m_ee. */
  droppedOutsideSelection?: number;
}

/** The raw column view the event reader builds for every format. */
export interface RawColumns {
  names: string[];
  get: (name: string) => ArrayLike<number | bigint | boolean | null>;
  n: number;
}

export const IDENTITY_MAP: ColumnMap = { columns: {} };

export function parseColumnMap(raw: unknown, source: string): ColumnMap {
  const parsed = ColumnMapSchema.safeParse(raw);
  if (!parsed.success) throw zodConfigError(parsed.error, raw, source);
  const map = parsed.data;
  const seen = new Map<string, string>();
  for (const [from, to] of Object.entries(map.columns)) {
    const prev = seen.get(to);
    if (prev != null) throw new ConfigError(`columns.${from}`, to, `a bench column not already mapped (from ${prev})`, source);
    seen.set(to, from);
  }
  const s = map.selection;
  if (s && (s.lowSideband[1] > s.window[0] || s.highSideband[0] < s.window[1])) {
    throw new ConfigError(
      'selection',
      s,
      'sidebands outside the window: lowSideband ends at or below window start, highSideband starts at or above window end',
      source,
    );
  }
  return map;
}

/** `el1_pt=pt1,el1_eta=eta1` → { el1_pt: 'pt1', el1_eta: 'eta1' }. */
export function parseMapFlag(value: string, flag = '--map'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const m = /^([^=\s]+)=([^=\s]+)$/.exec(part);
    if (!m) throw new UsageError(flag, part, 'file_column=bench_column pairs, comma-separated, e.g. el1_pt=pt1,mll=m_ee');
    out[m[1]!] = m[2]!;
  }
  return out;
}

function pairOf(flag: string, value: string, count: 2 | 4): number[] {
  const xs = value.split(',').map((s) => Number(s.trim()));
  if (xs.length !== count || xs.some((x) => !Number.isFinite(x)))
    throw new UsageError(flag, value, `${count} comma-separated numbers in GeV`);
  return xs;
}

/**
 * One mapping from the command line: the JSON file (`--map-file`), then `--map` pairs over it, then
 * `--window` / `--sidebands` over its selection. Undefined when nothing was given (the file is read as is).
 */
export function resolveColumnMap(flags: { mapFile?: string; map?: string; window?: string; sidebands?: string }): ColumnMap | undefined {
  if (flags.mapFile == null && flags.map == null && flags.window == null && flags.sidebands == null) return undefined;
  let raw: Record<string, unknown> = {};
  const source = flags.mapFile ?? '--map';
  if (flags.mapFile != null) {
    try {
      raw = JSON.parse(readFileSync(flags.mapFile, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError('--map-file', flags.mapFile, `a readable JSON mapping file (${(err as Error).message})`);
    }
    if (raw == null || typeof raw !== 'object' || Array.isArray(raw))
      throw new ConfigError('', raw, 'a JSON object { "columns": {...}, "selection": {...} }', source);
  }
  const columns = { ...((raw.columns as Record<string, string> | undefined) ?? {}), ...(flags.map != null ? parseMapFlag(flags.map) : {}) };
  const sel = { ...((raw.selection as Record<string, unknown> | undefined) ?? {}) };
  if (flags.window != null) sel.window = pairOf('--window', flags.window, 2);
  if (flags.sidebands != null) {
    const s = pairOf('--sidebands', flags.sidebands, 4);
    sel.lowSideband = [s[0], s[1]];
    sel.highSideband = [s[2], s[3]];
  }
  const hasSel = raw.selection != null || flags.window != null || flags.sidebands != null;
  return parseColumnMap({ ...raw, columns, ...(hasSel ? { selection: sel } : {}) }, source);
}

/** Region code of a mass under the selection module's half-open ranges (src/selection/); −1 outside all three. */
export function massRegion(m: number, s: MassSelection): number {
  return regionOf(m, s);
}

const num = (v: number | bigint | boolean | null | undefined): number =>
  typeof v === 'bigint' || typeof v === 'boolean' ? Number(v) : v == null ? NaN : v;

/** Options of mapColumns; the last three let the chunked reader (src/io/eventChunks.ts) map a file chunk by chunk. */
export interface MapColumnsOptions {
  deriveRegion?: boolean;
  checkSc?: boolean;
  /**
   * The bench columns the caller will read: sc is derived or checked only when it is among them, so a reader
   * that projects columns need not read the charges for an sc nobody uses. Default: every column.
   */
  wanted?: readonly string[];
  /** Data rows before this chunk (row numbers in messages count from the file's first data row). */
  rowOffset?: number;
  /**
   * Receive the rows (0-based, file-wide) where sc disagrees with the charges instead of throwing, so a
   * chunked reader can name the count over the whole file (scMismatchError) once it has read every chunk.
   */
  onScMismatch?: (rows: number[], firstValue: number) => void;
}

/** The DataError for an sc column that disagrees with the charges in `count` of `total` rows (`bad`: the first ones, 0-based). */
export function scMismatchError(
  path: string,
  names: { sc: string; q1: string; q2: string },
  bad: readonly number[],
  count: number,
  total: number,
  firstValue: number,
): DataError {
  return new DataError(
    path,
    names.sc,
    `disagrees with the charges ${names.q1}, ${names.q2} in ${count} of ${total} rows (first at row ${bad[0]! + 1}; data rows counted from 1: ${bad
      .slice(0, 5)
      .map((i) => i + 1)
      .join(', ')}${bad.length > 5 ? ', …' : ''}); sc must be 1 exactly when q1 == q2 — drop the sc column to derive it`,
    firstValue,
  );
}

/**
 * Apply a mapping to the raw columns of `path`. Renames first; then derives `sc` from q1, q2 or, with a map
 * or `checkSc` (a caller that needs sc), checks it against them; derives `region` from m_ee (when
 * `deriveRegion`). With no map only the checks and derivations run.
 */
export function mapColumns(
  raw: RawColumns,
  map: ColumnMap | undefined,
  path: string,
  opts: MapColumnsOptions = {},
): { raw: RawColumns; report?: MappingReport } {
  const m = map ?? IDENTITY_MAP;
  const rename = new Map<string, string>();
  for (const [from, to] of Object.entries(m.columns)) {
    if (!raw.names.includes(from))
      throw new DataError(
        path,
        from,
        `the mapping names this column (→ ${to}) but the file has no such column (columns present: ${raw.names.join(' ')})`,
      );
    rename.set(to, from);
  }
  // Columns the file has under a bench name that a mapped column replaces are shadowed (not read).
  const mappedFrom = new Set(rename.values());
  const names: string[] = [];
  for (const n of raw.names) {
    if (mappedFrom.has(n)) continue;
    if (rename.has(n)) continue;
    names.push(n);
  }
  for (const to of rename.keys()) names.push(to);
  const fileName = (name: string): string => rename.get(name) ?? name;
  const derived = new Map<string, ArrayLike<number>>();
  const derivedNames: string[] = [];
  const has = (n: string): boolean => names.includes(n);
  const getNum = (name: string): ArrayLike<number | bigint | boolean | null> => raw.get(fileName(name));

  const scWanted = opts.wanted == null || opts.wanted.includes('sc');
  const scChecked = has('sc') && (map != null || opts.checkSc === true);
  if (has('q1') && has('q2')) {
    // The charges are read only when sc is derived or checked (a projecting reader may not have them).
    const q1 = scWanted && (!has('sc') || scChecked) ? getNum('q1') : [];
    const q2 = scWanted && (!has('sc') || scChecked) ? getNum('q2') : [];
    const sameCharge = (i: number): number => (num(q1[i]) === num(q2[i]) ? 1 : 0);
    if (!has('sc')) {
      const sc = new Uint8Array(scWanted ? raw.n : 0);
      for (let i = 0; i < sc.length; i++) sc[i] = sameCharge(i);
      derived.set('sc', sc);
      derivedNames.push('sc');
      names.push('sc');
    } else if (scWanted && scChecked) {
      const sc = getNum('sc');
      const off = opts.rowOffset ?? 0;
      const bad: number[] = [];
      for (let i = 0; i < raw.n; i++) if (num(sc[i]) !== sameCharge(i)) bad.push(off + i);
      if (bad.length > 0) {
        const first = num(sc[bad[0]! - off]);
        if (opts.onScMismatch) opts.onScMismatch(bad, first);
        else throw scMismatchError(path, { sc: fileName('sc'), q1: fileName('q1'), q2: fileName('q2') }, bad, bad.length, raw.n, first);
      }
    }
  }

  let keep: Uint32Array | undefined;
  let dropped: number | undefined;
  const selection = m.selection ?? (opts.deriveRegion ? MassSelectionSchema.parse({}) : undefined);
  if (opts.deriveRegion && !has('region') && has('m_ee')) {
    const mee = getNum('m_ee');
    const region = new Uint8Array(raw.n);
    const idx: number[] = [];
    for (let i = 0; i < raw.n; i++) {
      const r = massRegion(num(mee[i]), selection!);
      if (r >= 0) {
        region[i] = r;
        idx.push(i);
      }
    }
    derived.set('region', region);
    derivedNames.push('region');
    names.push('region');
    if (idx.length < raw.n) {
      keep = Uint32Array.from(idx);
      dropped = raw.n - idx.length;
    }
  }

  const n = keep ? keep.length : raw.n;
  const select = (col: ArrayLike<number | bigint | boolean | null>): ArrayLike<number | bigint | boolean | null> => {
    if (!keep) return col;
    const out = new Array<number | bigint | boolean | null>(keep.length);
    for (let j = 0; j < keep.length; j++) out[j] = col[keep[j]!]!;
    return out;
  };
  const out: RawColumns = {
    names,
    n,
    get: (name) => select(derived.get(name) ?? raw.get(fileName(name))),
  };
  if (map == null && derivedNames.length === 0) return { raw: out };
  return {
    raw: out,
    report: {
      columns: { ...m.columns },
      derived: derivedNames,
      ...(derivedNames.includes('region') ? { selection: selection! } : {}),
      ...(dropped != null ? { droppedOutsideSelection: dropped } : {}),
    },
  };
}

/** How a bench column is usually spelled in ntuples: name stem and the electron index, if any. */
const STEMS: Record<string, string[]> = {
  pt: ['pt', 'et', 'pt_gev'],
  eta: ['eta', 'cl_eta', 'etacl'],
  phi: ['phi'],
  q: ['charge', 'q', 'chg'],
  m_ee: ['mll', 'mee', 'm_ee', 'mass', 'm', 'minv', 'm_ll'],
  w: ['weight', 'w', 'evtweight', 'mcweight', 'eventweight'],
  sc: ['sc', 'samecharge', 'ss', 'same_sign'],
  region: ['region'],
  truth_flip: ['truth_flip', 'isflip', 'flip', 'chargeflip', 'qflip', 'truthflip', 'misid'],
  truth_eps: ['truth_eps'],
  truth_q: ['truth_q', 'truthcharge', 'truth_charge', 'truthq'],
};

function splitBench(name: string): { stem: string; index?: string } {
  const m = /^(.*?)([12])$/.exec(name);
  return m ? { stem: m[1]!, index: m[2]! } : { stem: name };
}

/** Lower-case alphanumeric tokens of a file column, with the electron index pulled out (el1_pt → ['el','pt'], 1). */
function tokens(col: string): { words: string[]; index?: string } {
  const lower = col.toLowerCase();
  const idx = /(?:^|[^0-9])([12])(?:[^0-9]|$)/.exec(lower)?.[1] ?? /(?:lep|el|ele|e|l|mu)([12])/.exec(lower)?.[1];
  const words = lower.split(/[^a-z]+/).filter((w) => w !== '');
  return { words, ...(idx ? { index: idx } : {}) };
}

/** The file column most likely holding bench column `missing`, as a `--map` pair; undefined when no guess. */
export function suggestMapping(missing: string, present: readonly string[]): string | undefined {
  const { stem, index } = splitBench(missing);
  const spellings = STEMS[stem] ?? [stem];
  let best: { col: string; score: number } | undefined;
  for (const col of present) {
    const t = tokens(col);
    if (index != null && t.index !== index) continue;
    if (index == null && t.index != null && stem !== 'm_ee') continue;
    const joined = t.words.join('_');
    let score = 0;
    for (const s of spellings) {
      if (joined === s) score = Math.max(score, 3);
      else if (t.words.includes(s)) score = Math.max(score, 2);
      else if (s.length > 2 && joined.includes(s)) score = Math.max(score, 1);
    }
    if (score > 0 && (!best || score > best.score)) best = { col, score };
  }
  return best ? `${best.col}=${missing}` : undefined;
}

/** The message for a required column the (mapped) file lacks. */
export function missingColumnDetail(missing: string, present: readonly string[]): string {
  const hint = suggestMapping(missing, present);
  const derive =
    missing === 'sc'
      ? '; or map the charges to q1, q2 and sc is derived'
      : missing === 'region'
        ? '; or map the di-electron mass to m_ee and region is derived from it'
        : '';
  return `required column is missing (columns present: ${present.join(' ')})${hint ? `; map it, e.g. --map ${hint}` : ''}${derive}`;
}
