/**
 * The physical branch with a sub-population above ½: the latent electron's reachable target exceeds ½ for
 * strongly tagged flips while the bulk stays far below (docs/electrons.md). Both branch deciders must call
 * that physical (decided on the bulk), still call its mirror image the mirror, and still flag a real mix.
 * Deterministic (fixed seed); no statistical tolerance.
 */
import { describe, expect, it } from 'vitest';
import { branchCount, branchOf } from '../../src/identifiability/branchOf.js';
import { assessBranch } from '../../src/train/branch.js';
import { generateEvents } from '../../generators/zee/generateEvents.js';

describe('branch decided on the bulk', () => {
  it('a reachable target with a sub-population above ½ is the physical branch; its mirror is the mirror', async () => {
    const t = (
      await generateEvents({ config: { electron: { model: 'latent', trident: { a0: 0.2 } } }, events: 20000, seed: 8, workers: 0 })
    ).table!;
    const reach = Float64Array.from([...t.columns.eps_reach1!, ...t.columns.eps_reach2!]);
    const c = branchCount(reach);
    expect(c.above).toBeGreaterThan(20); // the sub-population exists
    expect(c.above / (c.above + c.below)).toBeLessThan(0.05);
    expect(c.branch).toBe('low');
    expect(branchOf(reach.map((e) => 1 - e))).toBe('high');
    const phi = Float32Array.from(reach, (e) => Math.log(Math.max(e, 1e-30) / Math.max(1 - e, 1e-30)));
    const b = assessBranch(phi);
    expect(b.branch).toBe('physical');
    expect(b.fracEpsAboveHalf).toBeGreaterThan(0);
    expect(assessBranch(phi.map((x) => -x)).branch).toBe('mirror');
  });

  it('still flags a genuine mix (no clear bulk) and honours the mixed fraction', () => {
    expect(branchOf([0.1, 0.9])).toBe('mixed');
    expect(branchOf([0.1, 0.1, 0.1, 0.9])).toBe('mixed'); // 25 % on the minority side
    expect(branchOf([0.1, 0.1, 0.1, 0.1, 0.9])).toBe('low');
    expect(branchOf([0.1, 0.1, 0.1, 0.1, 0.9], 0.1)).toBe('mixed');
  });
});
