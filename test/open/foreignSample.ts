/**
 * Test helper: the same seeded toy twice — once under the bench's column names, once as a user's ntuple would
 * hold it (el1_pt, el1_eta, el1_charge, …, mll, weight; no sc, no region column; m_ee placed in the region the
 * toy assigned), plus the mapping file that reads the second as the first.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Binning } from '../../src/binning/Binning.js';
import type { EventTable } from '../../src/events/columns.js';
import { writeEvents } from '../../src/io/eventsFile.js';
import { createRng } from '../../src/rng.js';
import { toyTable } from '../truth/toyTable.js';

export const FOREIGN_MAP = {
  columns: {
    el1_pt: 'pt1',
    el1_eta: 'eta1',
    el1_phi: 'phi1',
    el1_charge: 'q1',
    el2_pt: 'pt2',
    el2_eta: 'eta2',
    el2_phi: 'phi2',
    el2_charge: 'q2',
    mll: 'm_ee',
    weight: 'w',
    el1_isflip: 'truth_flip1',
    el2_isflip: 'truth_flip2',
  },
};

export const FOREIGN_BINNING = Binning.fromEdges([0, 1.0, 2.47], [25, 60, 1000]);
export const FOREIGN_EPS = [2e-3, 1e-3, 1e-2, 5e-3];

/** The bench-named table (with m_ee consistent with region) and the foreign one. */
export function foreignTables(n: number, seed: string): { bench: EventTable; foreign: EventTable } {
  const bench = toyTable(FOREIGN_BINNING, { n, seed, eps: (pt, a) => FOREIGN_EPS[FOREIGN_BINNING.index(pt, a)] ?? 0.05, sideband: 0.2 });
  const rng = createRng(`${seed}/mass`);
  const c = bench.columns;
  for (let i = 0; i < n; i++) {
    const r = c.region![i]!;
    c.m_ee![i] = r === 0 ? 80 + 20 * rng.uniform() : r === 1 ? 60 + 20 * rng.uniform() : 100 + 20 * rng.uniform();
    c.phi1![i] = Math.PI * (2 * rng.uniform() - 1);
    c.phi2![i] = Math.PI * (2 * rng.uniform() - 1);
  }
  const foreign: EventTable = { n, columns: {} };
  for (const [from, to] of Object.entries(FOREIGN_MAP.columns)) foreign.columns[from] = c[to]!;
  // A column the bench does not know rides along untouched.
  foreign.columns.run_number = new Float64Array(n).fill(358031);
  return { bench, foreign };
}

export async function writeForeignSample(
  dir: string,
  n: number,
  seed: string,
): Promise<{ bench: EventTable; file: string; mapFile: string }> {
  const { bench, foreign } = foreignTables(n, seed);
  const file = join(dir, 'ntuple.parquet');
  await writeEvents(file, foreign, { config: null, seed, version: 'test' });
  const mapFile = join(dir, 'map.json');
  writeFileSync(mapFile, `${JSON.stringify(FOREIGN_MAP, null, 1)}\n`);
  return { bench, file, mapFile };
}
