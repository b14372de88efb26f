/**
 * ε against pT, |η| or azimuth φ at a scan point (plots epsVsPt, epsVsAbsEta, epsVsPhi): the truth profile and
 * the estimators of the shared series (φ-trainer with its ensemble band, oracle, binned fit and truth-matched
 * rates per fit bin), all from the one toy the summary shows (metrics/shownToy.ts curveToy).
 */
import { epsilonCurvePlot } from '../../report/index.js';
import type { ProfileVariable } from '../metrics/profiles.js';
import type { EstimatorKind } from '../studySchema.js';
import { finite } from '../toyRecord.js';
import { addPlot, estimatorsFor, idSuffix, ofKind, pointNote, pointSummary, toyNote, type PlotContext } from './plotContext.js';
import type { ResolvedPlot } from './resolvePlots.js';

function profilePoints(
  edges: readonly number[],
  eps: readonly (number | null)[],
  count?: readonly number[],
  lo?: readonly (number | null)[],
  hi?: readonly (number | null)[],
) {
  const out: { x: number; eps: number; lo: number; hi: number }[] = [];
  for (let b = 0; b < eps.length; b++) {
    const e = finite(eps[b]);
    if (!Number.isFinite(e) || (count && !(count[b]! > 0))) continue;
    const l = lo ? finite(lo[b]) : e;
    const h = hi ? finite(hi[b]) : e;
    const a = edges[b]!;
    const z = edges[b + 1]!;
    out.push({
      x: a > 0 && z / a > 1.5 ? Math.sqrt(a * z) : (a + z) / 2,
      eps: e,
      lo: Number.isFinite(l) ? l : e,
      hi: Number.isFinite(h) ? h : e,
    });
  }
  return out;
}

export function epsCurve(ctx: PlotContext, entry: ResolvedPlot, variable: ProfileVariable): void {
  for (const label of entry.points) {
    addPlot(ctx, `eps-vs-${variable}${idSuffix(ctx, label)}`, () => {
      const curves = pointSummary(ctx, label)?.curves;
      const prof = curves?.truth?.[variable];
      if (!curves || !prof) return 'no ε profile in the summary (no successful toy, or records written before profiles were stored)';
      const candidates = estimatorsFor(ctx, entry, label);
      const est = (kind: EstimatorKind) => {
        const name = ofKind(candidates, kind);
        return name ? curves.estimators[name] : undefined;
      };
      const phi = est('phi')?.profiles?.[variable];
      const oracle = est('oracle')?.profiles?.[variable];
      const binned = est('binned');
      const tm = est('truthMatched');
      const coarse = variable !== 'phi';
      const other = variable === 'pt' ? '|η|' : 'pT';
      return epsilonCurvePlot({
        variable,
        slice: `mean over the window's signal electrons in each ${variable === 'phi' ? 'φ' : variable === 'pt' ? 'pT' : '|η|'} slice${variable === 'phi' ? ' (all pT, |η|)' : ` (all ${other})`}${toyNote(ctx, curves.toy)}${pointNote(ctx, label)}`,
        truth: profilePoints(prof.edges, prof.truth, prof.count),
        ...(phi ? { phi: profilePoints(prof.edges, phi.eps, prof.count, phi.lo, phi.hi) } : {}),
        ...(oracle ? { oracle: profilePoints(prof.edges, oracle.eps, prof.count) } : {}),
        ...(binned
          ? variable !== 'phi'
            ? { binned: binned.coarse[variable] }
            : { binned: profilePoints(prof.edges, binned.profiles?.[variable]?.eps ?? [], prof.count) }
          : {}),
        ...(tm && variable !== 'phi'
          ? {
              truthMatched: tm.coarse[variable].map((q) => ({
                ...q,
                x: q.x * (variable === 'pt' ? 1.04 : 1) + (variable === 'abseta' ? 0.03 : 0),
              })),
            }
          : {}),
        caption: coarse
          ? `Estimators should follow the truth line within their errors (φ-trainer band: min–max of the ensemble members; binned points: the fit's bins, x bars = bin width, averaged over ${other} with the electron counts).`
          : 'Truth ε against the azimuth: a network given φ should follow the raised sector; the binned fit (no φ in its binning) can only show the average.',
      });
    });
  }
}
