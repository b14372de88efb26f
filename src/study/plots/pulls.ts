/**
 * Pull histogram of an estimator at a scan point (plot pulls; default every estimator): the summary's pooled
 * pulls (ε̂ − truth)/σ̂ over the toys and the used bins, with the Gaussian of their sample mean and width
 * (metrics pullMean, pullWidth and their errors, src/study/metrics/pullStats.ts).
 */
import { pullPlot } from '../../report/index.js';
import { slug } from '../../report/slug.js';
import { addPlot, estimatorsFor, idSuffix, okToys, pointNote, SERIES, summaryOf, type PlotContext } from './plotContext.js';
import type { ResolvedPlot } from './resolvePlots.js';

export function pulls(ctx: PlotContext, entry: ResolvedPlot): void {
  for (const label of entry.points) {
    for (const e of estimatorsFor(ctx, entry, label)) {
      addPlot(ctx, `pulls-${slug(e.name)}${idSuffix(ctx, label)}`, () => {
        const s = summaryOf(ctx, label, e.name);
        const values = s?.pulls ?? [];
        if (values.length < 2 || !s)
          return `${e.name}: fewer than two pulls (no per-bin errors: ${e.kind === 'phi' || e.kind === 'oracle' ? 'a single-member ensemble has none' : 'no successful toy'})`;
        const m = s.metrics;
        const fit = [m.pullMean, m.pullMeanErr, m.pullWidth, m.pullWidthErr].every((x) => x != null && Number.isFinite(x))
          ? { mean: m.pullMean!, meanErr: m.pullMeanErr!, sigma: m.pullWidth!, sigmaErr: m.pullWidthErr! }
          : undefined;
        return pullPlot({
          label: `${SERIES[e.kind]} (${e.name})${pointNote(ctx, label)}`,
          pulls: values,
          ...(fit ? { fit } : {}),
          failed: s.toys - okToys(s),
          caption: `(ε̂ − truth)/σ̂ for every toy and every bin expecting ≥ 5 flips (${values.length} pulls); the Gaussian is the maximum-likelihood fit (sample mean and width): want μ ≈ 0 and σ ≈ 1 within the quoted errors — σ > 1 means the reported errors are too small.`,
        });
      });
    }
  }
}
