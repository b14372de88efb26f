/**
 * Closure of the estimate on the SC sample: OC events reweighted by the predicted flip probability ε₁₂
 * (note §1.1: λ_SC = λ_T·ε₁₂, λ_OC = λ_T·(1 − ε₁₂), so an OC event carries weight ε₁₂/(1 − ε₁₂)) against
 * the observed SC events, in one variable, with an observed/predicted ratio panel underneath (vconcat).
 *
 * χ² = Σ (obs − pred)² / (V_exp + σ_pred²) over bins with a non-zero variance, where V_exp is the variance of
 * the observed count expected under the prediction (Pearson; default V_exp = pred, i.e. unit weights) — the
 * observed count itself would give an empty bin almost no variance. ndf = those bins minus `fittedParameters`
 * (0 by default: the prediction is absolute, nothing is normalised to the SC data). Error bars on the observed
 * points are √obs (or `observedErr`), for display only.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Plot } from './plot.js';
import { checkEdges, checkNonNegative } from './dataChecks.js';
import { DataError } from '../errors.js';
import { DEFAULT_WIDTH, VEGA_LITE_SCHEMA, fmt, plotConfig } from './plotTheme.js';

export type ClosureVariable = 'pt' | 'eta' | 'm_ee';

export interface ClosureInput {
  variable: ClosureVariable;
  edges: number[];
  /** OC-reweighted SC prediction per bin. */
  predicted: number[];
  /** Its statistical error per bin (sum of squared weights, square-rooted); default 0. */
  predictedErr?: number[];
  /** Observed SC counts per bin. */
  observed: number[];
  /** Error bars drawn on the observed points; default √observed. Not used in χ². */
  observedErr?: number[];
  /** Variance of the observed count expected under the prediction, for χ²; default `predicted` (Pearson). */
  expectedVariance?: number[];
  fittedParameters?: number;
  xTitle?: string;
  id?: string;
  title?: string;
  caption?: string;
}

export interface ChiSquare {
  chi2: number;
  ndf: number;
}

const AXIS: Record<ClosureVariable, string> = {
  pt: 'electron pT [GeV]',
  eta: 'electron η (dimensionless)',
  m_ee: 'di-electron mass m_ee [GeV]',
};

/** χ² of observed against predicted with the total variance per bin given (bins with variance ≤ 0 skipped). */
export function closureChiSquare(obs: readonly number[], pred: readonly number[], variance: readonly number[], fitted = 0): ChiSquare {
  let chi2 = 0;
  let used = 0;
  for (let i = 0; i < obs.length; i++) {
    const v = variance[i]!;
    if (v > 0) {
      chi2 += (obs[i]! - pred[i]!) ** 2 / v;
      used++;
    }
  }
  return { chi2, ndf: used - fitted };
}

export function closurePlot(input: ClosureInput): Plot {
  const builder = 'closurePlot';
  if (!(input.variable in AXIS)) throw new DataError(builder, 'variable', "expected 'pt', 'eta' or 'm_ee'", input.variable);
  const { edges, predicted, observed } = input;
  checkEdges(builder, 'edges', edges, { path: 'predicted', length: predicted?.length ?? 0 });
  checkEdges(builder, 'edges', edges, { path: 'observed', length: observed?.length ?? 0 });
  const predErr = input.predictedErr ?? predicted.map(() => 0);
  const obsErr = input.observedErr ?? observed.map((o) => Math.sqrt(Math.max(0, o)));
  checkEdges(builder, 'edges', edges, { path: 'predictedErr', length: predErr.length });
  checkEdges(builder, 'edges', edges, { path: 'observedErr', length: obsErr.length });
  predicted.forEach((v, i) => checkNonNegative(builder, `predicted[${i}]`, v));
  observed.forEach((v, i) => checkNonNegative(builder, `observed[${i}]`, v));
  predErr.forEach((v, i) => checkNonNegative(builder, `predictedErr[${i}]`, v));
  obsErr.forEach((v, i) => checkNonNegative(builder, `observedErr[${i}]`, v));
  const fitted = input.fittedParameters ?? 0;
  const expVar = input.expectedVariance ?? predicted.map((p) => Math.max(p, 0));
  checkEdges(builder, 'edges', edges, { path: 'expectedVariance', length: expVar.length });
  expVar.forEach((v, i) => checkNonNegative(builder, `expectedVariance[${i}]`, v));
  const { chi2, ndf } = closureChiSquare(
    observed,
    predicted,
    expVar.map((v, i) => v + predErr[i]! ** 2),
    fitted,
  );
  if (ndf < 1) throw new DataError(builder, 'observed', 'no degrees of freedom left for a χ²', ndf);

  const rows = observed.map((o, i) => {
    const p = predicted[i]!;
    const ratio = p > 0 ? o / p : null;
    const rErr = p > 0 ? Math.hypot(obsErr[i]! / p, (o * predErr[i]!) / (p * p)) : null;
    return {
      lo: edges[i]!,
      hi: edges[i + 1]!,
      mid: (edges[i]! + edges[i + 1]!) / 2,
      observed: o,
      oLo: o - obsErr[i]!,
      oHi: o + obsErr[i]!,
      predicted: p,
      pLo: p - predErr[i]!,
      pHi: p + predErr[i]!,
      ratio,
      rLo: ratio !== null && rErr !== null ? ratio - rErr : null,
      rHi: ratio !== null && rErr !== null ? ratio + rErr : null,
    };
  });
  const chiText = `χ²/ndf = ${chi2.toFixed(1)}/${ndf} = ${(chi2 / ndf).toFixed(2)}`;
  const xTitle = input.xTitle ?? AXIS[input.variable];
  const xDomain = [edges[0]!, edges[edges.length - 1]!];
  const x = { type: 'quantitative' as const, scale: { domain: xDomain, zero: false, nice: false } };
  const legendDomain = ['observed SC', 'OC reweighted by ε₁₂/(1 − ε₁₂)'];
  // Constant series names are added as a field (not a `datum`), which is what the schema allows with a scale.
  const colour = {
    field: 'sample',
    type: 'nominal' as const,
    title: 'sample',
    scale: { domain: legendDomain, range: ['#222222', '#d62728'] },
  };
  const named = (name: string) => [{ calculate: JSON.stringify(name), as: 'sample' }];
  const title = input.title ?? `SC closure in ${input.variable === 'm_ee' ? 'm_ee' : input.variable === 'pt' ? 'pT' : 'η'}`;
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    config: plotConfig,
    title: { text: title, subtitle: chiText },
    data: { values: rows },
    spacing: 6,
    vconcat: [
      {
        width: DEFAULT_WIDTH,
        height: 220,
        layer: [
          {
            mark: { type: 'rect', opacity: 0.25, color: '#d62728' },
            encoding: {
              x: { field: 'lo', ...x, axis: { labels: false, title: null } },
              x2: { field: 'hi' },
              y: { field: 'pLo', type: 'quantitative' },
              y2: { field: 'pHi' },
            },
          },
          {
            transform: named(legendDomain[1]!),
            mark: { type: 'line', interpolate: 'step', strokeWidth: 1.8 },
            encoding: {
              x: { field: 'mid', ...x, axis: { labels: false, title: null } },
              y: { field: 'predicted', type: 'quantitative', title: 'SC pairs per bin' },
              color: colour,
            },
          },
          {
            transform: named(legendDomain[0]!),
            mark: { type: 'rule' },
            encoding: { x: { field: 'mid', ...x }, y: { field: 'oLo', type: 'quantitative' }, y2: { field: 'oHi' }, color: colour },
          },
          {
            transform: named(legendDomain[0]!),
            mark: { type: 'point', filled: true, size: 30 },
            encoding: {
              x: { field: 'mid', ...x },
              y: { field: 'observed', type: 'quantitative' },
              color: colour,
              tooltip: [
                { field: 'lo', type: 'quantitative', title: 'from' },
                { field: 'hi', type: 'quantitative', title: 'to' },
                { field: 'observed', type: 'quantitative', format: '.4g' },
                { field: 'predicted', type: 'quantitative', format: '.4g' },
              ],
            },
          },
        ],
      },
      {
        width: DEFAULT_WIDTH,
        height: 100,
        transform: [{ filter: 'datum.ratio !== null' }],
        layer: [
          {
            data: { values: [{ one: 1 }] },
            mark: { type: 'rule', color: '#888', strokeDash: [4, 4] },
            encoding: { y: { field: 'one', type: 'quantitative' } },
          },
          {
            mark: { type: 'rule' },
            encoding: { x: { field: 'mid', ...x, title: xTitle }, y: { field: 'rLo', type: 'quantitative' }, y2: { field: 'rHi' } },
          },
          {
            mark: { type: 'point', filled: true, size: 25, color: '#222' },
            encoding: {
              x: { field: 'mid', ...x, title: xTitle },
              y: { field: 'ratio', type: 'quantitative', title: 'observed / predicted', scale: { zero: false } },
            },
          },
        ],
      },
    ],
    resolve: { scale: { x: 'shared' } },
  };
  const totalObs = observed.reduce((a, b) => a + b, 0);
  const totalPred = predicted.reduce((a, b) => a + b, 0);
  return {
    id: input.id ?? `closure-${input.variable.replace('_', '')}`,
    title,
    caption:
      input.caption ??
      'Observed SC points should scatter around the reweighted-OC prediction with ratio ≈ 1 and χ²/ndf ≈ 1; a slope in the ratio panel means ε is mis-modelled along this variable.',
    spec,
    facts: {
      'χ²': fmt(chi2, 4),
      ndf,
      'χ²/ndf': fmt(chi2 / ndf, 3),
      'observed SC total': fmt(totalObs, 6),
      'predicted SC total': fmt(totalPred, 6),
      'observed / predicted (total)': totalPred > 0 ? fmt(totalObs / totalPred, 4) : 'n/a',
    },
  };
}
