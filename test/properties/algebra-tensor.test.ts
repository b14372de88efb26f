/**
 * The algebra of the method note (eq. 1–5) for the TENSOR pair function the trainer uses
 * (src/train/pairLoss.ts, on the backend the trainer picks), checked on arbitrary φ1, φ2 with |φ| ≤ 100.
 * The double-precision versions of the same properties are in test/method/pair-function.test.ts.
 *
 * Tolerance (float32, derived rather than tuned): u = 2⁻²⁴. Rounding the inputs to float32 moves each φ by
 * ≤ u|φ|, and f is 1-Lipschitz in each argument (|∂f/∂φ| ≤ 1), so ≤ u(|φ1| + |φ2|); the handful of float32
 * operations (one add, two log1p∘exp of values ≤ ln 2, max, two subtractions of numbers ≤ |φ1| + |φ2| + 1)
 * add a few ulp of 1 + |φ1| + |φ2|. We allow 8u(1 + |φ1| + |φ2|). The gradient ∂f/∂φ1 = σ(φ1+φ2) − σ(φ1−φ2)
 * has |∂²f| ≤ ½ and is a difference of two numbers ≤ 1, so the same bound holds for it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/train/backend.js';
import { pairLogit as pairLogitT, pairLossAndGrad } from '../../src/train/pairLoss.js';
import { degeneratePartner, eps12, logit, ocOverSc, pairLogit, pairLogitGrad } from '../../src/method/pairFunction.js';
import { pick } from './support/heavy.js';

const U32 = 2 ** -24;
const tolF = (a: number, b: number): number => 8 * U32 * (1 + Math.abs(a) + Math.abs(b));
const RUNS = pick(100, 1000);

const phiArb = fc.double({ min: -100, max: 100, noNaN: true });
// Pairs, with φ1 = φ2 exactly in a quarter of them (both electrons alike: a tie of the max in logaddexp).
const pairArb = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(phiArb, phiArb) },
  { weight: 1, arbitrary: phiArb.map((a) => [a, a] as [number, number]) },
);
const batchArb = fc.array(pairArb, { minLength: 1, maxLength: 64 });
// ε over (0, 1), log-uniform towards both ends: 1e-7 … 1 − 1e-7.
const epsArb = fc
  .double({ min: Math.log(1e-7), max: Math.log(0.5), noNaN: true })
  .chain((l) => fc.constantFrom(Math.exp(l), 1 - Math.exp(l)));

/** f(φ1, φ2) and ∂f/∂φ1, ∂f/∂φ2 from the tensor implementation, via tf.grad of Σf. */
function tensorF(pairs: readonly (readonly [number, number])[]): { f: Float32Array; ga: Float32Array; gb: Float32Array } {
  const a = tf.tensor1d(pairs.map((p) => p[0]));
  const b = tf.tensor1d(pairs.map((p) => p[1]));
  const out = tf.tidy(() => {
    const f = pairLogitT(a, b);
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(pairLogitT(x, y)))([a, b]);
    return [f, ga!, gb!];
  });
  const [f, ga, gb] = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose([...out, a, b]);
  return { f: f!, ga: ga!, gb: gb! };
}

beforeAll(async () => {
  await selectBackend('auto');
});

describe('tensor pair function f(φ1, φ2) (src/train/pairLoss.ts) on the trainer backend', () => {
  it('at φ = κ = logit ε, f is the log of the OC/SC rate ratio of eq. 1, and sigmoid(f) = 1 − ε12', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(epsArb, epsArb), { minLength: 1, maxLength: 64 }), (es) => {
        const k = es.map(([e1, e2]) => [logit(e1), logit(e2)] as [number, number]);
        const a = tf.tensor1d(k.map((p) => p[0]));
        const b = tf.tensor1d(k.map((p) => p[1]));
        const out = tf.tidy(() => {
          const f = pairLogitT(a, b);
          return [f, tf.sigmoid(f), tf.sigmoid(tf.neg(f))];
        });
        const [f, pOC, pSC] = out.map((t) => t.dataSync());
        tf.dispose([...out, a, b]);
        es.forEach(([e1, e2], i) => {
          const [k1, k2] = k[i]!;
          const tol = tolF(k1, k2);
          const e12 = eps12(e1, e2);
          expect(Math.abs(f![i]! - Math.log(ocOverSc(e1, e2))), `f at ε = ${e1}, ${e2}`).toBeLessThanOrEqual(tol);
          // σ' ≤ ¼: an error δ in f moves sigmoid(f) by ≤ δ/4, plus the rounding of sigmoid itself.
          expect(Math.abs(pOC![i]! - (1 - e12))).toBeLessThanOrEqual(tol / 4 + 4 * U32);
          // ε12 = sigmoid(−f) to relative precision: d ln σ(−f)/df = −(1 − ε12).
          expect(Math.abs(pSC![i]! / e12 - 1)).toBeLessThanOrEqual(tol * (1 - e12) + 8 * U32);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('f(φ1, φ2) = f(φ2, φ1) exactly and = f(−φ1, −φ2) to float32 precision, for |φ| ≤ 100', () => {
    fc.assert(
      fc.property(batchArb, (pairs) => {
        const f = tensorF(pairs).f;
        const swapped = tensorF(pairs.map(([a, b]) => [b, a] as [number, number])).f;
        const mirrored = tensorF(pairs.map(([a, b]) => [-a, -b] as [number, number])).f;
        pairs.forEach(([a, b], i) => {
          expect(swapped[i]).toBe(f[i]);
          expect(Math.abs(mirrored[i]! - f[i]!)).toBeLessThanOrEqual(2 * tolF(a, b));
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('moving along eq. 5 keeps the tensor f at C (both arms), to float32 precision', () => {
    const arb = fc.record({
      C: fc.double({ min: -30, max: 30, noNaN: true }),
      d: fc.double({ min: 0.01, max: 60, noNaN: true }),
      lower: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arb, { minLength: 1, maxLength: 32 }), (pts) => {
        const pairs = pts
          .map(({ C, d, lower }) => {
            const p1 = lower ? -Math.abs(C) - d : Math.abs(C) + d;
            return [p1, degeneratePartner(p1, C), C] as const;
          })
          .filter(([p1, p2]) => Number.isFinite(p2) && Math.abs(p1) <= 100 && Math.abs(p2) <= 100);
        if (pairs.length === 0) return;
        const { f } = tensorF(pairs.map(([p1, p2]) => [p1, p2] as [number, number]));
        pairs.forEach(([p1, p2, C], i) => {
          // The double-precision curve itself is exact to |f64 − C| (rounding of the partner).
          const curve = Math.abs(pairLogit(p1, p2) - C);
          expect(Math.abs(f[i]! - C), `C = ${C}, φ = ${p1}, ${p2}`).toBeLessThanOrEqual(tolF(p1, p2) + curve);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('f and its tf.grad gradient are finite for |φ| ≤ 100 and agree with the float64 reference (φ1 ≠ ±φ2 in float32)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(phiArb, phiArb).filter(([a, b]) => Math.fround(a) !== Math.fround(b) && Math.fround(a) !== -Math.fround(b)),
          { minLength: 1, maxLength: 64 },
        ),
        (pairs) => {
          const { f, ga, gb } = tensorF(pairs);
          pairs.forEach(([a, b], i) => {
            expect(Number.isFinite(f[i]!) && Number.isFinite(ga[i]!) && Number.isFinite(gb[i]!)).toBe(true);
            const tol = tolF(a, b);
            expect(Math.abs(f[i]! - pairLogit(a, b))).toBeLessThanOrEqual(tol);
            const [ra, rb] = pairLogitGrad(a, b);
            expect(Math.abs(ga[i]! - ra), `∂f/∂φ1 at (${a}, ${b}): tf.grad ${ga[i]}, exact ${ra}`).toBeLessThanOrEqual(tol);
            expect(Math.abs(gb[i]! - rb), `∂f/∂φ2 at (${a}, ${b}): tf.grad ${gb[i]}, exact ${rb}`).toBeLessThanOrEqual(tol);
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  // f is smooth everywhere, but a stable form built from max(a, b) + log1p(e^{−|a−b|}) (or relu(s) +
  // log1p(e^{−|s|})) has kinks whose one-sided derivatives tf.grad picks at the tie: at φ1 = φ2 (two alike
  // electrons) and at φ1 = −φ2 the autodiff gradient would be off by ½ per kink. This regression test keeps the
  // tensor form smooth (src/train/pairLoss.ts writes it with softplus only).
  it('tf.grad of f is right at the ties φ1 = φ2 and φ1 = −φ2 as well (|φ| ≤ 100)', () => {
    const tieArb = fc.tuple(phiArb, fc.boolean()).map(([a, same]) => [a, same ? a : -a] as [number, number]);
    fc.assert(
      fc.property(fc.array(tieArb, { minLength: 1, maxLength: 64 }), (pairs) => {
        const { ga, gb } = tensorF(pairs);
        pairs.forEach(([a, b], i) => {
          const [ra, rb] = pairLogitGrad(a, b);
          expect(Math.abs(ga[i]! - ra), `∂f/∂φ1 at (${a}, ${b}): tf.grad ${ga[i]}, exact ${ra}`).toBeLessThanOrEqual(tolF(a, b));
          expect(Math.abs(gb[i]! - rb), `∂f/∂φ2 at (${a}, ${b}): tf.grad ${gb[i]}, exact ${rb}`).toBeLessThanOrEqual(tolF(a, b));
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('the trainer’s analytic loss gradient (pairLossAndGrad) is finite and equals the float64 one for |φ| ≤ 100', () => {
    const sig = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
    fc.assert(
      fc.property(fc.array(fc.tuple(pairArb, fc.constantFrom(0, 1)), { minLength: 1, maxLength: 64 }), (rows) => {
        const B = rows.length;
        const out = tf.tidy(() => {
          const phi = tf.tensor2d([...rows.map((r) => r[0][0]), ...rows.map((r) => r[0][1])], [2 * B, 1]);
          const { loss, dPhi } = pairLossAndGrad(phi, tf.tensor1d(rows.map((r) => r[1])), tf.ones([B]) as tf.Tensor1D, 1);
          return [loss, dPhi];
        });
        const [loss, dPhi] = out.map((t) => t.dataSync());
        tf.dispose(out);
        expect(Number.isFinite(loss![0]!)).toBe(true);
        rows.forEach(([[a, b], y], i) => {
          // dℓ/dφ = (σ(f) − y) ∂f/∂φ; |σ(f) − y| ≤ 1, so the f tolerance carries over (σ' ≤ ¼ adds < tol/4).
          const g = sig(pairLogit(a, b)) - y;
          const [ra, rb] = pairLogitGrad(a, b);
          const tol = 1.25 * tolF(a, b);
          expect(Number.isFinite(dPhi![i]!) && Number.isFinite(dPhi![B + i]!)).toBe(true);
          expect(Math.abs(dPhi![i]! - g * ra)).toBeLessThanOrEqual(tol);
          expect(Math.abs(dPhi![B + i]! - g * rb)).toBeLessThanOrEqual(tol);
        });
      }),
      { numRuns: RUNS },
    );
  });
});
