/** OC and SC m_ee spectra of a scan point, summed over the successful toys (plot massSpectra; summary `mass`). */
import { massSpectraPlot } from '../../report/index.js';
import { addPlot, idSuffix, pointNote, pointSummary, type PlotContext } from './plotContext.js';
import type { ResolvedPlot } from './resolvePlots.js';

export function massSpectra(ctx: PlotContext, entry: ResolvedPlot): void {
  for (const label of entry.points) {
    addPlot(ctx, `mass-spectra${idSuffix(ctx, label)}`, () => {
      const mass = pointSummary(ctx, label)?.mass;
      if (!mass) return 'no m_ee spectra in the toy records';
      return massSpectraPlot({
        edges: mass.edges,
        oc: mass.oc,
        sc: mass.sc,
        title: `OC and SC m_ee spectra${pointNote(ctx, label)}`,
        caption: `Selected events (window and sidebands, ${mass.toys} toy(s) summed), each spectrum normalised to unit area: the SC peak sits lower and is wider because a flipped electron loses energy; the facts give the SC − OC mean shift.`,
      });
    });
  }
}
