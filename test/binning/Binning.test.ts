import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Binning, DEFAULT_ETA_EDGES, DEFAULT_PT_EDGES } from '../../src/binning/Binning.js';
import { assignBins } from '../../src/binning/assignBins.js';
import { ConfigError, DataError } from '../../src/errors.js';
import { emptyTable } from '../../src/events/columns.js';

describe('Binning', () => {
  const b = Binning.defaults();

  it('defaults: 7 |η| × 4 pT bins, |η|-major index, labels', () => {
    expect(b.size).toBe(28);
    expect(b.etaEdges).toEqual(DEFAULT_ETA_EDGES);
    expect(b.ptEdges).toEqual(DEFAULT_PT_EDGES);
    expect(b.index(30, 0.1)).toBe(0);
    expect(b.index(30, 1.6)).toBe(4 * 4 + 0);
    expect(b.label(16)).toBe('|η| 1.52–1.80, pT 25–60 GeV');
    expect(b.label(27)).toBe('|η| 2.00–2.47, pT 130–1000 GeV');
  });

  it('half-open bins: an inner edge belongs to the bin above; the last edge and NaN are outside', () => {
    expect(b.index(60, 0.2)).toBe(1);
    expect(b.index(25, 0.5)).toBe(4);
    expect(b.index(1000, 0.2)).toBe(-1);
    expect(b.index(24.999, 0.2)).toBe(-1);
    expect(b.index(30, 2.47)).toBe(-1);
    expect(b.index(NaN, 0.2)).toBe(-1);
    expect(b.index(30, NaN)).toBe(-1);
  });

  it('index agrees with a linear scan of the edges (random points)', () => {
    const scan = (edges: readonly number[], x: number): number => {
      for (let i = 0; i + 1 < edges.length; i++) if (x >= edges[i]! && x < edges[i + 1]!) return i;
      return -1;
    };
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1200, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), (pt, eta) => {
        const ie = scan(DEFAULT_ETA_EDGES, eta);
        const ip = scan(DEFAULT_PT_EDGES, pt);
        expect(b.index(pt, eta)).toBe(ie < 0 || ip < 0 ? -1 : ie * 4 + ip);
      }),
    );
  });

  it('bad edges are ConfigErrors naming the path and value', () => {
    expect(() => Binning.fromEdges([0, 1, 0.5], [25, 60])).toThrow(ConfigError);
    expect(() => Binning.fromEdges([0, 1, 0.5], [25, 60])).toThrow(/bins\.eta\[2\] = 0\.5: strictly increasing/);
    expect(() => Binning.fromEdges([0, 1], [25, 25])).toThrow(/bins\.pt\[1\]/);
    expect(() => Binning.fromEdges([0], [25, 60])).toThrow(/at least two edges/);
    expect(() => Binning.fromEdges([-1, 1], [25, 60])).toThrow(/bins\.eta\[0\]/);
    expect(() => Binning.fromEdges([0, NaN], [25, 60])).toThrow(/finite/);
  });

  it('assignBins: both electrons binned by |η|, outside counted, NaN is a DataError', () => {
    const t = emptyTable(3);
    const c = t.columns as Record<string, Float64Array>;
    c.pt1!.set([30, 70, 2000]);
    c.eta1!.set([-0.2, 1.9, 0.1]);
    c.pt2!.set([26, 30, 30]);
    c.eta2!.set([2.1, -2.6, 0.1]);
    const a = assignBins(t, b);
    expect(Array.from(a.bin1)).toEqual([0, 5 * 4 + 1, -1]);
    expect(Array.from(a.bin2)).toEqual([6 * 4 + 0, -1, 0]);
    expect(a.eventsOutside).toBe(2);
    expect(a.electronsOutside).toBe(2);
    c.pt2![1] = NaN;
    expect(() => assignBins(t, b, 'x.csv')).toThrow(DataError);
    expect(() => assignBins(t, b, 'x.csv')).toThrow(/x\.csv column pt2: non-finite value at row 2/);
  });
});
