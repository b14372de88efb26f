/**
 * The streamed binned fit (`qmisid fit`, chunk by chunk) equals the whole-table fit bit for bit: the pair and
 * truth sums run in event order across chunks, so cutting the table into chunks changes no rounding. Weights
 * here are not dyadic (random in (0.5, 1.5)), so a change of summation order would show in the last bits.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Binning } from '../../src/binning/Binning.js';
import type { EventTable } from '../../src/events/columns.js';
import { BinnedTableAccumulator } from '../../src/fit/BinnedTableAccumulator.js';
import {
  accumulatorOptions,
  fitAccumulated,
  fitBinnedTable,
  type BinnedFitResult,
  type BinnedTableFitOptions,
} from '../../src/fit/fitBinned.js';
import { createRng } from '../../src/rng.js';
import { FIT_WEIGHT, SELECTION_DEFAULTS, selectedTable, selectRows } from '../../src/selection/selection.js';
import { truthMatchedRates } from '../../src/truth/truthMatchedRates.js';
import { toyTable } from '../truth/toyTable.js';

const binning = Binning.fromEdges([0, 1.37, 2.47], [25, 60, 1000]);

function fitBytes(f: BinnedFitResult): string {
  const h = createHash('sha256');
  const nums = [...f.eps, ...f.err, ...f.errSandwich, ...f.cov.flat(), ...f.covSandwich.flat(), f.nll, f.counts.sumW];
  h.update(new Uint8Array(Float64Array.from(nums).buffer));
  h.update(JSON.stringify([f.status, f.binStatus, f.iterations, f.counts]));
  return h.digest('hex');
}

function slice(t: EventTable, a: number, b: number): EventTable {
  return { n: b - a, columns: Object.fromEntries(Object.entries(t.columns).map(([k, v]) => [k, v.subarray(a, b)])) };
}

/** The table cut at `cuts` (row indices), in order. */
function chunks(t: EventTable, cuts: number[]): EventTable[] {
  const at = [0, ...cuts, t.n];
  return at.slice(1).map((b, k) => slice(t, at[k]!, b));
}

function table(): EventTable {
  const t = toyTable(binning, { n: 20_000, seed: 'acc', eps: (pt, a) => 0.002 + 0.01 * a + pt * 1e-5, outside: 0.02, sideband: 0.3 });
  const rng = createRng('acc-w');
  t.columns.w = Float64Array.from({ length: t.n }, () => 0.5 + rng.uniform());
  return t;
}

function streamed(t: EventTable, cuts: number[], opts: BinnedTableFitOptions) {
  const acc = new BinnedTableAccumulator(binning, { ...accumulatorOptions(opts), truth: true });
  for (const c of chunks(t, cuts)) acc.add(c);
  return { fit: fitAccumulated(acc, binning, opts), truth: acc.truth() };
}

describe('BinnedTableAccumulator', () => {
  const t = table();
  const cases: [string, BinnedTableFitOptions][] = [
    ['window, unit weights', {}],
    ['window, w column', { weightColumn: 'w' }],
    ['sideband-subtracted, w column', { region: 'sideband-subtracted', selection: SELECTION_DEFAULTS, weightColumn: 'w' }],
    ['all events', { region: 'all' }],
  ];
  it.each(cases)('%s: fit and truth rates over chunks are bit-identical to the whole table', (_, opts) => {
    const whole = fitBinnedTable(t, binning, opts);
    const sel = selectRows(t, opts.region ?? 'window', {
      ...(opts.selection ? { selection: opts.selection } : {}),
      ...(opts.weightColumn ? { base: t.columns[opts.weightColumn]! } : {}),
    });
    const truthWhole = truthMatchedRates(selectedTable(t, sel), binning, sel.w ? { weightColumn: FIT_WEIGHT } : {});
    for (const cuts of [[], [1], [7000, 7001, 13_333], [4096, 8192, 12_288, 16_384]]) {
      const s = streamed(t, cuts, opts);
      expect(fitBytes(s.fit)).toBe(fitBytes(whole));
      expect(s.truth.events).toBe(sel.rows.length);
      expect(Buffer.from(s.truth.rates.rate.buffer).equals(Buffer.from(truthWhole.rate.buffer))).toBe(true);
      expect(Buffer.from(s.truth.rates.meanTruthEps.buffer).equals(Buffer.from(truthWhole.meanTruthEps.buffer))).toBe(true);
      expect(Array.from(s.truth.rates.sumW)).toEqual(Array.from(truthWhole.sumW));
    }
  });

  it('the comparison can fail: leaving out one chunk changes the fit', () => {
    const whole = fitBinnedTable(t, binning, { weightColumn: 'w' });
    const acc = new BinnedTableAccumulator(binning, { weightColumn: 'w' });
    const cs = chunks(t, [5000, 10_000]);
    acc.add(cs[0]!);
    acc.add(cs[2]!);
    expect(fitBytes(fitAccumulated(acc, binning, { weightColumn: 'w' }))).not.toBe(fitBytes(whole));
  });

  it('a bad sc value names its row counted across chunks; no chunk at all is an error', () => {
    const bad = slice(t, 0, 2000);
    const sc = Uint8Array.from(bad.columns.sc!);
    const region = bad.columns.region!;
    const k = Array.from(region).findIndex((r, i) => r === 0 && i > 1500 && bad.columns.pt1![i]! < 1000 && bad.columns.pt2![i]! < 1000);
    sc[k] = 2;
    const acc = new BinnedTableAccumulator(binning, {});
    acc.add(slice(t, 0, 1000));
    expect(() => acc.add({ n: bad.n, columns: { ...bad.columns, sc } })).toThrow(new RegExp(`sc: expected 0 or 1 at row ${1000 + k + 1}`));
    expect(() => new BinnedTableAccumulator(binning, {}).result()).toThrow(/no events to fit/);
  });
});
