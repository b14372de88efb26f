/**
 * The plots of a study whose file has no `plots` key (the one place this default lives; docs/reports.md):
 *   - one scan point: the closure plots (ε against pT and |η|, estimate/truth maps, m_ee spectra, SC closure,
 *     loss curves, the binned fit's identifiability graph);
 *   - several scan points: the bias and |bias|/σ scans, and the m_ee spectra of the first and last point;
 *   - five toys or more: also the pull histograms and the coverage bars.
 */
import type { PlotEntry } from '../studySchema.js';

export function defaultPlots(points: readonly { label: string }[], toys: number): PlotEntry[] {
  const plots: PlotEntry[] =
    points.length === 1
      ? ['epsVsPt', 'epsVsAbsEta', 'ratioMap', 'massSpectra', 'closure', 'loss', 'identifiability']
      : [
          'biasScan',
          'biasOverSigmaScan',
          { plot: 'massSpectra', points: [...new Set([points[0]!.label, points[points.length - 1]!.label])] },
        ];
  if (toys >= 5) plots.push('pulls', 'coverage');
  return plots;
}
