/**
 * From the generator's output to the table an estimator sees: the study's pairing topology first (e.g. one
 * barrel and one endcap electron, a bipartite pairing graph), then the mass regions — the window alone with
 * the generated weights, or window + sidebands with sideband-subtraction weights (physics.md: each sideband
 * event weighted −(window width)/(sideband widths)).
 */
import { filterTable, type EventTable } from '../events/columns.js';
import { sidebandSubtractionWeights } from '../fit/sidebandWeights.js';
import { REGION, type MassRegions } from '../selection/selection.js';
import type { Pairing } from './studySchema.js';

export function applyPairing(table: EventTable, pairing: Pairing): EventTable {
  if (pairing.topology === 'any') return table;
  const eta1 = table.columns.eta1!;
  const eta2 = table.columns.eta2!;
  const cut = pairing.etaSplit;
  return filterTable(table, (i) => Math.abs(eta1[i]!) < cut !== Math.abs(eta2[i]!) < cut);
}

export function windowTable(table: EventTable): EventTable {
  const region = table.columns.region!;
  return filterTable(table, (i) => region[i] === REGION.window);
}

export function sidebandSubtractedTable(table: EventTable, regions: MassRegions, source: string): EventTable {
  const region = table.columns.region!;
  const t = filterTable(table, (i) => region[i] === REGION.window || region[i] === REGION.lowSideband || region[i] === REGION.highSideband);
  const w = sidebandSubtractionWeights(t.columns.region!, regions, t.columns.w as Float64Array, source);
  return { n: t.n, columns: { ...t.columns, w } };
}
