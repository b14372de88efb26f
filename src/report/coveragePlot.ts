/**
 * Interval coverage per estimator: the fraction of toys whose quoted interval at a nominal level (68 %,
 * 95 %) contains the truth, with binomial error bars and the nominal levels as reference lines.
 *
 * Error bars are the Wilson score interval at z = 1 (a 68 % band on the fraction). Wilson rather than
 * √(p(1−p)/n) because coverage sits near 1, where the plain formula collapses to zero width at k = n.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Plot } from './plot.js';
import { checkFinite, checkNonEmpty } from './dataChecks.js';
import { DataError } from '../errors.js';
import { wilson } from '../stats/wilson.js';
import { VEGA_LITE_SCHEMA, fmt, plotConfig } from './plotTheme.js';

export interface CoverageRow {
  estimator: string;
  /** Nominal coverage, e.g. 0.6827 or 0.95. */
  level: number;
  /** Toys whose interval contained the truth. */
  covered: number;
  /** Toys counted. */
  n: number;
}

export interface CoverageInput {
  rows: CoverageRow[];
  id?: string;
  title?: string;
  caption?: string;
}

export function coveragePlot(input: CoverageInput): Plot {
  const builder = 'coveragePlot';
  const rows = checkNonEmpty(builder, 'rows', input.rows);
  const data = rows.map((r, i) => {
    const at = `rows[${i}]`;
    checkFinite(builder, `${at}.level`, r.level);
    if (!(r.level > 0 && r.level < 1)) throw new DataError(builder, `${at}.level`, 'expected a nominal level in (0, 1)', r.level);
    if (!Number.isInteger(r.n) || r.n < 1) throw new DataError(builder, `${at}.n`, 'expected a positive integer', r.n);
    if (!Number.isInteger(r.covered) || r.covered < 0 || r.covered > r.n) {
      throw new DataError(builder, `${at}.covered`, `expected an integer in [0, ${r.n}]`, r.covered);
    }
    const [lo, hi] = wilson(r.covered, r.n);
    return {
      estimator: r.estimator,
      level: `${fmt(100 * r.level, 3)} %`,
      nominal: r.level,
      fraction: r.covered / r.n,
      lo,
      hi,
      covered: r.covered,
      n: r.n,
    };
  });
  const levels = [...new Set(data.map((d) => d.level))];
  const nominals = levels.map((l) => ({ level: l, nominal: data.find((d) => d.level === l)!.nominal }));
  const colours = ['#6baed6', '#fd8d3c', '#74c476', '#9e9ac8'];
  const colour = {
    field: 'level',
    type: 'nominal' as const,
    title: 'nominal level',
    scale: { domain: levels, range: levels.map((_, i) => colours[i % colours.length]!) },
  };
  const title = input.title ?? 'Interval coverage per estimator';
  const estimators = [...new Set(data.map((d) => d.estimator))];

  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    config: plotConfig,
    title: { text: title, subtitle: 'bars: observed fraction; error bars: Wilson 68 % interval; dashed: nominal level' },
    width: Math.max(240, 110 * estimators.length),
    height: 260,
    layer: [
      {
        data: { values: data },
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'estimator', type: 'nominal', title: 'estimator', sort: estimators, axis: { labelAngle: 0 } },
          xOffset: { field: 'level', type: 'nominal', sort: levels },
          y: { field: 'fraction', type: 'quantitative', title: 'fraction of toys covering the truth', scale: { domain: [0, 1] } },
          color: colour,
          tooltip: [
            { field: 'estimator', type: 'nominal' },
            { field: 'level', type: 'nominal', title: 'nominal' },
            { field: 'covered', type: 'quantitative', title: 'covered' },
            { field: 'n', type: 'quantitative', title: 'toys' },
            { field: 'fraction', type: 'quantitative', format: '.3f' },
          ],
        },
      },
      {
        data: { values: data },
        mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'estimator', type: 'nominal', sort: estimators },
          xOffset: { field: 'level', type: 'nominal', sort: levels },
          y: { field: 'lo', type: 'quantitative' },
          y2: { field: 'hi' },
        },
      },
      {
        data: { values: nominals },
        mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { y: { field: 'nominal', type: 'quantitative' }, color: colour },
      },
    ],
  };
  const facts: Record<string, number | string> = {};
  for (const d of data)
    facts[`${d.estimator} @ ${d.level}`] = `${d.covered}/${d.n} = ${d.fraction.toFixed(3)} (${d.lo.toFixed(3)}–${d.hi.toFixed(3)})`;
  return {
    id: input.id ?? 'coverage',
    title,
    caption:
      input.caption ??
      'Each bar should reach its dashed nominal line within its error bar; bars short of the line mean intervals too narrow (under-coverage), bars above it intervals too wide.',
    spec,
    facts,
  };
}
