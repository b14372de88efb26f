/**
 * Compact per-toy histograms for the report (no per-electron arrays ever reach toys.jsonl):
 *   - ε profiles: mean of a per-electron quantity (truth ε, an estimator's ε̂) over the signal electrons of the
 *     window in fine bins of pT, |η| or azimuth φ, each integrated over the other variables;
 *   - the OC and SC m_ee spectra of the selected events (window and sidebands).
 * Values are rounded to 6 significant digits: enough for any plot, and it keeps the records short.
 */
import type { EventTable } from '../../events/columns.js';
import { binIndex } from '../../util/binIndex.js';
import { REGION } from '../../selection/selection.js';

export type ProfileVariable = 'pt' | 'abseta' | 'phi';

export const PROFILE_EDGES: Record<ProfileVariable, number[]> = {
  pt: [25, 30, 35, 40, 45, 50, 55, 60, 70, 80, 90, 110, 130, 200, 400, 1000],
  abseta: Array.from({ length: 26 }, (_, i) => Number((0.1 * i).toFixed(1))),
  phi: Array.from({ length: 21 }, (_, i) => Number((-Math.PI + (2 * Math.PI * i) / 20).toFixed(6))),
};

/** m_ee edges [GeV] of the stored OC/SC spectra: 1 GeV bins over the window and both default sidebands. */
export const MASS_EDGES: number[] = Array.from({ length: 61 }, (_, i) => 60 + i);

/** Round to 6 significant digits; non-finite → null (JSON has no NaN). */
export function sig6(x: number): number | null {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : null;
}

/** Fine bin of electron 1 and 2 of every row (−1: outside, a sideband row, or a background event). */
export interface ProfileBins {
  bin1: Int32Array;
  bin2: Int32Array;
}

export function profileBins(table: EventTable, variable: ProfileVariable): ProfileBins {
  const edges = PROFILE_EDGES[variable];
  const region = table.columns.region!;
  const bg = table.columns.is_background;
  const col = variable === 'abseta' ? 'eta' : variable;
  const c1 = table.columns[`${col}1`]!;
  const c2 = table.columns[`${col}2`]!;
  const bin1 = new Int32Array(table.n).fill(-1);
  const bin2 = new Int32Array(table.n).fill(-1);
  const f = variable === 'abseta' ? Math.abs : (x: number) => x;
  for (let i = 0; i < table.n; i++) {
    if (region[i] !== REGION.window || (bg != null && bg[i] === 1)) continue;
    bin1[i] = binIndex(edges, f(c1[i]!));
    bin2[i] = binIndex(edges, f(c2[i]!));
  }
  return { bin1, bin2 };
}

/** Mean of v over the electrons of each fine bin (NaN where a bin is empty or v is not finite). */
export function profileMean(
  bins: ProfileBins,
  nb: number,
  v1: ArrayLike<number>,
  v2: ArrayLike<number>,
): { mean: number[]; count: number[] } {
  const acc = new ProfileMeanAccumulator(nb);
  acc.add(bins, v1, v2);
  return acc.result();
}

/** profileMean chunk by chunk: sums in row order across chunks, bit-identical to one call on all rows. */
export class ProfileMeanAccumulator {
  private readonly sum: Float64Array;
  private readonly cnt: Float64Array;

  constructor(nb: number) {
    this.sum = new Float64Array(nb);
    this.cnt = new Float64Array(nb);
  }

  add(bins: ProfileBins, v1: ArrayLike<number>, v2: ArrayLike<number>): void {
    const { sum, cnt } = this;
    for (let i = 0; i < bins.bin1.length; i++) {
      const b1 = bins.bin1[i]!;
      const b2 = bins.bin2[i]!;
      if (b1 >= 0 && Number.isFinite(v1[i]!)) {
        sum[b1] += v1[i]!;
        cnt[b1]++;
      }
      if (b2 >= 0 && Number.isFinite(v2[i]!)) {
        sum[b2] += v2[i]!;
        cnt[b2]++;
      }
    }
  }

  result(): { mean: number[]; count: number[] } {
    const { sum, cnt } = this;
    return { mean: Array.from(sum, (s, k) => (cnt[k]! > 0 ? s / cnt[k]! : NaN)), count: Array.from(cnt) };
  }
}

/** Unweighted OC and SC event counts per 1 GeV of m_ee (MASS_EDGES), background included as observed. */
export function massSpectra(table: EventTable): { edges: number[]; oc: number[]; sc: number[] } {
  const acc = new MassSpectraAccumulator();
  acc.add(table);
  return acc.result();
}

/** massSpectra chunk by chunk (integer counts: any order gives the same numbers). */
export class MassSpectraAccumulator {
  private readonly oc = new Array<number>(MASS_EDGES.length - 1).fill(0);
  private readonly sc = new Array<number>(MASS_EDGES.length - 1).fill(0);

  add(table: EventTable): void {
    const { oc, sc } = this;
    const m = table.columns.m_ee!;
    const s = table.columns.sc!;
    for (let i = 0; i < table.n; i++) {
      const b = binIndex(MASS_EDGES, m[i]!);
      if (b < 0) continue;
      if (s[i] === 1) sc[b]!++;
      else oc[b]!++;
    }
  }

  result(): { edges: number[]; oc: number[]; sc: number[] } {
    return { edges: [...MASS_EDGES], oc: [...this.oc], sc: [...this.sc] };
  }
}
