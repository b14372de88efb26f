/**
 * Numbers the builders compute themselves (Wilson intervals, χ², histogram moments, pull binning, the eq. 5
 * curve) against hand-derived values, and bad input → DataError naming the field.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DataError } from '../../src/errors.js';
import {
  closureChiSquare,
  closurePlot,
  coveragePlot,
  degeneracyCurve,
  degeneracyPlot,
  epsilonCurvePlot,
  histogramMoments,
  pullPlot,
  ratioMapPlot,
} from '../../src/report/index.js';
import { canonicalSvgIds } from '../../src/report/canonicalSvgIds.js';
import { logit, pairLogit } from '../../src/method/pairFunction.js';

function values(spec: unknown): Record<string, unknown>[][] {
  const out: Record<string, unknown>[][] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'values' && Array.isArray(x)) out.push(x as Record<string, unknown>[]);
        else walk(x);
      }
    }
  };
  walk(spec);
  return out;
}

describe('coveragePlot', () => {
  it('coverage plot rejects covered > n', () => {
    expect(() => coveragePlot({ rows: [{ estimator: 'a', level: 0.68, covered: 11, n: 10 }] })).toThrow(/rows\[0\]\.covered/);
  });
});

describe('closure χ²', () => {
  it('matches a hand computation and skips zero-variance bins', () => {
    // bins: (10 vs 8, σ² = 8 + 1) + (4 vs 5, σ² = 5 + 0) + (0 vs 0, σ² = 0: skipped)
    const r = closureChiSquare([10, 4, 0], [8, 5, 0], [9, 5, 0]);
    expect(r.chi2).toBeCloseTo(4 / 9 + 1 / 5, 12);
    expect(r.ndf).toBe(2);
  });
  it('the plot states Pearson χ²/ndf (variance from the prediction) and subtracts fitted parameters', () => {
    const p = closurePlot({
      variable: 'm_ee',
      edges: [80, 90, 100, 110],
      predicted: [100, 200, 100],
      observed: [110, 190, 100],
      fittedParameters: 1,
    });
    const chi2 = 100 / 100 + 100 / 200;
    expect(p.facts!.ndf).toBe(2);
    expect(Number(p.facts!['χ²'])).toBeCloseTo(chi2, 3);
    expect(JSON.stringify(p.spec)).toContain(`χ²/ndf = ${chi2.toFixed(1)}/2`);
  });
  it('bin count mismatch is a DataError naming the array', () => {
    expect(() => closurePlot({ variable: 'pt', edges: [25, 30, 40], predicted: [1, 2, 3], observed: [1, 2] })).toThrow(/predicted/);
  });
});

describe('histogramMoments', () => {
  it('mean and RMS at bin centres', () => {
    // centres 1, 3, 5 with counts 1, 2, 1: mean 3, variance (4 + 0 + 4)/4 = 2
    const m = histogramMoments([0, 2, 4, 6], [1, 2, 1]);
    expect(m.mean).toBeCloseTo(3, 12);
    expect(m.rms).toBeCloseTo(Math.SQRT2, 12);
    expect(m.meanErr).toBeCloseTo(Math.SQRT2 / 2, 12);
  });
});

describe('pullPlot', () => {
  it('bins every pull once, counts under/overflow, and falls back to sample moments', () => {
    const pulls = [-6, -1.2, -0.2, 0, 0.3, 0.3, 1.7, 4.99, 5, 7];
    const p = pullPlot({ label: 'x', pulls, bins: 10 });
    const bars = values(p.spec).find((v) => v.length === 10 && 'count' in v[0]!)!;
    const inRange = bars.reduce((a, b) => a + (b.count as number), 0);
    expect(inRange).toBe(7);
    expect(p.facts!['underflow / overflow']).toBe('1 / 2');
    expect(p.facts!['width from']).toBe('sample mean, s.d.');
    const mean = pulls.reduce((a, b) => a + b, 0) / pulls.length;
    expect(String(p.facts!['pull mean'])).toMatch(new RegExp(`^${mean.toPrecision(3).replace('.', '\\.')}`));
  });
  it('the fitted Gaussian curve integrates to the number of toys', () => {
    const pulls = Array.from({ length: 200 }, (_, i) => -2 + (4 * i) / 199);
    const p = pullPlot({ label: 'x', pulls, fit: { mean: 0, meanErr: 0.1, sigma: 1, sigmaErr: 0.05 }, range: [-8, 8], bins: 32 });
    const curve = values(p.spec)
      .find((v) => 'curve' in v[0]!)!
      .filter((r) => String(r.curve).startsWith('Gaussian'));
    const dx = (curve[1]!.x as number) - (curve[0]!.x as number);
    const area = curve.reduce((a, r) => a + (r.y as number), 0) * dx; // in toys·(pull units); divide by bin width
    expect(area / 0.5).toBeCloseTo(200, 0);
  });
  it('a NaN pull is a DataError naming its index', () => {
    expect(() => pullPlot({ label: 'x', pulls: [0, Number.NaN] })).toThrow(DataError);
    expect(() => pullPlot({ label: 'x', pulls: [0, Number.NaN] })).toThrow(/pulls\[1\]/);
  });
});

describe('epsilonCurvePlot', () => {
  it('leaves out ε ≤ 0 (log axis) and says how many', () => {
    const p = epsilonCurvePlot({
      variable: 'pt',
      truth: [
        { x: 30, eps: 1e-4 },
        { x: 40, eps: 2e-4 },
      ],
      binned: [
        { x: 30, eps: 0, err: 1e-4 },
        { x: 40, eps: 3e-4, err: 5e-4 },
      ],
    });
    expect(p.facts!['points with ε ≤ 0 (not drawn)']).toBe(1);
    const rows = values(p.spec)[0]!;
    expect(rows).toHaveLength(3);
    // The lower error bar of the (40, 3e-4 ± 5e-4) point is clipped to the positive axis floor.
    const b = rows.find((r) => r.series === 'binned fit')!;
    expect(b.lo as number).toBeGreaterThan(0);
    expect(b.lo as number).toBeLessThan(1e-4);
  });
  it('rejects an unknown variable and a φ point without a band', () => {
    expect(() => epsilonCurvePlot({ variable: 'eta' as never, truth: [{ x: 1, eps: 1e-3 }] })).toThrow(/variable/);
    expect(() => epsilonCurvePlot({ variable: 'pt', phi: [{ x: 1, eps: 1e-3 } as never] })).toThrow(/phi\[0\]\.lo/);
  });
});

describe('ratioMapPlot', () => {
  it('diverging domain symmetric about 1, clamped to [0, 2]', () => {
    const cell = (ratio: number | null) => ({ etaLo: 0, etaHi: 1, ptLo: 25, ptHi: 50, ratio });
    const spec = JSON.stringify(ratioMapPlot({ estimator: 'e', cells: [cell(0.9), cell(1.3), cell(null)] }).spec);
    expect(spec).toContain('"domain":[0.7,1.3]');
    expect(spec).toContain('"domainMid":1');
    const wild = JSON.stringify(ratioMapPlot({ estimator: 'e', cells: [cell(5)] }).spec);
    expect(wild).toContain('"domain":[0,2]');
  });
  it('"largest |ratio − 1|" is the deviation, and the cell is named with its ratio (issue 11 item 7)', () => {
    const cells = [
      { etaLo: 0, etaHi: 0.5, ptLo: 25, ptHi: 60, ratio: 1.02 },
      { etaLo: 1.52, etaHi: 1.8, ptLo: 60, ptHi: 90, ratio: 0.85 },
      { etaLo: 2, etaHi: 2.47, ptLo: 25, ptHi: 60, ratio: 1.1 },
      { etaLo: 1.37, etaHi: 1.52, ptLo: 25, ptHi: 60, ratio: null },
    ];
    const facts = ratioMapPlot({ estimator: 'e', cells }).facts!;
    expect(facts['largest |ratio − 1|']).toBe('0.15');
    expect(facts['largest |ratio − 1| cell']).toBe('|η| 1.52–1.80, pT 60–90 GeV (ratio 0.85)');
  });
});

describe('eq. 5 degeneracy curve', () => {
  it('every point keeps f(φ_A, φ_B) = C', () => {
    fc.assert(
      fc.property(fc.double({ min: -12, max: -0.5, noNaN: true }), fc.double({ min: -12, max: -0.5, noNaN: true }), (a, b) => {
        const C = pairLogit(a, b);
        const pts = degeneracyCurve(C, a, 200);
        expect(pts.length).toBeGreaterThan(150);
        for (const p of pts) {
          // Far out on the arms φ_B → −C exponentially: f is flat in φ_A there, so compare f itself.
          expect(Math.abs(pairLogit(p.phiA, p.phiB) - C)).toBeLessThan(1e-9 * Math.max(1, Math.abs(C)));
          expect(p.epsA).toBeLessThan(0.5);
          expect(p.epsB).toBeLessThan(0.5);
        }
      }),
      { numRuns: 50 },
    );
  });
  it('the plot uses C of the truth point and its curve runs through it', () => {
    const tA = 1e-4;
    const tB = 4e-3;
    const p = degeneracyPlot({ truth: { epsA: tA, epsB: tB }, members: [{ member: 0, epsA: 2e-4, epsB: 3.9e-3 }] });
    const C = pairLogit(logit(tA), logit(tB));
    expect(Number(p.facts!.C)).toBeCloseTo(C, 4);
    const curve = values(p.spec).find((v) => 'order' in v[0]!)!;
    // Nearest curve point in log ε: within the sampling step of the truth point.
    const d = Math.min(...curve.map((r) => Math.hypot(Math.log((r.epsA as number) / tA), Math.log((r.epsB as number) / tB))));
    expect(d).toBeLessThan(0.1);
  });
  it('rejects ε outside (0, 1)', () => {
    expect(() => degeneracyPlot({ truth: { epsA: 0, epsB: 0.1 }, members: [{ member: 0, epsA: 0.1, epsB: 0.1 }] })).toThrow(/truth\.epsA/);
  });
});

describe('canonicalSvgIds', () => {
  it('renumbers ids in order of appearance and rewrites references', () => {
    const a = '<clipPath id="clip7"/><g clip-path="url(#clip7)"/><clipPath id="clip9"/><use href="#clip9"/>';
    const b = '<clipPath id="clip1"/><g clip-path="url(#clip1)"/><clipPath id="clip2"/><use href="#clip2"/>';
    expect(canonicalSvgIds(a)).toBe(b);
    expect(canonicalSvgIds(a.replace(/clip7/g, 'clip21').replace(/clip9/g, 'clip22'))).toBe(b);
  });
});
