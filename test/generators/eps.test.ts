import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { resolveGeneratorConfig } from '../../src/config/generatorConfig.js';
import { epsModel } from '../../generators/zee/epsModel.js';
import { erfc } from '../../generators/zee/normalTail.js';
import { erfc as libraryErfc } from '../../src/stats/index.js';

const analytic = () => epsModel(resolveGeneratorConfig({}).eps);

describe('truth ε models', () => {
  it('reproduces the values physics.md quotes at pT = 45 GeV (to the quoted digits)', () => {
    const e = analytic();
    // Tolerance: half a unit in the last quoted digit (the quote is rounded), nothing more.
    const quoted: [number, number, number][] = [
      [0.3, 9e-5, 0.5e-5],
      [0.9, 3.4e-4, 0.05e-4],
      [2.0, 3.9e-3, 0.05e-3],
      [2.45, 1.0e-2, 0.05e-2],
    ];
    for (const [eta, value, tol] of quoted) expect(Math.abs(e(45, eta, 0) - value)).toBeLessThanOrEqual(tol);
  });

  it('doubles the trident term in the crack, lets curvature dominate at TeV, and clips at 0.5', () => {
    const e = analytic();
    expect(e(45, 1.45, 0) / e(45, 1.3, 0)).toBeCloseTo(2 * Math.exp(2.2 * 0.15), 6);
    // Curvature: Q(1/(pT·k·σ∞·√(1+(pX/pT)²))) at 2 TeV, |η| = 0 is Q(0.98) = 0.164 — far above the trident part.
    const x = 1 / (2000 * 1.5 * 0.34e-3 * Math.sqrt(1 + (44 / 2000) ** 2));
    const trident = 2.5e-5 * (1 + 2000 / 50);
    expect(e(2000, 0, 0)).toBeCloseTo(trident + 0.5 * erfc(x / Math.SQRT2), 6);
    expect(e(1e6, 2.4, 0)).toBe(0.5);
  });

  it('erfc has the documented relative accuracy (1.2e-7) at reference points', () => {
    // Reference values of erfc (Abramowitz & Stegun table 7.1 / standard tables).
    const ref: [number, number][] = [
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [4, 1.541725790028002e-8],
      [6, 2.1519736712498913e-17],
    ];
    for (const [x, v] of ref) expect(Math.abs(erfc(x) / v - 1)).toBeLessThan(1.2e-7);
    expect(Math.abs(erfc(-1) - (2 - 0.15729920705028513))).toBeLessThan(1e-7);
  });

  it('the generator erfc (kept hand-written, docs/numerics.md) stays within 1.2e-7 of the library erfc on a grid', () => {
    // Grid over the range the generator uses: erfc argument up to 12/√2 (analyticEps.ts TAIL_CUTOFF = 12).
    let worst = 0;
    for (let x = -10; x <= 12 / Math.SQRT2; x += 0.001) worst = Math.max(worst, Math.abs(erfc(x) / libraryErfc(x) - 1));
    expect(worst).toBeLessThan(1.2e-7);
    // And it is not the library: a swap would move the truth ε (measured max 1.04e-7).
    expect(worst).toBeGreaterThan(1e-8);
  });

  it('multiplies the analytic ε by the sector factor only inside the φ range (with wrap-around)', () => {
    const base = analytic();
    const s = epsModel(resolveGeneratorConfig({ eps: { model: 'sector', factor: 4, phiRange: [0.5, 1.0] } }).eps);
    expect(s(45, 0.9, 0.7)).toBeCloseTo(4 * base(45, 0.9, 0.7), 12);
    expect(s(45, 0.9, 1.2)).toBe(base(45, 0.9, 1.2));
    const w = epsModel(resolveGeneratorConfig({ eps: { model: 'sector', factor: 3, phiRange: [3.0, -3.0] } }).eps);
    expect(w(45, 0.9, 3.1)).toBeCloseTo(3 * base(45, 0.9, 3.1), 12);
    expect(w(45, 0.9, -3.1)).toBeCloseTo(3 * base(45, 0.9, -3.1), 12);
    expect(w(45, 0.9, 0)).toBe(base(45, 0.9, 0));
  });

  it('looks up a binned map, extrapolating flat in pT', () => {
    const e = epsModel(
      resolveGeneratorConfig({
        eps: {
          model: 'binned',
          absEtaEdges: [0, 1, 2.5],
          ptEdges: [25, 50, 100],
          values: [
            [0.1, 0.2],
            [0.3, 0.4],
          ],
        },
      }).eps,
    );
    expect(e(30, 0.5, 0)).toBe(0.1);
    expect(e(70, 0.5, 0)).toBe(0.2);
    expect(e(30, 1.5, 0)).toBe(0.3);
    expect(e(500, 2.0, 0)).toBe(0.4);
    expect(e(10, 0.0, 0)).toBe(0.1);
  });

  it('rejects a user function that returns a non-probability, naming eps.fn', () => {
    const e = epsModel(resolveGeneratorConfig({ eps: { model: 'function', fn: (pt: number) => (pt > 100 ? 1.5 : 0.01) } }).eps);
    expect(e(50, 1, 0)).toBe(0.01);
    expect(() => e(150, 1, 0)).toThrow(ConfigError);
    expect(() => e(150, 1, 0)).toThrow(/eps\.fn/);
  });
});
