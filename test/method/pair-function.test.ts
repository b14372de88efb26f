import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  degeneratePartner,
  eps12,
  logit,
  ocOverSc,
  pairLogit,
  pairLogitGrad,
  scOverOcFromPhi,
  sigmoid,
} from '../../src/method/pairFunction.js';

// Flip probabilities across the physical range, log-uniform from 1e-7 to 0.5.
const epsArb = fc.double({ min: Math.log(1e-7), max: Math.log(0.4999), noNaN: true }).map(Math.exp);
const phiArb = fc.double({ min: -100, max: 100, noNaN: true });
const close = (a: number, b: number, rel: number, abs = 0) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;

describe('pair function (note eq. 1-5)', () => {
  it('f(κ1, κ2) is the log of the OC/SC rate ratio of eq. 1 and sigmoid(f) = 1 − ε12', () => {
    fc.assert(
      fc.property(epsArb, epsArb, (e1, e2) => {
        const f = pairLogit(logit(e1), logit(e2));
        expect(close(f, Math.log(ocOverSc(e1, e2)), 1e-10, 1e-12)).toBe(true);
        expect(close(sigmoid(f), 1 - eps12(e1, e2), 1e-12, 1e-15)).toBe(true);
        // Label convention: an OC pair is the likely outcome, so P(OC) = sigmoid(f) > 1/2 on the physical branch.
        expect(sigmoid(f)).toBeGreaterThan(0.5);
        expect(close(scOverOcFromPhi(logit(e1), logit(e2)), eps12(e1, e2) / (1 - eps12(e1, e2)), 1e-9)).toBe(true);
      }),
    );
  });

  it('f is symmetric under e1 <-> e2 exactly and under φ -> −φ (ε <-> 1 − ε) to rounding', () => {
    fc.assert(
      fc.property(phiArb, phiArb, (a, b) => {
        expect(pairLogit(a, b)).toBe(pairLogit(b, a));
        expect(close(pairLogit(-a, -b), pairLogit(a, b), 1e-12, 1e-12 * (1 + Math.abs(a) + Math.abs(b)))).toBe(true);
      }),
    );
  });

  it('f and its gradient stay finite for |φ| up to 100, and the gradient matches finite differences', () => {
    fc.assert(
      fc.property(phiArb, phiArb, (a, b) => {
        const f = pairLogit(a, b);
        const [ga, gb] = pairLogitGrad(a, b);
        expect(Number.isFinite(f) && Number.isFinite(ga) && Number.isFinite(gb)).toBe(true);
        const h = 1e-5;
        const fdA = (pairLogit(a + h, b) - pairLogit(a - h, b)) / (2 * h);
        const fdB = (pairLogit(a, b + h) - pairLogit(a, b - h)) / (2 * h);
        // Central difference error O(h^2 f''') plus rounding ~ eps·|f|/h.
        const tol = 1e-6 + (2.3e-16 * (1 + Math.abs(f))) / h;
        expect(Math.abs(ga - fdA)).toBeLessThan(tol);
        expect(Math.abs(gb - fdB)).toBeLessThan(tol);
      }),
    );
    expect(pairLogit(100, 100)).toBeCloseTo(100 - Math.LN2, 12);
    expect(pairLogit(100, -100)).toBeCloseTo(Math.LN2 - 100, 12);
    expect(pairLogit(-100, -100)).toBeCloseTo(100 - Math.LN2, 12);
  });

  it('moving along eq. 5 keeps f constant, on both arms, and nowhere inside (−|C|, |C|)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -30, max: 30, noNaN: true }),
        fc.double({ min: 0.01, max: 40, noNaN: true }),
        fc.boolean(),
        (C, d, lower) => {
          const phi1 = lower ? -Math.abs(C) - d : Math.abs(C) + d;
          const phi2 = degeneratePartner(phi1, C);
          if (!Number.isFinite(phi2)) return; // partner beyond double range (e^φ2 under/overflows): nothing to check
          expect(close(pairLogit(phi1, phi2), C, 1e-8, 1e-8)).toBe(true);
          // The arms are mirror images: (−φ1, −φ2) lies on the curve too.
          expect(close(pairLogit(-phi1, -phi2), C, 1e-8, 1e-8)).toBe(true);
        },
      ),
    );
    expect(degeneratePartner(0, 3)).toBeNaN();
    expect(degeneratePartner(2.9, 3)).toBeNaN();
    expect(degeneratePartner(-2.9, -3)).toBeNaN();
  });
});
