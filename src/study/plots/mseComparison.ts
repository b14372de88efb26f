/** Per-electron MSE to the truth ε per point and estimator (plot mseComparison; summary metric mse), log scale. */
import { scanPlot, type ScanRow } from '../../report/index.js';
import { addPlot, estimatorsFor, summaryOf, type PlotContext } from './plotContext.js';
import type { ResolvedPlot } from './resolvePlots.js';

export function mseComparison(ctx: PlotContext, entry: ResolvedPlot): void {
  addPlot(ctx, 'mse-comparison', () => {
    const rows: ScanRow[] = [];
    for (const p of ctx.study.points.filter((q) => entry.points.includes(q.label))) {
      for (const e of estimatorsFor(ctx, entry, p.label)) {
        const v = summaryOf(ctx, p.label, e.name)?.metrics.mse;
        if (v != null && Number.isFinite(v) && v > 0) rows.push({ point: p.label, estimator: e.name, value: v });
      }
    }
    if (rows.length === 0) return 'no per-electron MSE recorded';
    return scanPlot({
      rows,
      yTitle: 'per-electron MSE ⟨(ε̂ − ε_truth)²⟩ (dimensionless)',
      logY: true,
      id: 'mse-comparison',
      title: 'Per-electron MSE to the truth ε',
      caption:
        'Lower is better: the network given the azimuth should beat both the (pT, |η|) binning and the same network without the azimuth.',
    });
  });
}
