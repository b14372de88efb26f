/**
 * From the generator's output to the table an estimator sees: the study's pairing topology first (e.g. one
 * barrel and one endcap electron, a bipartite pairing graph), then the mass regions — the window alone with
 * the generated weights, or window + sidebands with sideband-subtraction weights (physics.md: each sideband
 * event weighted −(window width)/(sideband widths)).
 */
import { filterTable, type EventTable } from '../events/columns.js';
import { sidebandSubtractionWeights } from '../fit/sidebandWeights.js';
import { REGION, regionOf, selectedMassRange, type MassRegions, type Selection } from '../selection/selection.js';
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

/**
 * The events of `table` (selected with `from`) as `to` would have selected them, or undefined when `to` could
 * keep an event `from` dropped (a wider mass range or a lower pT threshold: then only a new generation will do).
 * Regions are recomputed from m_ee; pT thresholds apply to the leading (pt1) and subleading (pt2) electron.
 * A paired study's window and sideband variations use it so that they move the result by the systematic
 * alone, on the same events.
 */
export function reselectTable(table: EventTable, from: Selection, to: Selection): EventTable | undefined {
  const [flo, fhi] = selectedMassRange(from);
  const [tlo, thi] = selectedMassRange(to);
  if (tlo < flo || thi > fhi || to.ptMin[0] < from.ptMin[0] || to.ptMin[1] < from.ptMin[1]) return undefined;
  const m = table.columns.m_ee!;
  const pt1 = table.columns.pt1!;
  const pt2 = table.columns.pt2!;
  const t = filterTable(table, (i) => regionOf(m[i]!, to) !== REGION.outside && pt1[i]! >= to.ptMin[0] && pt2[i]! >= to.ptMin[1]);
  const region = new Uint8Array(t.n);
  const mm = t.columns.m_ee!;
  for (let i = 0; i < t.n; i++) region[i] = regionOf(mm[i]!, to);
  return { n: t.n, columns: { ...t.columns, region } };
}

/**
 * Every fake-electron pair (is_background = 1) repeated `copies` times, signal rows unchanged and first: the
 * same events with 0×, 1×, 2×, … the background. A table without the column has no fakes to repeat.
 */
export function repeatBackground(table: EventTable, copies: number): EventTable {
  const bg = table.columns.is_background;
  if (!bg || copies === 1) return table;
  const idx: number[] = [];
  for (let i = 0; i < table.n; i++) if (bg[i] !== 1) idx.push(i);
  for (let c = 0; c < copies; c++) for (let i = 0; i < table.n; i++) if (bg[i] === 1) idx.push(i);
  const columns: EventTable['columns'] = {};
  for (const [k, v] of Object.entries(table.columns)) {
    const Ctor = v.constructor as new (n: number) => typeof v;
    const out = new Ctor(idx.length);
    for (let j = 0; j < idx.length; j++) out[j] = v[idx[j]!]!;
    columns[k] = out;
  }
  return { n: idx.length, columns };
}
