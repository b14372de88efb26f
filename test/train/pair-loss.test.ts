import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/train/backend.js';
import { bceWithLogits, pairLogit, pairLogitValue, pairLossAndGrad, pairLossGradValue, pairLossValue } from '../../src/train/pairLoss.js';
import { ocOverSc, pairLogit as referenceLogit } from '../../src/method/pairFunction.js';

beforeAll(async () => {
  await selectBackend('auto');
});

const sig = (x: number) => 1 / (1 + Math.exp(-x));

describe('pair logit f(φ1, φ2) (eq. 3)', () => {
  it('equals log(λ_OC/λ_SC) of eq. 1 at φ = κ, and the method module’s reference', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 0.999, noNaN: true }), fc.double({ min: 1e-4, max: 0.999, noNaN: true }), (e1, e2) => {
        const k1 = Math.log(e1 / (1 - e1));
        const k2 = Math.log(e2 / (1 - e2));
        const f = pairLogitValue(k1, k2);
        expect(f).toBeCloseTo(Math.log(ocOverSc(e1, e2)), 9);
        expect(f).toBeCloseTo(referenceLogit(k1, k2), 12);
      }),
    );
  });

  it('is symmetric under φ → −φ (the branch degeneracy, §1.2)', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), fc.double({ min: -30, max: 30, noNaN: true }), (a, b) => {
        expect(pairLogitValue(-a, -b)).toBeCloseTo(pairLogitValue(a, b), 9);
      }),
    );
  });

  it('tensor f, loss and analytic gradient are finite for |φ| ≤ 100 and match double precision', () => {
    const vals = [-100, -60, -20, -5, -0.5, 0, 0.5, 5, 20, 60, 100];
    const a: number[] = [];
    const b: number[] = [];
    for (const u of vals) for (const v of vals) (a.push(u), b.push(v));
    const B = a.length;
    for (const yv of [0, 1]) {
      const out = tf.tidy(() => {
        const phi = tf.tensor2d([...a, ...b], [2 * B, 1]);
        const y = tf.fill([B], yv) as tf.Tensor1D;
        const w = tf.ones([B]) as tf.Tensor1D;
        const { loss, dPhi } = pairLossAndGrad(phi, y, w, 1);
        const f = pairLogit(tf.tensor1d(a), tf.tensor1d(b));
        return [loss, dPhi, f, bceWithLogits(f, y)];
      });
      const [loss, dPhi, f, l] = out.map((t) => Array.from(t.dataSync()));
      tf.dispose(out);
      for (const v of [...loss!, ...dPhi!, ...f!, ...l!]) expect(Number.isFinite(v)).toBe(true);
      for (let i = 0; i < B; i++) {
        // float32 relative precision on f ~ 1e-7 · |φ|; the loss and gradient are bounded.
        expect(Math.abs(f![i]! - pairLogitValue(a[i]!, b[i]!))).toBeLessThan(1e-4 * (1 + Math.abs(a[i]!) + Math.abs(b[i]!)));
        expect(Math.abs(l![i]! - pairLossValue(a[i]!, b[i]!, yv))).toBeLessThan(1e-4 * (1 + Math.abs(a[i]!) + Math.abs(b[i]!)));
        const [ga, gb] = pairLossGradValue(a[i]!, b[i]!, yv);
        expect(dPhi![i]!).toBeCloseTo(ga, 5);
        expect(dPhi![B + i]!).toBeCloseTo(gb, 5);
      }
    }
  });

  it('analytic dL/dφ equals tf autodiff of the weighted loss (negative weights included)', () => {
    const B = 64;
    const a = Array.from({ length: B }, (_, i) => -6 + 0.17 * i);
    const b = Array.from({ length: B }, (_, i) => 3 - 0.11 * i);
    const y = Array.from({ length: B }, (_, i) => (i % 7 === 0 ? 0 : 1));
    const w = Array.from({ length: B }, (_, i) => (i % 5 === 0 ? -0.5 : 1.3));
    const [analytic, auto] = tf.tidy(() => {
      const yT = tf.tensor1d(y);
      const wT = tf.tensor1d(w);
      const phi = tf.tensor2d([...a, ...b], [2 * B, 1]);
      const { dPhi } = pairLossAndGrad(phi, yT, wT, 17);
      const g = tf.grad((p: tf.Tensor) => {
        const flat = tf.reshape(p, [2 * B]);
        const f = pairLogit(tf.slice(flat, [0], [B]), tf.slice(flat, [B], [B]));
        return tf.div(tf.sum(tf.mul(wT, bceWithLogits(f, yT))), 17);
      })(phi);
      return [dPhi.dataSync(), g.dataSync()];
    });
    for (let i = 0; i < 2 * B; i++) expect(analytic![i]!).toBeCloseTo(auto![i]!, 6);
  });

  it('double-precision gradient agrees with a central finite difference', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -8, max: 8, noNaN: true }),
        fc.double({ min: -8, max: 8, noNaN: true }),
        fc.constantFrom(0, 1),
        (a, b, y) => {
          const h = 1e-5;
          const [ga, gb] = pairLossGradValue(a, b, y);
          expect(ga).toBeCloseTo((pairLossValue(a + h, b, y) - pairLossValue(a - h, b, y)) / (2 * h), 5);
          expect(gb).toBeCloseTo((pairLossValue(a, b + h, y) - pairLossValue(a, b - h, y)) / (2 * h), 5);
        },
      ),
    );
  });

  it('label y = 1 for OC: the loss of a true OC pair is small when both ε are small', () => {
    // ε = 1 % each: P(OC) = 1 − ε12 ≈ 0.98, so BCE with y = 1 ≈ −log 0.98 and with y = 0 ≈ −log 0.02.
    const k = Math.log(0.01 / 0.99);
    expect(pairLossValue(k, k, 1)).toBeCloseTo(-Math.log(1 - (0.02 - 2e-4)), 9);
    expect(pairLossValue(k, k, 0)).toBeCloseTo(-Math.log(0.02 - 2e-4), 9);
    expect(sig(pairLogitValue(k, k))).toBeCloseTo(1 - 0.0198, 9);
  });
});
