/**
 * The binning-free closure scan on synthetic cells: observed counts drawn Poisson around the prediction give
 * a global p-value that is uniform (the pseudo-experiments calibrate the look-elsewhere effect), and a narrow
 * ×2 structure the prediction misses is found.
 *
 * Tolerances: over R = 60 null datasets (200 pseudo-experiments each) the fraction with p < 0.1 must stay
 * below 0.1 + 3·√(0.09/60) = 0.216 (one-sided 3σ); the ×2 bump (≈ 200 predicted electrons in its window,
 * a 10σ excess) must give p at the resolution floor 1/201.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/rng.js';
import { closureScanP, SCAN_CELLS, scanCellsIn } from '../../../src/study/verdict/closureScan.js';

function prediction(): number[] {
  // Smooth in the cells: a few to a few tens of electrons per cell.
  return Array.from({ length: SCAN_CELLS }, (_, c) => 2 + 30 * Math.exp(-(((c % 27) - 8) ** 2) / 40));
}

describe('closureScanP', () => {
  it('is calibrated under the null (Poisson cells around the prediction)', () => {
    const pred = prediction();
    const R = 60;
    let small = 0;
    for (let r = 0; r < R; r++) {
      const rng = createRng(`null/${r}`);
      const obs = pred.map((mu) => rng.poisson(mu));
      if (closureScanP(obs, pred, `scan/${r}`, 200).p < 0.1) small++;
    }
    expect(small / R).toBeLessThan(0.1 + 3 * Math.sqrt(0.09 / R));
  });

  it('finds a narrow x2 structure (one |eta| cell pair, 5 GeV of pT) that the prediction misses', () => {
    const pred = prediction();
    const rng = createRng('bump');
    const bump = new Set(scanCellsIn([0, 0.5], [40, 45]));
    expect(bump.size).toBe(4);
    const obs = pred.map((mu, c) => rng.poisson(bump.has(c) ? 2 * mu : mu));
    const r = closureScanP(obs, pred, 'scan/bump', 200);
    expect(r.p).toBeCloseTo(1 / 201, 12);
    expect(r.window!.eta[0]).toBe(0);
    expect(r.window!.pt[0]).toBeGreaterThanOrEqual(37.5);
    expect(r.window!.pt[1]).toBeLessThanOrEqual(47.5);
  });
});
