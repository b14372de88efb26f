/**
 * Looks shared by every plot, so the report reads as one document: the same font (DejaVu Sans, which the
 * Node renderer and Chromium both have), sizes that stay readable in a PNG, and fixed colours per estimator.
 */
import type { Config } from 'vega-lite';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

const FONT = 'DejaVu Sans, sans-serif';

export const plotConfig: Config = {
  font: FONT,
  background: 'white',
  padding: 8,
  title: { fontSize: 14, subtitleFontSize: 12, anchor: 'start', subtitleColor: '#444' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
  view: { stroke: '#888' },
};

/** Fixed colour per series name so an estimator has one colour across every plot of a report. */
export const SERIES_COLOURS: Record<string, string> = {
  truth: '#222222',
  'φ-trainer': '#1f77b4',
  'binned fit': '#d62728',
  'truth-matched': '#2ca02c',
  oracle: '#9467bd',
};

export const DEFAULT_WIDTH = 460;
export const DEFAULT_HEIGHT = 280;

/** Round for display so inlined labels do not carry 17 significant digits. */
export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? Number(x.toPrecision(digits)).toString() : x.toExponential(digits - 1);
}
