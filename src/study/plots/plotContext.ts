/**
 * What every plot of a study report reads: the resolved study (binning, points, estimators) and its summary —
 * never the toy records (the summary holds whatever a plot needs, computed once in src/study/metrics/) — and
 * where it puts its result. A plot whose data are missing or unusable is left out and named in `leftOut`
 * with the reason, so the report says what it does not show instead of failing as a whole.
 */
import { QmisidError } from '../../errors.js';
import type { Plot } from '../../report/index.js';
import { slug } from '../../report/slug.js';
import type { ResolvedEstimator, ResolvedStudy } from '../resolveStudy.js';
import type { EstimatorKind } from '../studySchema.js';
import type { EstimatorSummary } from '../summarizeEstimator.js';
import type { PointSummary, StudySummary } from '../summarizeStudy.js';
import type { ResolvedPlot } from './resolvePlots.js';

export interface PlotContext {
  study: ResolvedStudy;
  summary: StudySummary;
  eta: number[];
  pt: number[];
  nPt: number;
  out: Plot[];
  /** Plot id → why it was left out. */
  leftOut: Record<string, string>;
}

/** The legend name of each estimator kind. */
export const SERIES: Record<EstimatorKind, string> = {
  binned: 'binned fit',
  binnedFolded: 'folded binned fit',
  truthMatched: 'truth-matched',
  phi: 'φ-trainer',
  oracle: 'oracle',
  reachTarget: 'reachable target',
  external: 'external',
  onnx: 'ONNX φ',
};

export function plotContext(study: ResolvedStudy, summary: StudySummary): PlotContext {
  return { study, summary, eta: study.binning.eta, pt: study.binning.pt, nPt: study.binning.pt.length - 1, out: [], leftOut: {} };
}

/** Build one plot; a data problem (a builder's DataError, or data absent) leaves it out with the reason. */
export function addPlot(ctx: PlotContext, id: string, build: () => Plot | string): void {
  try {
    const p = build();
    if (typeof p === 'string') ctx.leftOut[id] = p;
    else ctx.out.push({ ...p, id });
  } catch (err) {
    if (!(err instanceof QmisidError)) throw err;
    ctx.leftOut[id] = err.message;
  }
}

/** The scan point's label in a plot id, when the study has more than one point. */
export const idSuffix = (ctx: PlotContext, label: string): string => (ctx.study.points.length > 1 ? `-${slug(label)}` : '');
/** The scan point's label in a title, when the study has more than one point. */
export const pointNote = (ctx: PlotContext, label: string): string => (ctx.study.points.length > 1 ? ` [${label}]` : '');
/** Which toy a per-toy view shows, when there are several. */
export const toyNote = (ctx: PlotContext, toy: number): string =>
  ctx.summary.toys.recorded > 1 ? `, toy ${toy} of ${ctx.summary.toys.recorded}` : '';

export function pointSummary(ctx: PlotContext, label: string): PointSummary | undefined {
  return ctx.summary.points.find((p) => p.label === label);
}

export function summaryOf(ctx: PlotContext, label: string, name: string): EstimatorSummary | undefined {
  return pointSummary(ctx, label)?.estimators[name];
}

/** The entry's estimators at a point: its own list in its order, else the study's that `byDefault` keeps. */
export function estimatorsFor(
  ctx: PlotContext,
  entry: ResolvedPlot,
  label: string,
  byDefault: (e: ResolvedEstimator) => boolean = () => true,
): ResolvedEstimator[] {
  const all = ctx.study.points.find((p) => p.label === label)?.estimators ?? [];
  if (!entry.estimators) return all.filter(byDefault);
  return entry.estimators.flatMap((n) => all.filter((e) => e.name === n));
}

/** The estimator of a kind to draw in the shared-series plots: the one named after the kind, else the first. */
export function ofKind(estimators: readonly ResolvedEstimator[], kind: EstimatorKind): string | undefined {
  const all = estimators.filter((e) => e.kind === kind && !e.sidebandSubtraction);
  return (all.find((e) => e.name === kind) ?? all[0])?.name;
}

/** Successful toys of an estimator (the summary's toys less its failures). */
export function okToys(s: EstimatorSummary): number {
  return s.toys - Object.values(s.failures).reduce((a, b) => a + b, 0);
}
