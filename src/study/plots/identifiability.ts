/**
 * The binned fit's pairing graph at a scan point (plot identifiability): bins as nodes placed by (|η|, pT bin),
 * populated bin pairs as edges, coloured by connected component, with the bipartite components and flat Hessian
 * directions that make the fit non-identifiable. The fit is the binned-kind estimator among the entry's
 * estimators (default all), drawn from the toy the summary shows for it.
 */
import { identifiabilityPlot } from '../../report/index.js';
import { addPlot, estimatorsFor, idSuffix, ofKind, pointNote, summaryOf, toyNote, type PlotContext } from './plotContext.js';
import type { ResolvedPlot } from './resolvePlots.js';

export function identifiability(ctx: PlotContext, entry: ResolvedPlot): void {
  for (const label of entry.points) {
    const name = ofKind(estimatorsFor(ctx, entry, label), 'binned');
    if (!name) continue;
    addPlot(ctx, `identifiability${idSuffix(ctx, label)}`, () => {
      const shown = summaryOf(ctx, label, name)?.shown;
      const g = shown?.graph;
      if (!shown || !g) return 'no pairing graph stored for the binned fit';
      const touched = new Set<number>();
      for (const [i, j] of g.edges) touched.add(i).add(j);
      const bins = g.component.map((_, k) => k).filter((k) => touched.has(k));
      const comps = [...new Set(bins.map((k) => g.component[k]!))];
      const compNo = new Map(comps.map((c, i) => [c, i + 1]));
      const ptLabel = ctx.pt
        .slice(1)
        .map((hi, j) => `${j + 1} = ${ctx.pt[j]}–${hi}`)
        .join(', ');
      const empty = g.component.length - bins.length;
      const nodes = bins.map((k) => {
        const i = Math.floor(k / ctx.nPt);
        const j = k % ctx.nPt;
        return {
          id: String(k),
          label: String(k),
          x: (ctx.eta[i]! + ctx.eta[i + 1]!) / 2,
          y: j + 1,
          component: compNo.get(g.component[k]!)!,
        };
      });
      return identifiabilityPlot({
        nodes,
        edges: g.edges.filter(([i, j]) => i !== j).map(([i, j]) => ({ source: String(i), target: String(j) })),
        components: comps.length,
        bipartite: g.bipartite.length > 0,
        flatDirections: g.flatDirections,
        yTitle: `pT bin (${ptLabel} GeV)`,
        notes: `${g.edges.filter(([i, j]) => i === j).length} bins pair with themselves (odd cycles of length 1)${empty ? `; ${empty} bin(s) with no events left out (unconstrained, not degenerate)` : ''}${toyNote(ctx, shown.toy)}`,
        title: `Identifiability graph of the binned fit${pointNote(ctx, label)}`,
      });
    });
  }
}
