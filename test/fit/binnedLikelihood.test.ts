/**
 * The likelihood's analytic derivatives against finite differences, and the full pair form (eq. 1) against
 * the small-ε approximation ε_i + ε_j that public codes use.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binnedNll, binnedNllDerivatives } from '../../src/fit/binnedLikelihood.js';
import { eps12 } from '../../src/method/pairFunction.js';
import { fitBinned } from '../../src/fit/fitBinned.js';
import { pairCounts, type PairCounts } from '../../src/fit/pairCounts.js';
import { createRng } from '../../src/rng.js';

/** Random pair counts over K bins (all pairs), weights with some negative entries. */
function randomCounts(seed: number, K: number): { pc: PairCounts; eps: Float64Array } {
  const rng = createRng(seed);
  const bin1: number[] = [];
  const bin2: number[] = [];
  const sc: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < K; i++) {
    for (let j = i; j < K; j++) {
      for (let r = 0; r < 40; r++) {
        bin1.push(i);
        bin2.push(j);
        sc.push(r < 8 ? 1 : 0);
        w.push(r % 7 === 3 ? -0.5 : 0.5 + rng.uniform());
      }
    }
  }
  const pc = pairCounts({ bin1: Int32Array.from(bin1), bin2: Int32Array.from(bin2), sc: Uint8Array.from(sc), w: Float64Array.from(w) }, K);
  const eps = Float64Array.from({ length: K }, () => 0.005 + 0.3 * rng.uniform());
  return { pc, eps };
}

describe('binned −ln L derivatives', () => {
  it('gradient = central difference of −ln L (1e-6 relative to the gradient scale), at random points', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 6 }), (seed, K) => {
        const { pc, eps } = randomCounts(seed, K);
        const d = binnedNllDerivatives(eps, pc);
        expect(d.nll).toBeCloseTo(binnedNll(eps, pc), 9);
        const scale = Math.max(...Array.from(d.grad, Math.abs), 1);
        for (let k = 0; k < K; k++) {
          const h = 1e-6 * eps[k]!;
          const up = Float64Array.from(eps);
          const dn = Float64Array.from(eps);
          up[k] += h;
          dn[k] -= h;
          const fd = (binnedNll(up, pc) - binnedNll(dn, pc)) / (2 * h);
          expect(Math.abs(fd - d.grad[k]!) / scale).toBeLessThan(1e-6);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('Hessian = central difference of the gradient (1e-6 relative to the diagonal)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 6 }), (seed, K) => {
        const { pc, eps } = randomCounts(seed, K);
        const d = binnedNllDerivatives(eps, pc);
        for (let j = 0; j < K; j++) {
          const h = 1e-6 * eps[j]!;
          const up = Float64Array.from(eps);
          const dn = Float64Array.from(eps);
          up[j] += h;
          dn[j] -= h;
          const gu = binnedNllDerivatives(up, pc).grad;
          const gd = binnedNllDerivatives(dn, pc).grad;
          for (let i = 0; i < K; i++) {
            const fd = (gu[i]! - gd[i]!) / (2 * h);
            const scale = Math.sqrt(Math.abs(d.hess[i * K + i]! * d.hess[j * K + j]!)) + 1;
            expect(Math.abs(fd - d.hess[i * K + j]!) / scale).toBeLessThan(1e-6);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('the full pair form ε_i + ε_j − 2ε_iε_j is what is fitted', () => {
  it('eps12 is eq. 1 (exactly one of the two flips)', () => {
    expect(eps12(0.3, 0.2)).toBeCloseTo(0.3 * 0.8 + 0.7 * 0.2, 15);
    expect(eps12(0.25, 0.25)).toBeCloseTo(0.375, 15);
  });

  it('Asimov data at large ε: the fit returns the true ε (1e-7), far from what the linear form would give', () => {
    // Expected counts as weights: per pair one OC event of weight N(1 − p) and one SC event of weight N p.
    const truth = [0.05, 0.2, 0.3];
    const N = 1e5;
    const bin1: number[] = [];
    const bin2: number[] = [];
    const sc: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < 3; i++) {
      for (let j = i; j < 3; j++) {
        const p = truth[i]! + truth[j]! - 2 * truth[i]! * truth[j]!;
        bin1.push(i, i);
        bin2.push(j, j);
        sc.push(0, 1);
        w.push(N * (1 - p), N * p);
      }
    }
    const r = fitBinned({ bin1: Int32Array.from(bin1), bin2: Int32Array.from(bin2), sc: Uint8Array.from(sc), w: Float64Array.from(w) }, 3);
    expect(r.status).toBe('converged');
    for (let k = 0; k < 3; k++) expect(Math.abs(r.eps[k]! / truth[k]! - 1)).toBeLessThan(1e-7);
    // The linear model explains the self pair (2,2) with ε = p/2 = 0.21, i.e. (0.3 − 0.21)/σ ≫ 4 with σ from
    // this fit's own Hessian at N = 1e5 per pair: dropping the 2εε term is detectable by a wide margin.
    const linearSelf = eps12(0.3, 0.3) / 2;
    expect((truth[2]! - linearSelf) / r.err[2]!).toBeGreaterThan(20);
  });
});
