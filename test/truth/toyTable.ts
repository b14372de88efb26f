/**
 * Test helper: a seeded EventTable whose electrons fall uniformly in (pT, |η|) within the given binning
 * (plus a chosen fraction outside it), with truth ε from a per-electron function, flips drawn from it, and
 * reco charges/sc following the flips.
 */
import type { Binning } from '../../src/binning/Binning.js';
import { emptyTable, type EventTable } from '../../src/events/columns.js';
import { createRng } from '../../src/rng.js';
import { REGION } from '../../src/selection/selection.js';

export interface ToyTableOptions {
  n: number;
  seed: string;
  /** Truth ε of an electron at (pT, |η|). */
  eps: (pt: number, absEta: number) => number;
  /** Fraction of electrons placed outside the binning (above the last pT edge). */
  outside?: number;
  /** Fraction of events in the sidebands (region 1 or 2). */
  sideband?: number;
}

export function toyTable(binning: Binning, o: ToyTableOptions): EventTable {
  const rng = createRng(o.seed);
  const t = emptyTable(o.n);
  const c = t.columns as Record<string, Float64Array | Uint8Array | Int8Array>;
  const etaMax = binning.etaEdges[binning.etaEdges.length - 1]!;
  const ptLo = binning.ptEdges[0]!;
  const ptHi = binning.ptEdges[binning.ptEdges.length - 1]!;
  for (let e = 0; e < o.n; e++) {
    const q1 = rng.uniform() < 0.5 ? 1 : -1;
    for (const k of [1, 2] as const) {
      const absEta = etaMax * rng.uniform();
      let pt = ptLo + (Math.min(ptHi, 200) - ptLo) * rng.uniform();
      if (o.outside && rng.uniform() < o.outside) pt = ptHi + 10;
      const eta = rng.uniform() < 0.5 ? absEta : -absEta;
      const eps = o.eps(pt, absEta);
      const flip = rng.uniform() < eps ? 1 : 0;
      const tq = k === 1 ? q1 : -q1;
      c[`pt${k}`]![e] = pt;
      c[`eta${k}`]![e] = eta;
      c[`truth_pt${k}`]![e] = pt;
      c[`truth_eta${k}`]![e] = eta;
      c[`truth_q${k}`]![e] = tq;
      c[`q${k}`]![e] = flip ? -tq : tq;
      c[`truth_eps${k}`]![e] = eps;
      c[`truth_flip${k}`]![e] = flip;
    }
    c.sc![e] = c.q1![e] === c.q2![e] ? 1 : 0;
    c.w![e] = 1;
    c.region![e] =
      o.sideband && rng.uniform() < o.sideband ? (rng.uniform() < 0.5 ? REGION.lowSideband : REGION.highSideband) : REGION.window;
    c.m_ee![e] = 91;
  }
  return t;
}
