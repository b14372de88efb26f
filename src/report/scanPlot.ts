/**
 * A metric versus the scan points of a study (flip energy loss, background fraction, …): one line with error
 * bars per estimator, the points in scan order on an ordinal x axis (scan variables are often labels or
 * include 0, so neither a log nor a linear axis fits them all). An optional reference value (0 for a bias,
 * 1 for a ratio) is drawn dashed; `logY` for metrics spanning decades (e.g. a per-electron MSE).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Plot } from './plot.js';
import { checkFinite, checkNonEmpty, checkNonNegative } from './dataChecks.js';
import { DataError } from '../errors.js';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, VEGA_LITE_SCHEMA, fmt, plotConfig } from './plotTheme.js';

export interface ScanRow {
  /** Scan point label (x, in order of first appearance). */
  point: string;
  estimator: string;
  value: number;
  err?: number;
}

export interface ScanInput {
  rows: ScanRow[];
  /** Axis title of the metric, with its unit or "(dimensionless)". */
  yTitle: string;
  xTitle?: string;
  reference?: number;
  logY?: boolean;
  id: string;
  title: string;
  caption: string;
}

export function scanPlot(input: ScanInput): Plot {
  const builder = 'scanPlot';
  const rows = checkNonEmpty(builder, 'rows', input.rows);
  const data = rows.map((r, i) => {
    const v = checkFinite(builder, `rows[${i}].value`, r.value);
    const e = r.err != null && Number.isFinite(r.err) ? checkNonNegative(builder, `rows[${i}].err`, r.err) : 0;
    if (input.logY && !(v > 0)) throw new DataError(builder, `rows[${i}].value`, 'a log y axis needs values > 0', v);
    return { point: r.point, estimator: r.estimator, value: v, lo: input.logY ? Math.max(v - e, v / 10) : v - e, hi: v + e };
  });
  const points = [...new Set(data.map((d) => d.point))];
  const estimators = [...new Set(data.map((d) => d.estimator))];
  const x = { field: 'point', type: 'ordinal' as const, title: input.xTitle ?? 'scan point', sort: points, axis: { labelAngle: -30 } };
  const yScale = input.logY ? { type: 'log' as const } : { zero: false };
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    title: input.logY ? `${input.yTitle} (log scale)` : input.yTitle,
    scale: yScale,
  };
  const colour = { field: 'estimator', type: 'nominal' as const, title: 'estimator', scale: { domain: estimators } };
  const xOffset = { field: 'estimator', type: 'nominal' as const, scale: { domain: estimators, paddingOuter: 0.6 } };
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    config: plotConfig,
    title: { text: input.title },
    width: Math.max(DEFAULT_WIDTH - 60, 70 * points.length),
    height: DEFAULT_HEIGHT,
    layer: [
      ...(input.reference != null
        ? [
            {
              data: { values: [{ ref: input.reference }] },
              mark: { type: 'rule' as const, color: '#888', strokeDash: [4, 4] },
              encoding: { y: { field: 'ref', type: 'quantitative' as const } },
            },
          ]
        : []),
      {
        data: { values: data },
        layer: [
          { mark: { type: 'rule' as const }, encoding: { x, xOffset, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color: colour } },
          {
            mark: { type: 'point' as const, filled: true, size: 50 },
            encoding: {
              x,
              xOffset,
              y,
              color: colour,
              tooltip: [
                { field: 'point', type: 'nominal' as const },
                { field: 'estimator', type: 'nominal' as const },
                { field: 'value', type: 'quantitative' as const, format: '.3~g' },
              ],
            },
          },
        ],
      },
    ],
  };
  const facts: Record<string, number | string> = {};
  for (const d of data) facts[`${d.estimator} @ ${d.point}`] = fmt(d.value);
  return { id: input.id, title: input.title, caption: input.caption, spec, facts };
}
