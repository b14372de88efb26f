/**
 * Bias over toys, on generated Z→ee samples with a smooth truth ε drawn by fast-check (support/zee.ts).
 *
 * Binned fit: the whitened pulls z = L⁻¹(ε̂ − ε_truth) over the bulk bins of each toy (covSandwich = L Lᵀ,
 * restricted to those bins) are independent N(0, 1) when the fit is unbiased and its covariance right. Pooled
 * over toys: |mean| < 4·s/√n and |width − 1| < 4·s/√(2(n − 1)). 2 checks per drawn truth, 4σ each: the
 * family-wise false-alarm rate is 2 × 6.3e-5 = 1.3e-4 per truth (CI 1 truth, heavy 3 → 3.8e-4).
 * (The existing test/fit/fitBinned.test.ts does this for 60 toys of a fixed 5-bin toy without kinematics.)
 *
 * φ-trainer: per bulk bin, r = (⟨ε_net⟩_bin − ε_truth)/σ_bin with σ_bin the binned fit's sandwich error on
 * the same toy (see recovery.test.ts for why that scale). The property is |E r| < 0.5 in every bin. Its
 * check, from the toys alone: |mean r| < 0.5 + t·s/√T, with s pooled over bins (ν = M(T − 1) degrees of
 * freedom) and t the Student-t quantile at one-sided 3.2e-5 (the 4σ-equivalent: a bin whose bias sits exactly
 * at 0.5σ fails with probability 3.2e-5). M ≤ 12 checks: family-wise ≤ 12 × 3.2e-5 = 3.8e-4.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { selectBackend } from '../../src/train/backend.js';
import { pick } from './support/heavy.js';
import { mean as sampleMean, sampleStandardDeviation, studentTQuantile } from '../../src/stats/index.js';
import { P_4SIGMA, whiten } from './support/stats.js';
import { binnedCheck, epsShapeArb, PROPERTY_BINNING, trainedBinMeans, windowSample } from './support/zee.js';

beforeAll(async () => {
  await selectBackend('auto');
});

describe('bias over toys', () => {
  it('binned fit: whitened pulls have mean 0 and width 1 within their standard errors', async () => {
    const TOYS = pick(40, 150);
    await fc.assert(
      fc.asyncProperty(epsShapeArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (shape, seed) => {
        const pulls: number[] = [];
        const hessianPulls: number[] = [];
        for (let t = 0; t < TOYS; t++) {
          const table = await windowSample(shape, pick(60_000, 150_000), `${seed}/toy/${t}`);
          const { fit, truth, bulk } = binnedCheck(table);
          expect(fit.status).toBe('converged');
          const r = bulk.map((k) => fit.eps[k]! - truth[k]!);
          pulls.push(
            ...whiten(
              r,
              bulk.map((a) => bulk.map((b) => fit.covSandwich[a]![b]!)),
            ),
          );
          hessianPulls.push(
            ...whiten(
              r,
              bulk.map((a) => bulk.map((b) => fit.cov[a]![b]!)),
            ),
          );
        }
        const n = pulls.length;
        const mean = sampleMean(pulls);
        const sd = sampleStandardDeviation(pulls);
        const h = { sd: sampleStandardDeviation(hessianPulls) };
        console.log(
          `binned pulls (A ${shape.A.toExponential(2)}, β ${shape.beta.toFixed(2)}, p_b ${shape.pb.toFixed(0)}): n ${n}, mean ${mean.toFixed(3)} ± ${(sd / Math.sqrt(n)).toFixed(3)}, width ${sd.toFixed(3)} ± ${(sd / Math.sqrt(2 * (n - 1))).toFixed(3)} (Poisson-Hessian errors: width ${h.sd.toFixed(3)})`,
        );
        expect(n).toBeGreaterThanOrEqual(4 * TOYS);
        expect(Math.abs(mean)).toBeLessThan((4 * sd) / Math.sqrt(n));
        expect(Math.abs(sd - 1)).toBeLessThan((4 * sd) / Math.sqrt(2 * (n - 1)));
      }),
      { numRuns: pick(1, 3) },
    );
  });

  it('φ-trainer: per-bin bias below 0.5σ, averaged over toys (t test at the 4σ-equivalent rate)', async () => {
    const TOYS = pick(5, 20);
    await fc.assert(
      fc.asyncProperty(epsShapeArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (shape, seed) => {
        const resid = new Map<number, number[]>();
        for (let t = 0; t < TOYS; t++) {
          const table = await windowSample(shape, 150_000, `${seed}/toy/${t}`);
          const { fit, truth, bulk } = binnedCheck(table);
          const net = await trainedBinMeans(table, `${seed}/train/${t}`);
          for (const k of bulk) {
            const list = resid.get(k) ?? [];
            list.push((net.mean[k]! - truth[k]!) / fit.errSandwich[k]!);
            resid.set(k, list);
          }
        }
        const bins = [...resid.entries()].filter(([, r]) => r.length === TOYS); // bulk in every toy
        expect(bins.length).toBeGreaterThanOrEqual(4);
        let ss = 0;
        let dof = 0;
        for (const [, r] of bins) {
          ss += sampleStandardDeviation(r) ** 2 * (r.length - 1);
          dof += r.length - 1;
        }
        const s = Math.sqrt(ss / dof);
        const tq = -studentTQuantile(P_4SIGMA / 2, dof); // upper P_4SIGMA/2 point, by symmetry (no 1 − p)
        const tol = 0.5 + (tq * s) / Math.sqrt(TOYS);
        console.log(
          `trainer bias: ${bins.length} bins × ${TOYS} toys, pooled sd ${s.toFixed(3)} σ, t(${dof}) = ${tq.toFixed(2)}, tolerance ${tol.toFixed(3)} σ; mean r per bin ${bins.map(([, r]) => sampleMean(r).toFixed(2)).join(' ')}`,
        );
        for (const [k, r] of bins) expect(Math.abs(sampleMean(r)), PROPERTY_BINNING.label(k)).toBeLessThan(tol);
      }),
      { numRuns: 1 },
    );
  });
});
