/**
 * The event selection, in one place: detector acceptance (|η| < maxAbsEta outside the crack), the pT
 * thresholds, the mass window and sidebands, the region codes written to the `region` column, and the
 * sideband-subtraction weight derived from them (method: background under the peak interpolated linearly from
 * the sidebands, so a sideband event weighs −(window width)/(total sideband width); −0.5 for 80–100 with
 * 60–80 + 100–120, −0.3 for an 85–97 window with the same sidebands).
 *
 * The generator config embeds `selectionSchema`; fits, studies and the CLI resolve a selection with
 * `resolveSelection` (partial in → resolved out) and take every default from here. `selectionFromFile`
 * reads an event file's own selection from its metadata (the generator config written with it).
 */
import { z } from 'zod';
import { ConfigError, DataError, UsageError } from '../errors.js';
import { zodConfigError } from '../config/zodConfigError.js';
import type { EventTable, TypedColumn } from '../events/columns.js';

/** The `region` column's codes; `outside` is never written (such events are not selected). */
export const REGION = { window: 0, lowSideband: 1, highSideband: 2, outside: -1 } as const;
export type RegionCode = (typeof REGION)[keyof typeof REGION];

/** Acceptance defaults (ATLAS-like electron acceptance): |η| < 2.47, crack 1.37–1.52 excluded. */
export const ACCEPTANCE_DEFAULTS = { maxAbsEta: 2.47, crack: [1.37, 1.52] as [number, number] } as const;

/** Selection defaults: pT > 25/25 GeV, window 80–100 GeV, sidebands 60–80 and 100–120 GeV. */
export const SELECTION_DEFAULTS: Readonly<Selection> = Object.freeze({
  ptMin: [25, 25] as const,
  window: [80, 100] as const,
  lowSideband: [60, 80] as const,
  highSideband: [100, 120] as const,
});

const num = z.number().finite();
const range = z.tuple([num, num]);

/** Input schema of a selection (unknown keys rejected, every key defaulted). Mass ranges are [lo, hi) in GeV. */
export const selectionSchema = z.strictObject({
  /** reco pT thresholds [GeV] for the leading and subleading electron */
  ptMin: z.tuple([num.nonnegative(), num.nonnegative()]).default([...SELECTION_DEFAULTS.ptMin] as [number, number]),
  window: range.default([...SELECTION_DEFAULTS.window] as [number, number]),
  lowSideband: range.default([...SELECTION_DEFAULTS.lowSideband] as [number, number]),
  highSideband: range.default([...SELECTION_DEFAULTS.highSideband] as [number, number]),
});

export type SelectionInput = z.input<typeof selectionSchema>;
export interface Selection {
  ptMin: readonly [number, number];
  window: readonly [number, number];
  lowSideband: readonly [number, number];
  highSideband: readonly [number, number];
}

/** The mass part of a selection (what the region codes and the sideband weight depend on). */
export type MassRegions = Pick<Selection, 'window' | 'lowSideband' | 'highSideband'>;

/** Where a command's selection came from: the defaults here, the event file's metadata, or command-line flags. */
export type SelectionSource = 'default' | 'file' | 'flags';

/**
 * Cross-field checks of a parsed selection: ordered ranges, sidebands outside the window. `prefix` is the
 * dotted path of the selection inside its config (e.g. `selection`). Throws a ConfigError naming the key.
 */
export function checkSelection(s: Selection, prefix = 'selection', source?: string): void {
  const at = (k: string): string => (prefix ? `${prefix}.${k}` : k);
  for (const k of ['window', 'lowSideband', 'highSideband'] as const) {
    const r = s[k];
    if (!(r[0] < r[1])) throw new ConfigError(at(k), r, 'expected [lo, hi] with lo < hi', source);
  }
  if (s.lowSideband[1] > s.window[0])
    throw new ConfigError(at('lowSideband'), s.lowSideband, `expected to end at or below the window start ${s.window[0]}`, source);
  if (s.highSideband[0] < s.window[1])
    throw new ConfigError(at('highSideband'), s.highSideband, `expected to start at or above the window end ${s.window[1]}`, source);
}

/** Partial selection in, resolved and checked selection out (the one resolution path). */
export function resolveSelection(input: SelectionInput | undefined, source?: string, prefix = 'selection'): Selection {
  const parsed = selectionSchema.safeParse(input ?? {});
  if (!parsed.success) throw zodConfigError(parsed.error, input, source, prefix);
  checkSelection(parsed.data, prefix, source);
  return parsed.data;
}

/** The weight factor of a sideband event: −(window width)/(low + high sideband width). */
export function sidebandFactor(s: MassRegions): number {
  const width = (r: readonly [number, number], name: string): number => {
    if (!(Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[1] > r[0]))
      throw new ConfigError(`selection.${name}`, r, 'expected [lo, hi] with finite lo < hi');
    return r[1] - r[0];
  };
  return -width(s.window, 'window') / (width(s.lowSideband, 'lowSideband') + width(s.highSideband, 'highSideband'));
}

/** The whole selected mass range [low sideband lo, high sideband hi): the parents of the folded fit. */
export function selectedMassRange(s: Selection): [number, number] {
  return [s.lowSideband[0], s.highSideband[1]];
}

/** Region code of a reconstructed mass (ranges are [lo, hi)). */
export function regionOf(m: number, s: MassRegions): RegionCode {
  if (m >= s.window[0] && m < s.window[1]) return REGION.window;
  if (m >= s.lowSideband[0] && m < s.lowSideband[1]) return REGION.lowSideband;
  if (m >= s.highSideband[0] && m < s.highSideband[1]) return REGION.highSideband;
  return REGION.outside;
}

/** The selection as plain JSON arrays (for output files). */
export function selectionToJson(s: Selection): {
  ptMin: [number, number];
  window: [number, number];
  lowSideband: [number, number];
  highSideband: [number, number];
} {
  return {
    ptMin: [s.ptMin[0], s.ptMin[1]],
    window: [s.window[0], s.window[1]],
    lowSideband: [s.lowSideband[0], s.lowSideband[1]],
    highSideband: [s.highSideband[0], s.highSideband[1]],
  };
}

/**
 * An event file's own selection: the `selection` block of the generator config in its metadata, resolved here;
 * no metadata (or none with a config) gives the defaults, and says so.
 */
export function selectionFromFile(
  meta: { config?: unknown } | undefined,
  source?: string,
): { selection: Selection; source: SelectionSource } {
  const cfg = meta?.config;
  if (cfg == null || typeof cfg !== 'object' || !('selection' in cfg)) return { selection: resolveSelection({}), source: 'default' };
  return { selection: resolveSelection((cfg as { selection: SelectionInput }).selection, source, 'config.selection'), source: 'file' };
}

/** Selection flags as typed on the command line (`--window LO,HI`, `--sidebands LO1,HI1,LO2,HI2`, `--pt-min A,B`). */
export interface SelectionFlags {
  window?: string;
  sidebands?: string;
  ptMin?: string;
}

function numbers(flag: string, value: string, count: number, example: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  const xs = parts.map(Number);
  if (parts.length !== count || parts.some((s) => s === '') || xs.some((x) => !Number.isFinite(x)))
    throw new UsageError(flag, value, `${count} comma-separated numbers, e.g. ${example}`);
  return xs;
}

/**
 * The selection a command uses: the file's (or the defaults), with any selection flag overriding its part.
 * Flag errors are UsageErrors naming the flag; an inconsistent result (e.g. a sideband overlapping the window)
 * names the flag that set it.
 */
export function selectionWithFlags(
  base: { selection: Selection; source: SelectionSource },
  flags: SelectionFlags,
): { selection: Selection; source: SelectionSource } {
  const over: Partial<Record<keyof Selection, [number, number]>> = {};
  if (flags.window != null) over.window = numbers('--window', flags.window, 2, '85,97') as [number, number];
  if (flags.sidebands != null) {
    const x = numbers('--sidebands', flags.sidebands, 4, '60,80,100,120');
    over.lowSideband = [x[0]!, x[1]!];
    over.highSideband = [x[2]!, x[3]!];
  }
  if (flags.ptMin != null) over.ptMin = numbers('--pt-min', flags.ptMin, 2, '25,25') as [number, number];
  if (Object.keys(over).length === 0) return base;
  const flagOf: Record<string, string> = { window: '--window', lowSideband: '--sidebands', highSideband: '--sidebands', ptMin: '--pt-min' };
  try {
    return { selection: resolveSelection({ ...selectionToJson(base.selection), ...over }, undefined, ''), source: 'flags' };
  } catch (err) {
    if (err instanceof ConfigError) {
      const key = err.path.split('.')[0]!;
      throw new UsageError(flagOf[key] ?? '--window', err.value, err.expected);
    }
    throw err;
  }
}

/** Which events a fit uses: the window, every event, or the window minus the scaled sidebands. */
export const FIT_REGIONS = ['window', 'all', 'sideband-subtracted'] as const;
export type FitRegion = (typeof FIT_REGIONS)[number];

function column(table: EventTable, name: string, source: string): ArrayLike<number> {
  const c = table.columns[name];
  if (!c) throw new DataError(source, name, `required column is missing (columns present: ${Object.keys(table.columns).join(' ')})`);
  return c;
}

/**
 * Region codes of a table's events under a selection, from m_ee and the electrons' pT (pt1 the leading one,
 * as the generator writes them): `outside` when a pT is at or below its threshold or the mass is in no range.
 * Used instead of the file's `region` column whenever the selection may differ from the one that wrote it.
 */
export function regionCodes(table: EventTable, s: Selection, source = 'events'): Int8Array {
  const m = column(table, 'm_ee', source);
  const pt1 = column(table, 'pt1', source);
  const pt2 = column(table, 'pt2', source);
  const out = new Int8Array(table.n);
  for (let e = 0; e < table.n; e++) out[e] = pt1[e]! > s.ptMin[0] && pt2[e]! > s.ptMin[1] ? regionOf(m[e]!, s) : REGION.outside;
  return out;
}

export interface SelectRowsOptions {
  /** The events' selection: sets the sideband weight (required for 'sideband-subtracted'). */
  selection?: Selection;
  /** Regions from m_ee and pT under `selection` instead of the `region` column (default false). */
  fromKinematics?: boolean;
  /** Base weights (e.g. the w column), multiplied into the result. */
  base?: ArrayLike<number>;
  source?: string;
}

/** The rows a fit uses and their weights (aligned with `rows`; undefined = unit weights). */
export interface SelectedRows {
  rows: Uint32Array;
  w: Float64Array | undefined;
}

/**
 * The one definition of "the fitted events", shared by the fits and by the truth reference they are compared
 * with. Regions come from the `region` column (written by the file's own selection) or, with `fromKinematics`
 * (a selection other than the file's), from m_ee and pT through regionCodes. 'sideband-subtracted' needs the
 * selection: its weight −(window width)/(sideband widths) depends on it.
 */
export function selectRows(table: EventTable, region: FitRegion, opts: SelectRowsOptions = {}): SelectedRows {
  const source = opts.source ?? 'events';
  const base = opts.base;
  if (region === 'all') return { rows: Uint32Array.from({ length: table.n }, (_, e) => e), w: base ? Float64Array.from(base) : undefined };
  if (region === 'sideband-subtracted' && !opts.selection)
    throw new ConfigError('selection', undefined, 'sideband subtraction needs the selection (window and sidebands) of the events', source);
  if (opts.fromKinematics && !opts.selection)
    throw new ConfigError('selection', undefined, 'regions from the kinematics need a selection', source);
  const recompute = opts.fromKinematics === true && opts.selection != null;
  const codes: ArrayLike<number> = recompute ? regionCodes(table, opts.selection!, source) : column(table, 'region', source);
  const f = opts.selection ? sidebandFactor(opts.selection) : NaN;
  // Typed arrays of the table's length, trimmed once: no growing JS arrays (memory, docs/event-input.md).
  const weighted = base != null || region === 'sideband-subtracted';
  const rows = new Uint32Array(table.n);
  const w = weighted ? new Float64Array(table.n) : undefined;
  let m = 0;
  for (let e = 0; e < table.n; e++) {
    const r = codes[e]!;
    const b = base ? base[e]! : 1;
    if (r === REGION.window) {
      if (w) w[m] = b;
      rows[m++] = e;
    } else if (region === 'sideband-subtracted' && (r === REGION.lowSideband || r === REGION.highSideband)) {
      if (w) w[m] = f * b;
      rows[m++] = e;
    } else if (!recompute && r !== REGION.lowSideband && r !== REGION.highSideband) {
      throw new DataError(
        source,
        'region',
        `expected ${REGION.window} (window), ${REGION.lowSideband} or ${REGION.highSideband} (sidebands) at row ${e + 1}`,
        r,
      );
    }
  }
  return { rows: rows.slice(0, m), w: w?.slice(0, m) };
}

/** Column holding the fit's weights in a selectedTable. */
export const FIT_WEIGHT = 'w_fit';

/** The selected rows as a table of their own, with their weights (when any) in the FIT_WEIGHT column. */
export function selectedTable(table: EventTable, sel: SelectedRows): EventTable {
  const columns: Record<string, TypedColumn> = {};
  for (const [k, v] of Object.entries(table.columns)) {
    const Ctor = v.constructor as new (n: number) => TypedColumn;
    const out = new Ctor(sel.rows.length);
    sel.rows.forEach((e, j) => (out[j] = v[e]!));
    columns[k] = out;
  }
  if (sel.w) columns[FIT_WEIGHT] = sel.w;
  return { n: sel.rows.length, columns };
}
