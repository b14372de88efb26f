/**
 * Run summary, accumulated block by block: OC/SC counts (raw and weighted) per mass region, fake pairs,
 * mean truth ε per selected signal electron and the same-charge fraction in the window.
 */
import type { EventTable } from '../../src/events/columns.js';

export interface RegionCounts {
  oc: number;
  sc: number;
  /** Σw of OC / SC rows (differs from the counts only under fractional smearing) */
  ocWeighted: number;
  scWeighted: number;
}

export interface GenerationSummary {
  /** truth events generated (and, in selected mode, actually used) */
  truthEvents: number;
  /** rows written: window + sidebands, signal + fakes */
  selectedEvents: number;
  backgroundEvents: number;
  window: RegionCounts;
  lowSideband: RegionCounts;
  highSideband: RegionCounts;
  /** Σw·(ε1+ε2) / (2Σw) over selected signal rows */
  meanEps: number;
  /** weighted SC / (OC + SC) in the window, signal + fakes */
  scFractionWindow: number;
  /** weighted SC / (OC + SC) over all selected rows */
  scFraction: number;
}

const zero = (): RegionCounts => ({ oc: 0, sc: 0, ocWeighted: 0, scWeighted: 0 });

export class SummaryAccumulator {
  private truth = 0;
  private rows = 0;
  private bkg = 0;
  private readonly regions: RegionCounts[] = [zero(), zero(), zero()];
  private epsSum = 0;
  private epsWeight = 0;

  addTruth(n: number): void {
    this.truth += n;
  }

  addTable(t: EventTable): void {
    const { sc, w, region, truth_eps1: e1, truth_eps2: e2, is_background: bg } = t.columns;
    for (let i = 0; i < t.n; i++) {
      const r = this.regions[region![i]!]!;
      const wi = w![i]!;
      if (sc![i]) {
        r.sc++;
        r.scWeighted += wi;
      } else {
        r.oc++;
        r.ocWeighted += wi;
      }
      if (bg![i]) this.bkg++;
      else {
        this.epsSum += wi * (e1![i]! + e2![i]!);
        this.epsWeight += 2 * wi;
      }
    }
    this.rows += t.n;
  }

  result(): GenerationSummary {
    const [window, lowSideband, highSideband] = this.regions.map((r) => ({ ...r })) as [RegionCounts, RegionCounts, RegionCounts];
    const frac = (rs: RegionCounts[]): number => {
      const s = rs.reduce((a, r) => a + r.scWeighted, 0);
      const o = rs.reduce((a, r) => a + r.ocWeighted, 0);
      return s + o > 0 ? s / (s + o) : 0;
    };
    return {
      truthEvents: this.truth,
      selectedEvents: this.rows,
      backgroundEvents: this.bkg,
      window,
      lowSideband,
      highSideband,
      meanEps: this.epsWeight > 0 ? this.epsSum / this.epsWeight : 0,
      scFractionWindow: frac([window]),
      scFraction: frac(this.regions),
    };
  }
}
