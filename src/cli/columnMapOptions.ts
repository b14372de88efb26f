/**
 * The column-mapping flags shared by every command that reads events (fit, train, apply): one definition so
 * the flags read the same everywhere. The mapping itself lives in src/io/columnMap.ts; the mass selection
 * flags (--window, --sidebands, --pt-min) are the selection module's (src/selection/).
 */
import type { Command } from 'commander';
import { resolveColumnMap, type ColumnMap } from '../io/columnMap.js';

export interface ColumnMapFlags {
  mapFile?: string;
  map?: string;
  window?: string;
  sidebands?: string;
}

export function addColumnMapOptions(cmd: Command): Command {
  return cmd
    .option('--map-file <FILE.json>', 'column mapping { "columns": { "el1_pt": "pt1", ... }, "selection": {...} } (docs/open-bench.md)')
    .option('--map <PAIRS>', 'file_column=bench_column pairs, e.g. el1_pt=pt1,el1_charge=q1,mll=m_ee (over --map-file)');
}

/** The mapping from --map-file / --map, with --window / --sidebands (when the command has them) as its selection. */
export function columnMapFrom(flags: ColumnMapFlags): ColumnMap | undefined {
  if (flags.mapFile == null && flags.map == null) return undefined;
  return resolveColumnMap(flags);
}

/** Selection flags with the mapping's selection filling those not given (as strings, as typed). */
export function withMapSelection<F extends { window?: string; sidebands?: string }>(flags: F, map: ColumnMap | undefined): F {
  const s = map?.selection;
  if (!s) return flags;
  return {
    ...flags,
    window: flags.window ?? s.window.join(','),
    sidebands: flags.sidebands ?? [...s.lowSideband, ...s.highSideband].join(','),
  };
}
