/**
 * The column-mapping flags shared by every command that reads events (fit, train, apply): one definition so
 * the flags read the same everywhere. The mapping itself lives in src/io/columnMap.ts.
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
    .option('--map <PAIRS>', 'file_column=bench_column pairs, e.g. el1_pt=pt1,el1_charge=q1,mll=m_ee (over --map-file)')
    .option('--window <LO,HI>', 'm_ee window in GeV for deriving region when the file has none (default 80,100)')
    .option('--sidebands <A,B,C,D>', 'm_ee sidebands [A,B) and [C,D) in GeV for deriving region (default 60,80,100,120)');
}

export function columnMapFrom(flags: ColumnMapFlags): ColumnMap | undefined {
  return resolveColumnMap(flags);
}
