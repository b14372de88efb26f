/**
 * Bias and spread against the truth events per toy, across the scan points (plot scaling): per point and
 * estimator the summary's pooled relative bias with its error, and the median over used bins of σ(ε̂)/ε
 * (metric medianRelSigma) with the error of a standard deviation from the successful toys.
 */
import { scalingPlot } from '../../report/index.js';
import { addPlot, estimatorsFor, okToys, summaryOf, type PlotContext } from './plotContext.js';
import type { ResolvedPlot } from './resolvePlots.js';

export function scaling(ctx: PlotContext, entry: ResolvedPlot): void {
  addPlot(ctx, 'scaling-vs-n', () => {
    const rows = [];
    for (const point of ctx.study.points.filter((p) => entry.points.includes(p.label))) {
      for (const e of estimatorsFor(ctx, entry, point.label)) {
        const s = summaryOf(ctx, point.label, e.name);
        if (!s) continue;
        const bias = s.metrics.pooledRelBias ?? NaN;
        const err = s.metrics.pooledRelBiasErr ?? NaN;
        const sigma = s.metrics.medianRelSigma ?? NaN;
        if (!Number.isFinite(bias) || !Number.isFinite(sigma)) continue;
        const ok = okToys(s);
        rows.push({
          estimator: e.name,
          n: point.events,
          bias,
          biasErr: err,
          sigma,
          ...(ok > 1 ? { sigmaErr: sigma / Math.sqrt(2 * (ok - 1)) } : {}),
        });
      }
    }
    if (rows.length === 0) return 'no point has a bin expecting ≥ 5 flips';
    return scalingPlot({
      rows,
      biasTitle: 'pooled relative bias (bins weighted by expected flips, dimensionless)',
      spreadTitle: 'median over bins of σ(ε̂)/ε · √N',
      nTitle: 'truth Z→ee events per toy N (log scale)',
      caption: `Bias should scatter around 0 within its error at every N, and σ·√N stay flat (σ = spread over ${ctx.summary.toys.recorded} toys); bias that persists at large N is the estimator's, not statistics'.`,
    });
  });
}
