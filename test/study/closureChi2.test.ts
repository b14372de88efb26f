import { describe, expect, it } from 'vitest';
import { emptyTable } from '../../src/events/columns.js';
import { createRng } from '../../src/rng.js';
import { CLOSURE_EDGES, closureChi2 } from '../../src/study/metrics/closureChi2.js';

function sample(seed: string, n: number, eps: (eta: number) => number) {
  const rng = createRng(seed);
  const t = emptyTable(n);
  const c = t.columns;
  const e1 = new Float64Array(n);
  const e2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    c.eta1![i] = 4.9 * rng.uniform() - 2.45;
    c.eta2![i] = 4.9 * rng.uniform() - 2.45;
    c.pt1![i] = 30 + 40 * rng.uniform();
    c.pt2![i] = 26 + 4 * rng.uniform();
    c.m_ee![i] = 80 + 20 * rng.uniform();
    c.w![i] = 1;
    e1[i] = eps(c.eta1![i]!);
    e2[i] = eps(c.eta2![i]!);
    const p = e1[i]! + e2[i]! - 2 * e1[i]! * e2[i]!;
    c.sc![i] = rng.uniform() < p ? 1 : 0;
  }
  return { t, e1, e2 };
}

describe('closureChi2', () => {
  it('averages to χ² ≈ ndf when the rates are the true ones', () => {
    // 100 samples: the mean of χ²/ndf has standard error ≈ √(2/ndf/100); allow 4 of them.
    const eps = (eta: number) => 0.01 * Math.exp(Math.abs(eta));
    let sum = 0;
    let ndf = 0;
    const R = 100;
    for (let r = 0; r < R; r++) {
      const { t, e1, e2 } = sample(`closure-${r}`, 20000, eps);
      const h = closureChi2(t, e1, e2, 'eta');
      sum += h.chi2 / h.ndf;
      ndf = h.ndf;
    }
    expect(ndf).toBe(20);
    expect(Math.abs(sum / R - 1)).toBeLessThan(4 * Math.sqrt(2 / ndf / R));
  });

  it('stays near χ²/ndf = 1 with about one expected SC pair per bin (empty bins do not blow it up)', () => {
    // Pearson's E[(O − E)²/E] = 1 holds at any count; the variance per bin is ≈ 2 + 1/E ≤ 4 here, so the mean
    // of χ²/ndf over R samples has standard error ≤ √(4/ndf/R); allow 4 of them. (With the observed count as
    // variance, every empty bin predicted at ~1 would add ~1/0 to χ².)
    const eps = (eta: number) => 0.0005 * Math.exp(Math.abs(eta));
    let sum = 0;
    let empty = 0;
    const R = 200;
    for (let r = 0; r < R; r++) {
      const { t, e1, e2 } = sample(`sparse-${r}`, 6000, eps);
      const h = closureChi2(t, e1, e2, 'eta');
      sum += h.chi2 / h.ndf;
      empty += h.observed.filter((o) => o === 0).length;
    }
    expect(empty).toBeGreaterThan(R * 2); // the regime this test is about: many empty bins
    expect(Math.abs(sum / R - 1)).toBeLessThan(4 * Math.sqrt(4 / 20 / R));
  });

  it('flags rates that are wrong in shape (flat instead of rising with |η|)', () => {
    const eps = (eta: number) => 0.01 * Math.exp(Math.abs(eta));
    const { t, e1, e2 } = sample('closure-wrong', 50000, eps);
    const flat = Float64Array.from(e1, () => 0.01 * 2.6);
    const h = closureChi2(
      t,
      flat,
      Float64Array.from(e2, () => 0.01 * 2.6),
      'eta',
    );
    expect(h.chi2 / h.ndf).toBeGreaterThan(5);
  });

  it('predicts exactly when SC rows are the OC rows weighted by ε12/(1−ε12)', () => {
    const t = emptyTable(2);
    const c = t.columns;
    c.eta1!.set([0.1, 0.1]);
    c.eta2!.set([0.3, 0.3]);
    c.sc!.set([0, 1]);
    const p = 0.1 + 0.2 - 2 * 0.1 * 0.2;
    c.w!.set([1, p / (1 - p)]);
    const h = closureChi2(t, [0.1, 0.1], [0.2, 0.2], 'eta');
    expect(h.chi2).toBeCloseTo(0, 14);
    expect(h.observed.reduce((a, b) => a + b, 0)).toBeCloseTo((2 * p) / (1 - p), 14);
  });

  it('covariance form: one event filling two bins is one degree of freedom: the full covariance, not two independent bins', () => {
    // One OC event, electrons in η bins 10 and 11: D = (−r, −r), V = w²r·[[1, 1], [1, 1]] (rank 1),
    // so χ² = (2r)²/(4r) = r with ndf 1; the per-bin sum would say 2r with ndf 2.
    const t = emptyTable(1);
    t.columns.eta1!.set([0.1]);
    t.columns.eta2!.set([0.3]);
    t.columns.sc!.set([0]);
    t.columns.w!.set([1]);
    const h = closureChi2(t, [0.3], [0.01], 'eta', CLOSURE_EDGES.eta, 'covariance');
    const p = 0.3 + 0.01 - 2 * 0.3 * 0.01;
    const r = p / (1 - p);
    expect(h.ndf).toBe(1);
    expect(h.chi2).toBeCloseTo(r, 12);
    expect(h.variance[10]).toBeCloseTo(r, 12);
    // Both electrons in one bin: a = 2, variance 4·w²r, χ² again r with ndf 1.
    t.columns.eta2!.set([0.2]);
    const same = closureChi2(t, [0.3], [0.01], 'eta', CLOSURE_EDGES.eta, 'covariance');
    expect(same.ndf).toBe(1);
    expect(same.chi2).toBeCloseTo(r, 12);
    expect(same.variance[10]).toBeCloseTo(4 * r, 12);
  });

  it('covariance form, strongly tagged electrons (weights r ≈ 6): χ² follows the χ² law: mean ndf and variance 2·ndf over samples', () => {
    // 2 % of the electrons 1 are tagged (ε = 0.85, r ≈ 5.7), the rest ε = 0.002; both electrons' η bins are drawn
    // independently, so each event's residual lands in two bins. R = 300 samples: the mean of χ²/ndf has
    // standard error √(2/ndf/R) and the variance ratio var(χ²)/(2·ndf) has ≈ √((2 + 12/ndf)/R) (χ² kurtosis);
    // allow 4 of each.
    const R = 300;
    const chis: number[] = [];
    const perBin: number[] = [];
    let ndf = 0;
    for (let r = 0; r < R; r++) {
      const rng = createRng(`tagged-${r}`);
      const n = 3000;
      const t = emptyTable(n);
      const e1 = new Float64Array(n);
      const e2 = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        t.columns.eta1![i] = 2 * rng.uniform() - 1;
        t.columns.eta2![i] = 2 * rng.uniform() - 1;
        t.columns.w![i] = 1;
        e1[i] = rng.uniform() < 0.02 ? 0.85 : 0.002;
        e2[i] = 0.002;
        t.columns.sc![i] = rng.uniform() < e1[i]! + e2[i]! - 2 * e1[i]! * e2[i]! ? 1 : 0;
      }
      const h = closureChi2(t, e1, e2, 'eta', [-1, -0.6, -0.2, 0.2, 0.6, 1], 'covariance');
      chis.push(h.chi2);
      const old = closureChi2(t, e1, e2, 'eta', [-1, -0.6, -0.2, 0.2, 0.6, 1]);
      perBin.push(old.chi2 / old.ndf);
      ndf = h.ndf;
    }
    expect(ndf).toBe(5);
    const m = chis.reduce((a, b) => a + b, 0) / R;
    const v = chis.reduce((a, b) => a + (b - m) ** 2, 0) / (R - 1);
    expect(Math.abs(m / ndf - 1)).toBeLessThan(4 * Math.sqrt(2 / ndf / R));
    expect(Math.abs(v / (2 * ndf) - 1)).toBeLessThan(4 * Math.sqrt((2 + 12 / ndf) / R));
    // The per-bin form on the same samples: its OC-only variance is anti-correlated with the residual (measured
    // mean χ²/ndf ≈ 6), far outside the same 4 standard errors.
    expect(perBin.reduce((a, b) => a + b, 0) / R - 1).toBeGreaterThan(4 * Math.sqrt(2 / ndf / R));
  });
});
