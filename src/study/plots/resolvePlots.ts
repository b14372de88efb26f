/**
 * A study's plot entries resolved against the scan points it runs: each entry with the points it is drawn for
 * (its own list, or every point; a point that --quick leaves out is dropped), the estimators it names (absent:
 * the plot's own default) and, for closure, its variables. Absent entries: defaultPlots.
 */
import type { ClosureVariable, PlotEntry, PlotName } from '../studySchema.js';
import { defaultPlots } from './defaultPlots.js';

export interface ResolvedPlot {
  plot: PlotName;
  points: string[];
  estimators?: string[];
  variables?: ClosureVariable[];
}

export function resolvePlots(
  entries: readonly PlotEntry[] | undefined,
  points: readonly { label: string }[],
  toys: number,
): ResolvedPlot[] {
  const run = points.map((p) => p.label);
  return (entries ?? defaultPlots(points, toys)).map((e) => {
    if (typeof e === 'string') return { plot: e, points: run };
    return {
      plot: e.plot,
      points: e.points ? e.points.filter((l) => run.includes(l)) : run,
      ...(e.estimators ? { estimators: [...e.estimators] } : {}),
      ...(e.variables ? { variables: [...e.variables] } : {}),
    };
  });
}
