/**
 * Mean estimate / mean truth per (|η|, pT) bin over the successful toys (plot ratioMap), one map per estimator
 * (default: every estimator of the point), from the summary's per-bin means.
 */
import { ratioMapPlot } from '../../report/index.js';
import { slug } from '../../report/slug.js';
import type { BinSummary } from '../summarizeEstimator.js';
import { addPlot, estimatorsFor, idSuffix, okToys, pointNote, SERIES, summaryOf, type PlotContext } from './plotContext.js';
import type { ResolvedPlot } from './resolvePlots.js';

export function ratioMap(ctx: PlotContext, entry: ResolvedPlot): void {
  for (const label of entry.points) {
    for (const est of estimatorsFor(ctx, entry, label)) {
      const name = est.name;
      addPlot(ctx, `ratio-map-${slug(name)}${idSuffix(ctx, label)}`, () => {
        const s = summaryOf(ctx, label, name);
        if (!s || s.bins.length === 0) return `no successful ${name} toy`;
        const cells = s.bins.map((b: BinSummary) => {
          const i = Math.floor(b.bin / ctx.nPt);
          const j = b.bin % ctx.nPt;
          const ok = b.used && Number.isFinite(b.estimate) && b.truth > 0;
          return {
            etaLo: ctx.eta[i]!,
            etaHi: ctx.eta[i + 1]!,
            ptLo: ctx.pt[j]!,
            ptHi: ctx.pt[j + 1]!,
            ratio: ok ? b.estimate / b.truth : null,
            ...(ok && Number.isFinite(b.residualErr) ? { err: b.residualErr / b.truth } : {}),
          };
        });
        return ratioMapPlot({
          estimator: `${SERIES[est.kind]} (${name})${pointNote(ctx, label)}`,
          cells,
          naMeaning: 'empty, or fewer than 5 expected flips',
          caption: `Mean estimate / mean truth per bin over ${okToys(s)} toy(s); want 1 within the printed error everywhere; "n/a" marks bins expecting fewer than 5 flips per toy (left out of every metric).`,
        });
      });
    }
  }
}
