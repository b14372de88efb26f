/**
 * Weighted mean of a per-electron quantity in each (|η|, pT) bin, both electrons of every row counted, and the
 * electron count per bin. Used for the truth reference of every per-bin comparison (the mean truth ε of the
 * electrons that fall in the bin) and to put per-electron estimators on the binned footing.
 *
 * BinMeansAccumulator takes the rows chunk by chunk (a streamed toy, src/study/streamToy.ts); the sums run in
 * row order across chunks, so the means are bit-identical to binMeans on the concatenated rows (binMeans is
 * the accumulator fed once).
 */
import type { BinAssignment } from '../../binning/assignBins.js';

export interface BinMeans {
  mean: number[];
  count: number[];
}

export class BinMeansAccumulator {
  private readonly sum: Float64Array;
  private readonly cnt: Float64Array;

  constructor(K: number) {
    this.sum = new Float64Array(K);
    this.cnt = new Float64Array(K);
  }

  add(bins: BinAssignment, v1: ArrayLike<number>, v2: ArrayLike<number>, skip?: ArrayLike<number>): void {
    const { sum, cnt } = this;
    const n = bins.bin1.length;
    for (let i = 0; i < n; i++) {
      if (skip && skip[i] === 1) continue;
      const b1 = bins.bin1[i]!;
      const b2 = bins.bin2[i]!;
      const x1 = v1[i]!;
      const x2 = v2[i]!;
      if (b1 >= 0 && Number.isFinite(x1)) {
        sum[b1] += x1;
        cnt[b1]++;
      }
      if (b2 >= 0 && Number.isFinite(x2)) {
        sum[b2] += x2;
        cnt[b2]++;
      }
    }
  }

  result(): BinMeans {
    const { sum, cnt } = this;
    return { mean: Array.from(sum, (s, k) => (cnt[k]! > 0 ? s / cnt[k]! : NaN)), count: Array.from(cnt) };
  }
}

export function binMeans(bins: BinAssignment, K: number, v1: ArrayLike<number>, v2: ArrayLike<number>, skip?: ArrayLike<number>): BinMeans {
  const acc = new BinMeansAccumulator(K);
  acc.add(bins, v1, v2, skip);
  return acc.result();
}
