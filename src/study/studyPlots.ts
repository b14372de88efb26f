/**
 * The plots of a study's report, built from the resolved study and its summary alone (DIR/study.json and
 * summary.json): nothing is rerun and no toy record is read, so `qmisid report DIR` gives the same plots as the
 * run did, and every number a plot shows was computed once, in src/study/metrics/.
 *
 * Which plots, in which order, for which scan points and estimators: the study file's `plots` key, resolved
 * once (src/study/plots/resolvePlots.ts; absent: defaultPlots). Each plot lives in src/study/plots/<plot>.ts.
 * A plot whose data are missing or unusable is left out and named in `leftOut` with the reason, so the report
 * says what it does not show instead of failing as a whole.
 *
 * Conventions: per-bin numbers are the summary's means over the toys that succeeded; per-toy views (ε curves,
 * losses, the ensemble in the degeneracy plane, the fit's graph) show the toy the summary picked and say which;
 * histograms (m_ee spectra, SC closure) are the summary's sums over the successful toys.
 */
import type { Plot } from '../report/index.js';
import type { ResolvedStudy } from './resolveStudy.js';
import type { PlotName } from './studySchema.js';
import type { StudySummary } from './summarizeStudy.js';
import { closurePanels } from './plots/closurePanels.js';
import { coverage } from './plots/coverage.js';
import { degeneracy } from './plots/degeneracy.js';
import { epsCurve } from './plots/epsCurve.js';
import { identifiability } from './plots/identifiability.js';
import { lossCurves } from './plots/lossCurves.js';
import { massSpectra } from './plots/massSpectra.js';
import { mseComparison } from './plots/mseComparison.js';
import { plotContext, type PlotContext } from './plots/plotContext.js';
import { pulls } from './plots/pulls.js';
import { ratioMap } from './plots/ratioMap.js';
import { resolvePlots, type ResolvedPlot } from './plots/resolvePlots.js';
import { scaling } from './plots/scaling.js';
import { biasOverSigmaScan, biasScan } from './plots/scanPlots.js';
import { scaleFactorPlots, scYieldPlots } from './plots/pairedPlots.js';
import { addPlot } from './plots/plotContext.js';

export interface StudyPlots {
  plots: Plot[];
  /** Plot id → why it was left out. */
  leftOut: Record<string, string>;
}

const PLOTS: Record<PlotName, (ctx: PlotContext, entry: ResolvedPlot) => void> = {
  epsVsPt: (ctx, entry) => epsCurve(ctx, entry, 'pt'),
  epsVsAbsEta: (ctx, entry) => epsCurve(ctx, entry, 'abseta'),
  epsVsPhi: (ctx, entry) => epsCurve(ctx, entry, 'phi'),
  ratioMap,
  massSpectra,
  closure: closurePanels,
  loss: lossCurves,
  identifiability,
  pulls,
  coverage,
  scaling,
  biasScan,
  biasOverSigmaScan,
  degeneracy,
  mseComparison,
  scaleFactors: (ctx) => scaleFactorPlots(ctx.study, ctx.summary, (id, build) => addPlot(ctx, id, build)),
  scYield: (ctx) => scYieldPlots(ctx.summary, (id, build) => addPlot(ctx, id, build)),
};

export function studyPlots(study: ResolvedStudy, summary: StudySummary): StudyPlots {
  const ctx = plotContext(study, summary);
  // study.json written before plots were configurable has none: the default, resolved the same way.
  const entries = study.plots ?? resolvePlots(undefined, study.points, study.toys);
  for (const entry of entries) {
    if (entry.points.length === 0) ctx.leftOut[entry.plot] = 'none of its scan points was run (quick.points)';
    else PLOTS[entry.plot](ctx, entry);
  }
  return { plots: ctx.out, leftOut: ctx.leftOut };
}
