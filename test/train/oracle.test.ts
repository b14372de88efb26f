import { beforeAll, describe, expect, it } from 'vitest';
import { applyModel } from '../../src/train/apply.js';
import { selectBackend } from '../../src/train/backend.js';
import { trainOracle } from '../../src/train/oracle.js';
import { toyPairs } from '../../src/train/toyPairs.js';
import { binnedClosure, logitResidual } from './closure.js';

beforeAll(async () => {
  await selectBackend('auto');
});

describe('supervised oracle', () => {
  it('trained per electron on truth_flip, recovers ε within 3σ of the truth-counting rate in bulk bins', async () => {
    const table = toyPairs({ n: 50_000, seed: 'oracle' });
    const model = await trainOracle(table, { epochs: 8, batch: 4096, lr: 3e-3, seed: 4, progress: false });
    expect(model.kind).toBe('oracle');
    const { eps1, eps2 } = applyModel(model, table);
    // Bulk = bins with ≥ 50 truth flips; σ binomial of the counted rate (the oracle is fitted to those very
    // labels, so its deviation from the counts is at most of that size).
    const bulk = binnedClosure(table, eps1, eps2).filter((b) => b.flips >= 50);
    expect(bulk.length).toBeGreaterThanOrEqual(10);
    for (const b of bulk) expect(Math.abs(b.pull), b.bin).toBeLessThan(3);
    const res = logitResidual(table, eps1, eps2);
    console.log(`oracle: φ − κ mean ${res.mean.toFixed(4)}, rms ${res.rms.toFixed(4)}`);
    expect(res.rms).toBeLessThan(0.3 * res.kappaSd);
  });

  it('needs the truth flip columns', async () => {
    const t = toyPairs({ n: 200, seed: 'x' });
    const { truth_flip2: _f, ...rest } = t.columns;
    await expect(trainOracle({ n: t.n, columns: rest }, { epochs: 1, progress: false })).rejects.toThrow(/truth_flip2/);
  });
});
