import { describe, expect, it } from 'vitest';
import { Binning } from '../../src/binning/Binning.js';
import { DataError } from '../../src/errors.js';
import { fitBinnedTable } from '../../src/fit/fitBinned.js';
import { binAverage } from '../../src/truth/binAverage.js';
import { truthMatchedRates } from '../../src/truth/truthMatchedRates.js';
import { toyTable } from './toyTable.js';

const binning = Binning.fromEdges([0, 1.0, 1.8, 2.47], [25, 60, 1000]);
// Constant within each bin, so the binned fit's ε and the truth references estimate the same number.
const binEps = [2e-3, 1e-3, 1e-2, 5e-3, 4e-2, 2e-2];
const epsOf = (pt: number, absEta: number): number => binEps[binning.index(pt, absEta)] ?? 0.1;

describe('truth references', () => {
  const table = toyTable(binning, { n: 60000, seed: 'truth/rates', eps: epsOf, outside: 0.05, sideband: 0.2 });

  it('meanTruthEps is the exact average of truth_eps; electrons outside are skipped and counted', () => {
    const r = truthMatchedRates(table, binning);
    for (let k = 0; k < binning.size; k++) expect(Math.abs(r.meanTruthEps[k]! / binEps[k]! - 1)).toBeLessThan(1e-12);
    // 2n electrons, 5 % outside: the count is Binomial(120000, 0.05) = 6000 ± 75; 5σ.
    expect(Math.abs(r.electronsOutside - 6000)).toBeLessThan(5 * 75);
    expect(r.sumW.reduce((s, v) => s + v, 0) + r.electronsOutside).toBe(2 * table.n);
  });

  it('over listed rows with their weights = over a copy of those rows, bit for bit (fit: no table copy)', () => {
    const rows = Uint32Array.from({ length: table.n }, (_, i) => i).filter((i) => i % 3 !== 1);
    const w = Float64Array.from(rows, (i) => 0.5 + (i % 7));
    const copy = {
      n: rows.length,
      columns: {
        ...Object.fromEntries(Object.entries(table.columns).map(([k, v]) => [k, Float64Array.from(rows, (i) => v[i]!)])),
        wsel: w,
      },
    };
    const a = truthMatchedRates(copy, binning, { weightColumn: 'wsel' });
    const b = truthMatchedRates(table, binning, { rows, rowWeights: w });
    expect(b).toEqual(a);
    // Power: the whole table differs.
    expect(truthMatchedRates(table, binning).sumW).not.toEqual(a.sumW);
  });

  it('the flip rate per bin is within 4σ (its binomial error) of the truth ε', () => {
    const r = truthMatchedRates(table, binning);
    for (let k = 0; k < binning.size; k++) {
      expect(r.err[k]).toBeCloseTo(Math.sqrt((r.rate[k]! * (1 - r.rate[k]!)) / r.sumW[k]!), 12);
      expect(Math.abs(r.rate[k]! - binEps[k]!) / r.err[k]!).toBeLessThan(4);
    }
  });

  it('weighted: n_eff = (Σw)²/Σw², weights enter the mean', () => {
    const t = toyTable(binning, { n: 200, seed: 'truth/weights', eps: epsOf });
    const w = t.columns.w as Float64Array;
    for (let e = 0; e < t.n; e++) w[e] = e % 2 === 0 ? 1 : 3;
    const values = Float64Array.from({ length: t.n }, (_, e) => e % 2);
    const a = binAverage(values, values, t, binning, { weightColumn: 'w' });
    for (let k = 0; k < binning.size; k++) {
      if (a.sumW[k] === 0) continue;
      expect(a.nEff[k]).toBeCloseTo((a.sumW[k]! * a.sumW[k]!) / a.sumW2[k]!, 12);
    }
    // Odd rows have value 1 and weight 3: mean = 3 n_odd / (n_even + 3 n_odd) per bin, counted directly here.
    const nOdd = new Float64Array(binning.size);
    const nEven = new Float64Array(binning.size);
    for (let e = 0; e < t.n; e++) {
      for (const k of [1, 2]) {
        const b = binning.index(t.columns[`pt${k}`]![e]!, Math.abs(t.columns[`eta${k}`]![e]!));
        if (e % 2 === 1) nOdd[b]++;
        else nEven[b]++;
      }
    }
    for (let k = 0; k < binning.size; k++) {
      if (nOdd[k]! + nEven[k]! > 0) expect(a.mean[k]).toBeCloseTo((3 * nOdd[k]!) / (nEven[k]! + 3 * nOdd[k]!), 12);
    }
    const total = a.sumW.reduce((s, v) => s + v, 0);
    expect(total).toBe(2 * (100 * 1 + 100 * 3));
  });

  it('the binned fit of the same table agrees with the truth within 4σ of its own error, window region', () => {
    const fit = fitBinnedTable(table, binning, { region: 'window' });
    const truth = truthMatchedRates(table, binning);
    expect(fit.status).toBe('converged');
    expect(fit.labels[0]).toBe('|η| 0.00–1.00, pT 25–60 GeV');
    expect(fit.counts.eventsOutside).toBeGreaterThan(0);
    for (let k = 0; k < binning.size; k++) {
      // The truth ε is exact (constant per bin); the fit's own error is the only scatter.
      expect(Math.abs(fit.eps[k]! - binEps[k]!) / fit.err[k]!).toBeLessThan(4);
      expect(Number.isFinite(truth.rate[k]!)).toBe(true);
    }
  });

  it('missing truth column and NaN kinematics are typed errors naming the column', () => {
    const t = toyTable(binning, { n: 10, seed: 'truth/bad', eps: epsOf });
    const { truth_flip2: _drop, ...rest } = t.columns;
    expect(() => truthMatchedRates({ n: t.n, columns: rest }, binning)).toThrow(/truth_flip2: missing column/);
    (t.columns.eta1 as Float64Array)[3] = NaN;
    expect(() => truthMatchedRates(t, binning)).toThrow(DataError);
    expect(() => truthMatchedRates(t, binning)).toThrow(/eta1: non-finite value at row 4/);
  });
});
