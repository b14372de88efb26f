/**
 * Invariances: relabelling e1 ↔ e2 in every event, permuting the events, or changing the generator's
 * chunking / worker count leaves every result unchanged.
 *   - Binned fit: bit for bit. Pair counts are sums of weights per unordered bin pair; with unit weights and
 *     sideband weights −0.5 every partial sum is exact in binary, so the order of events cannot matter.
 *   - Generator: byte for byte (a block's rows depend only on the seed and the block index); the fit of the
 *     tables is then identical too. test/generators/generate-events.test.ts checks five fixed (chunk, worker)
 *     settings; here fast-check draws them.
 *   - φ-trainer: relabelling is an exact symmetry of f and of the data the batches hold, but the float32
 *     sums over rows run in another order (e1 rows, then e2 rows), so the weights differ from the first
 *     rounding on. Stated tolerance: every bin-averaged ε within 0.1σ (σ = binned fit error), an order of
 *     magnitude below the statistical precision. Permuting the events changes the split of the batches and
 *     so the optimisation path: stated tolerance 1σ — training noise must stay below the statistical error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import type { EventTable } from '../../src/events/columns.js';
import { fitBinnedTable, type BinnedFitResult } from '../../src/fit/fitBinned.js';
import { permuteEvents, swapElectrons as swapElectronsShared } from '../../src/check/properties/invariance.js';
import { SELECTION_DEFAULTS } from '../../src/selection/selection.js';
import { selectBackend } from '../../src/train/backend.js';
import { generateEvents } from '../../generators/zee/generateEvents.js';
import { columnBytes } from '../generators/helpers.js';
import { pick } from './support/heavy.js';
import { binnedCheck, epsShapeArb, PROPERTY_BINNING, trainedBinMeans, windowSample } from './support/zee.js';

const swapElectrons = swapElectronsShared;
const permute = (t: EventTable, seed: number): EventTable => permuteEvents(t, String(seed));

/** Every number of a fit result, as bytes: equal strings ⇔ bit-identical results. */
function fitBytes(f: BinnedFitResult): string {
  const h = createHash('sha256');
  const nums = [...f.eps, ...f.err, ...f.errSandwich, ...f.cov.flat(), ...f.covSandwich.flat(), ...f.hessian.flat(), f.nll, ...f.gradient];
  h.update(new Uint8Array(Float64Array.from(nums).buffer));
  h.update(JSON.stringify([f.status, f.binStatus, f.iterations, f.identifiability.identifiable]));
  return h.digest('hex');
}

beforeAll(async () => {
  await selectBackend('auto');
});

describe('binned fit and generator', () => {
  it('relabelling e1 ↔ e2 and permuting events leave the binned fit bit-identical (window and sideband-subtracted)', async () => {
    // Default physics (flip energy loss on), fake pairs on, large ε so bins hold same-charge events.
    const gen = await generateEvents({
      config: { eps: { model: 'analytic' as const, eps0: 5e-4 }, background: { fraction: 0.03 } },
      events: pick(60_000, 300_000),
      seed: 'invariance',
      workers: 0,
    });
    const table = gen.table!;
    const ref = {
      window: fitBytes(fitBinnedTable(table, PROPERTY_BINNING)),
      sub: fitBytes(fitBinnedTable(table, PROPERTY_BINNING, { region: 'sideband-subtracted', selection: SELECTION_DEFAULTS })),
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), (seed, swap) => {
        let t = permute(table, seed);
        if (swap) t = swapElectrons(t);
        expect(fitBytes(fitBinnedTable(t, PROPERTY_BINNING))).toBe(ref.window);
        expect(fitBytes(fitBinnedTable(t, PROPERTY_BINNING, { region: 'sideband-subtracted', selection: SELECTION_DEFAULTS }))).toBe(
          ref.sub,
        );
      }),
      { numRuns: pick(10, 50) },
    );
  });

  it('generator chunking and worker count change no byte of the table and no bit of the fit', async () => {
    const config = { blockSize: 4096, eps: { model: 'analytic' as const, eps0: 5e-4 }, background: { fraction: 0.03 } };
    const events = pick(30_000, 200_000);
    const ref = (await generateEvents({ config, events, seed: 'chunks', workers: 0 })).table!;
    const refFit = fitBytes(fitBinnedTable(ref, PROPERTY_BINNING));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40_000 }), fc.integer({ min: 0, max: 2 }), async (chunkEvents, workers) => {
        const t = (await generateEvents({ config, events, seed: 'chunks', workers, chunkEvents })).table!;
        expect(columnBytes(t)).toBe(columnBytes(ref));
        expect(fitBytes(fitBinnedTable(t, PROPERTY_BINNING))).toBe(refFit);
      }),
      { numRuns: pick(3, 12) },
    );
  });
});

describe('φ-trainer', () => {
  it('relabelling e1 ↔ e2 (same seed): bin-averaged ε within 0.1σ; permuting events: within 1σ', async () => {
    await fc.assert(
      fc.asyncProperty(epsShapeArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (shape, seed) => {
        const table = await windowSample(shape, 150_000, seed);
        const { fit, bulk } = binnedCheck(table);
        const base = await trainedBinMeans(table, seed);
        const swapped = await trainedBinMeans(swapElectrons(table), seed);
        const permuted = await trainedBinMeans(permute(table, seed), seed);
        const dSwap = bulk.map((k) => Math.abs(swapped.mean[k]! - base.mean[k]!) / fit.errSandwich[k]!);
        const dPerm = bulk.map((k) => Math.abs(permuted.mean[k]! - base.mean[k]!) / fit.errSandwich[k]!);
        console.log(
          `trainer invariance: max |Δ|/σ relabelled ${Math.max(...dSwap).toExponential(2)}, permuted ${Math.max(...dPerm).toFixed(3)}`,
        );
        bulk.forEach((k, q) => {
          expect(dSwap[q]!, `relabelled, ${PROPERTY_BINNING.label(k)}`).toBeLessThan(0.1);
          expect(dPerm[q]!, `permuted, ${PROPERTY_BINNING.label(k)}`).toBeLessThan(1);
        });
      }),
      { numRuns: pick(1, 4) },
    );
  });
});
