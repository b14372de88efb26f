/**
 * Per-electron accuracy of an estimator against the truth ε of the generator, over the electrons of
 * true-signal events (fake-electron background has no truth ε to compare with):
 *   mse         = ⟨(ε̂ − ε)²⟩
 *   meanRelBias = ⟨(ε̂ − ε)/ε⟩
 *   φ − κ       = logit ε̂ − logit ε (mean and rms): the quantity the pair loss drives to zero (eq. 3)
 *   mseReach    = ⟨(ε̂ − eps_reach)²⟩ against the latent electron model's reachable target P(flip | features)
 *                 (docs/electrons.md), when the table has eps_reach1/2 (NaN otherwise)
 * Electrons with a non-finite estimate (outside the binning) are skipped and counted.
 */
import { logit } from '../../method/pairFunction.js';
import type { EventTable } from '../../events/columns.js';

export interface ElectronMetrics {
  n: number;
  skipped: number;
  mse: number;
  meanRelBias: number;
  phiKappaMean: number;
  phiKappaRms: number;
  mseReach: number;
}

export function electronMetrics(table: EventTable, eps1: ArrayLike<number>, eps2: ArrayLike<number>): ElectronMetrics {
  const acc = new ElectronMetricsAccumulator();
  acc.add(table, eps1, eps2);
  return acc.result();
}

/** electronMetrics chunk by chunk: the sums run in row order across chunks (bit-identical to one call on all rows). */
export class ElectronMetricsAccumulator {
  private n = 0;
  private skipped = 0;
  private se = 0;
  private rel = 0;
  private nRel = 0;
  private dk = 0;
  private dk2 = 0;
  private nK = 0;
  private seR = 0;
  private nR = 0;

  add(table: EventTable, eps1: ArrayLike<number>, eps2: ArrayLike<number>): void {
    const bg = table.columns.is_background;
    const truth = [table.columns.truth_eps1!, table.columns.truth_eps2!];
    const est = [eps1, eps2];
    let { n, skipped, se, rel, nRel, dk, dk2, nK, seR, nR } = this;
    const reach = table.columns.eps_reach1 && table.columns.eps_reach2 ? [table.columns.eps_reach1, table.columns.eps_reach2] : undefined;
    for (let i = 0; i < table.n; i++) {
      if (bg && bg[i] === 1) continue;
      for (let k = 0; k < 2; k++) {
        const e = est[k]![i]!;
        const t = truth[k]![i]!;
        if (!Number.isFinite(e) || !Number.isFinite(t)) {
          skipped++;
          continue;
        }
        n++;
        se += (e - t) ** 2;
        if (reach) {
          const r = reach[k]![i]!;
          if (Number.isFinite(r)) {
            seR += (e - r) ** 2;
            nR++;
          }
        }
        if (t > 0) {
          rel += (e - t) / t;
          nRel++;
        }
        if (e > 0 && e < 1 && t > 0 && t < 1) {
          const d = logit(e) - logit(t);
          dk += d;
          dk2 += d * d;
          nK++;
        }
      }
    }
    Object.assign(this, { n, skipped, se, rel, nRel, dk, dk2, nK, seR, nR });
  }

  result(): ElectronMetrics {
    const { n, skipped, se, rel, nRel, dk, dk2, nK, seR, nR } = this;
    return {
      n,
      skipped,
      mse: n > 0 ? se / n : NaN,
      meanRelBias: nRel > 0 ? rel / nRel : NaN,
      phiKappaMean: nK > 0 ? dk / nK : NaN,
      phiKappaRms: nK > 0 ? Math.sqrt(dk2 / nK) : NaN,
      mseReach: nR > 0 ? seR / nR : NaN,
    };
  }
}
