/**
 * SC closure of an estimator in pT, η and m_ee (plot closure; `variables` picks among them, default all; one
 * set per estimator, default every estimator of the point): OC events weighted by ε₁₂/(1 − ε₁₂) (eq. 1)
 * against the observed SC, from the closure histograms the summary sums over the successful toys.
 */
import { closurePlot } from '../../report/index.js';
import { slug } from '../../report/slug.js';
import { CLOSURE_VARIABLES } from '../studySchema.js';
import { finite } from '../toyRecord.js';
import { addPlot, estimatorsFor, idSuffix, pointNote, SERIES, summaryOf, type PlotContext } from './plotContext.js';
import type { ResolvedPlot } from './resolvePlots.js';

export function closurePanels(ctx: PlotContext, entry: ResolvedPlot): void {
  for (const label of entry.points) {
    for (const est of estimatorsFor(ctx, entry, label)) {
      const name = est.name;
      for (const v of entry.variables ?? CLOSURE_VARIABLES) {
        addPlot(ctx, `closure-${slug(name)}-${v.replace('_', '')}${idSuffix(ctx, label)}`, () => {
          const h = summaryOf(ctx, label, name)?.closureHist?.[v];
          if (!h) return `no closure histograms for ${name}`;
          const observed = h.observed.map(finite);
          const predicted = h.predicted.map(finite);
          // Stored per bin: the total χ² variance k·P + Σ_OC (w·r)², and the prediction's part Σ_OC (w·r)².
          const predVar = h.predictedVariance.map(finite);
          const predictedErr = predVar.map((v2) => Math.sqrt(Math.max(v2, 0)));
          const expectedVariance = h.variance.map((v2, b) => Math.max(finite(v2) - predVar[b]!, 0));
          const observedErr = observed.map((o) => Math.sqrt(Math.max(o, 0)));
          return closurePlot({
            variable: v,
            edges: h.edges,
            predicted,
            predictedErr,
            observed,
            observedErr,
            expectedVariance,
            title: `SC closure in ${v === 'm_ee' ? 'm_ee' : v === 'pt' ? 'pT' : 'η'}: ${SERIES[est.kind]} (${name})${pointNote(ctx, label)}`,
            caption:
              v === 'm_ee'
                ? "OC events weighted by ε₁₂/(1 − ε₁₂) (eq. 1) against the observed SC: a ratio dipping above the peak and rising below it is the flipped electron's energy loss, which a rate alone cannot move."
                : `OC events weighted by ε₁₂/(1 − ε₁₂) (eq. 1) against the observed SC, ${v === 'pt' ? 'pT' : 'η'} filled per electron: the ratio should sit at 1 within errors with χ²/ndf ≈ 1 (estimator uncertainty not included).`,
          });
        });
      }
    }
  }
}
