/**
 * Coverage bars at a scan point (plot coverage; default every estimator with pulls): the fraction of (toy, bin)
 * intervals that contain the truth at 68.27 % and 95 %, as counted once in the summary (coverage68/95 over its
 * pooled pulls, with Student-t quantiles for ensemble errors of errDof degrees of freedom).
 */
import { coveragePlot } from '../../report/index.js';
import { addPlot, estimatorsFor, idSuffix, summaryOf, type PlotContext } from './plotContext.js';
import type { ResolvedPlot } from './resolvePlots.js';

export function coverage(ctx: PlotContext, entry: ResolvedPlot): void {
  for (const label of entry.points) {
    const rows: { estimator: string; level: number; covered: number; n: number }[] = [];
    for (const e of estimatorsFor(ctx, entry, label)) {
      const s = summaryOf(ctx, label, e.name);
      const n = s?.pulls.length ?? 0;
      if (!s || n === 0) continue;
      const dof = s.metrics.errDof;
      const name = dof != null && Number.isFinite(dof) && dof >= 1 ? `${e.name} (t, ${dof} dof)` : e.name;
      // coverage68/95 are fractions of these n pulls: the counts come back exactly.
      rows.push({ estimator: name, level: 0.6827, covered: Math.round(s.metrics.coverage68! * n), n });
      rows.push({ estimator: name, level: 0.95, covered: Math.round(s.metrics.coverage95! * n), n });
    }
    addPlot(ctx, `coverage${idSuffix(ctx, label)}`, () =>
      rows.length === 0
        ? 'no estimator has per-bin errors'
        : coveragePlot({
            rows,
            caption:
              'Fraction of (toy, bin) intervals ε̂ ± σ̂ (and ± 1.96 σ̂) that contain the truth, with Wilson 68 % errors: each bar should reach its dashed nominal line; short bars mean under-estimated errors. Ensemble errors (a K-member spread) use the Student-t quantiles with K − 1 degrees of freedom instead of 1 and 1.96.',
          }),
    );
  }
}
