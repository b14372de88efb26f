/**
 * The reference sample (reachable targets) computed on worker threads is the same bits as computed serially:
 * parts come back in any order and are summed in chunk order (referencePool.ts). Small sizes: 3 chunks of
 * 20k truth events per point, two scan points.
 */
import { describe, expect, it } from 'vitest';
import { Binning } from '../../src/binning/Binning.js';
import { parseStudy } from '../../src/study/loadStudy.js';
import { resolveStudy } from '../../src/study/resolveStudy.js';
import { generate } from '../../src/study/runToy.js';
import { referenceJobs, referenceTargets } from '../../src/study/verdict/referenceTargets.js';
import { referencePool } from '../../src/study/verdict/referencePool.js';

const study = resolveStudy(
  parseStudy({
    name: 'ref',
    description: 'd',
    seed: 7,
    toys: 1,
    events: 6000,
    reference: { scale: 10 },
    binning: { eta: [0, 1.37, 2.47], pt: [25, 40, 1000] },
    scan: [{ label: 'a' }, { label: 'b', generator: { selection: { window: [85, 97] } } }],
    estimators: [{ name: 't', kind: 'truthMatched' }],
  }),
);

describe('reference targets on worker threads', () => {
  it('equal the serial ones bit for bit, for 2 and 3 threads', async () => {
    const binning = Binning.fromEdges(study.binning.eta, study.binning.pt);
    const chunk = 20_000;
    expect(referenceJobs(study, chunk).length).toBe(6);
    const serial = await referenceTargets(study, binning, generate, undefined, chunk);
    // Every bin of both points saw signal electrons, and some flipped: the comparison is not of empty sums.
    for (const p of Object.values(serial.points)) expect(Math.min(...p.count)).toBeGreaterThan(0);
    expect(serial.points.a!.flips.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    for (const threads of [2, 3]) {
      const parallel = await referenceTargets(study, binning, generate, referencePool(study, threads), chunk);
      expect(JSON.stringify(parallel)).toBe(JSON.stringify(serial));
    }
  }, 120_000);
});
