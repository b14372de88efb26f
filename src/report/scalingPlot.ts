/**
 * Bias and spread versus sample size N (log x). The spread is plotted as σ·√N: for an estimator whose error
 * falls like 1/√N that product is flat, so a rising curve flags an error that shrinks too slowly, and a bias
 * that does not go to 0 with N is a real (not statistical) bias.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Plot } from './plot.js';
import { checkFinite, checkNonEmpty, checkNonNegative, checkPositive } from './dataChecks.js';
import { DEFAULT_HEIGHT, VEGA_LITE_SCHEMA, plotConfig } from './plotTheme.js';

export interface ScalingRow {
  estimator: string;
  /** Sample size (events or pairs per toy). */
  n: number;
  bias: number;
  biasErr?: number;
  /** Spread of the estimate over toys (standard deviation). */
  sigma: number;
  sigmaErr?: number;
}

export interface ScalingInput {
  rows: ScalingRow[];
  /** Axis title of the bias panel; default "mean relative bias (ε̂ − ε)/ε". */
  biasTitle?: string;
  /** Axis title of the spread panel; default "σ(ε̂/ε) · √N". */
  spreadTitle?: string;
  nTitle?: string;
  id?: string;
  title?: string;
  caption?: string;
}

export function scalingPlot(input: ScalingInput): Plot {
  const builder = 'scalingPlot';
  const rows = checkNonEmpty(builder, 'rows', input.rows);
  const data = rows.map((r, i) => {
    const at = `rows[${i}]`;
    checkPositive(builder, `${at}.n`, r.n);
    checkFinite(builder, `${at}.bias`, r.bias);
    checkNonNegative(builder, `${at}.sigma`, r.sigma);
    const be = r.biasErr != null ? checkNonNegative(builder, `${at}.biasErr`, r.biasErr) : 0;
    const se = r.sigmaErr != null ? checkNonNegative(builder, `${at}.sigmaErr`, r.sigmaErr) : 0;
    const root = Math.sqrt(r.n);
    return {
      estimator: r.estimator,
      n: r.n,
      bias: r.bias,
      biasLo: r.bias - be,
      biasHi: r.bias + be,
      spread: r.sigma * root,
      spreadLo: (r.sigma - se) * root,
      spreadHi: (r.sigma + se) * root,
    };
  });
  const estimators = [...new Set(data.map((d) => d.estimator))];
  const x = {
    field: 'n',
    type: 'quantitative' as const,
    title: input.nTitle ?? 'sample size N (events per toy, log scale)',
    scale: { type: 'log' as const },
  };
  const colour = { field: 'estimator', type: 'nominal' as const, title: 'estimator', scale: { domain: estimators } };
  const panel = (field: 'bias' | 'spread', yTitle: string, zeroRule: boolean) => ({
    width: 300,
    height: DEFAULT_HEIGHT - 40,
    layer: [
      ...(zeroRule
        ? [
            {
              data: { values: [{ zero: 0 }] },
              mark: { type: 'rule' as const, color: '#888', strokeDash: [4, 4] },
              encoding: { y: { field: 'zero', type: 'quantitative' as const } },
            },
          ]
        : []),
      {
        mark: { type: 'rule' as const },
        encoding: {
          x,
          y: { field: `${field}Lo`, type: 'quantitative' as const, title: yTitle },
          y2: { field: `${field}Hi` },
          color: colour,
        },
      },
      {
        mark: { type: 'line' as const, point: { filled: true, size: 40 } },
        encoding: { x, y: { field, type: 'quantitative' as const, title: yTitle, scale: { zero: false } }, color: colour },
      },
    ],
  });
  const title = input.title ?? 'Bias and σ·√N versus sample size';
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    config: plotConfig,
    title: { text: title, subtitle: 'left: mean bias over toys; right: spread scaled by √N (flat for 1/√N errors)' },
    data: { values: data },
    hconcat: [
      panel('bias', input.biasTitle ?? 'mean relative bias (ε̂ − ε)/ε', true),
      panel('spread', input.spreadTitle ?? 'σ(ε̂/ε) · √N', false),
    ],
  };
  return {
    id: input.id ?? 'scaling-vs-n',
    title,
    caption:
      input.caption ??
      'Bias should scatter around 0 at every N and σ·√N should be flat; a bias that persists at large N, or σ·√N that rises with N, is a defect of the estimator, not of statistics.',
    spec,
    facts: { estimators: estimators.join(', '), 'N range': `${Math.min(...data.map((d) => d.n))} – ${Math.max(...data.map((d) => d.n))}` },
  };
}
