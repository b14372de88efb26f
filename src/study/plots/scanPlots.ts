/**
 * Across the scan points (plots biasScan and biasOverSigmaScan): per point and estimator the summary's pooled
 * relative bias with its standard error — bins weighted by their expected flips, the number the criteria
 * judge; an unweighted mean over bins would let a sparse bin with a large relative bias dominate (issue 11:
 * +6 ± 3.6 % unweighted where the pooled metric gave +1.0 ± 0.6 %) — and the worst bin's |bias|/σ.
 */
import { scanPlot, type ScanRow } from '../../report/index.js';
import type { EstimatorSummary } from '../summarizeEstimator.js';
import { addPlot, estimatorsFor, summaryOf, type PlotContext } from './plotContext.js';
import type { ResolvedPlot } from './resolvePlots.js';

function scanRows(ctx: PlotContext, entry: ResolvedPlot, f: (s: EstimatorSummary) => { value: number; err?: number }): ScanRow[] {
  const points = ctx.study.points.filter((p) => entry.points.includes(p.label));
  const names = [...new Set(points.flatMap((p) => estimatorsFor(ctx, entry, p.label).map((e) => e.name)))];
  return points.flatMap((p) =>
    names.flatMap((n) => {
      const s = summaryOf(ctx, p.label, n);
      if (!s) return [];
      const v = f(s);
      return Number.isFinite(v.value)
        ? [{ point: p.label, estimator: n, value: v.value, ...(v.err != null && Number.isFinite(v.err) ? { err: v.err } : {}) }]
        : [];
    }),
  );
}

export function biasScan(ctx: PlotContext, entry: ResolvedPlot): void {
  addPlot(ctx, 'bias-scan', () => {
    const r = scanRows(ctx, entry, (s) => ({ value: s.metrics.pooledRelBias ?? NaN, err: s.metrics.pooledRelBiasErr ?? NaN }));
    if (r.length === 0) return 'no estimator has a bin expecting ≥ 5 flips';
    return scanPlot({
      rows: r,
      yTitle: 'pooled relative bias (bins weighted by expected flips, dimensionless)',
      reference: 0,
      id: 'bias-scan',
      title: `Relative bias across the ${ctx.study.name} scan`,
      caption:
        'Pooled relative bias over the bins expecting ≥ 5 flips (each bin weighted by its expected flips; the pooledRelBias metric of the criteria) with its standard error: how far each estimator drifts from 0 as the scanned effect grows, and whether the mitigation (window, sideband subtraction) brings it back.',
    });
  });
}

export function biasOverSigmaScan(ctx: PlotContext, entry: ResolvedPlot): void {
  addPlot(ctx, 'bias-over-sigma-scan', () => {
    const r = scanRows(ctx, entry, (s) => ({ value: s.metrics.maxAbsBiasOverSigma ?? NaN }));
    if (r.length === 0) return 'no estimator has a bin expecting ≥ 5 flips';
    return scanPlot({
      rows: r,
      yTitle: 'max over bins |bias|/σ (dimensionless)',
      id: 'bias-over-sigma-scan',
      title: `Largest bias in units of σ across the ${ctx.study.name} scan`,
      caption: "The worst bin's |⟨ε̂ − ε⟩|/σ (σ = spread over toys): values above 3–4 are a bias the errors do not cover.",
    });
  });
}
