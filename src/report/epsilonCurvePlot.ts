/**
 * ε versus electron pT, |η| or azimuth φ: every estimator against the truth on one log axis (ε spans decades between
 * the barrel and the endcap). Series: truth (line), φ-trainer ε = sigmoid(φ) (line with its lo–hi band,
 * e.g. the ensemble spread), binned fit and truth-matched counting (points with error bars), and the oracle
 * (the best the binning could do given the truth, dashed).
 *
 * Log-scale handling: points with ε ≤ 0 cannot be drawn and are left out (their number goes into the facts);
 * lower error bars and band edges below the axis floor are drawn to the floor.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Plot } from './plot.js';
import { checkFinite, checkNonNegative } from './dataChecks.js';
import { DataError } from '../errors.js';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, SERIES_COLOURS, VEGA_LITE_SCHEMA, plotConfig } from './plotTheme.js';

export type EpsVariable = 'pt' | 'abseta' | 'phi';

export interface EpsPoint {
  x: number;
  eps: number;
}
export interface EpsBandPoint extends EpsPoint {
  lo: number;
  hi: number;
}
/** A measured point: symmetric `err` or asymmetric `errLo`/`errHi`; `xlo`/`xhi` draw the bin width. */
export interface EpsErrorPoint extends EpsPoint {
  err?: number;
  errLo?: number;
  errHi?: number;
  xlo?: number;
  xhi?: number;
}

export interface EpsCurveInput {
  variable: EpsVariable;
  truth?: EpsPoint[];
  phi?: EpsBandPoint[];
  binned?: EpsErrorPoint[];
  truthMatched?: EpsErrorPoint[];
  oracle?: EpsPoint[];
  /** x scale; default 'log' for pT when it spans a factor ≥ 8 (low-pT bins stay readable), else 'linear'. */
  xScale?: 'log' | 'linear';
  /** What the other variable is integrated over, e.g. "averaged over |η| < 2.47". Shown as subtitle. */
  slice?: string;
  id?: string;
  title?: string;
  caption?: string;
}

const SERIES = ['truth', 'φ-trainer', 'binned fit', 'truth-matched', 'oracle'] as const;
type Series = (typeof SERIES)[number];

interface Row {
  series: Series;
  x: number;
  eps: number;
  lo: number;
  hi: number;
  xlo: number;
  xhi: number;
}

const AXIS: Record<EpsVariable, { title: string; name: string }> = {
  pt: { title: 'electron pT [GeV]', name: 'pT' },
  abseta: { title: 'electron |η| (dimensionless)', name: '|η|' },
  phi: { title: 'electron azimuth φ [rad]', name: 'azimuth φ' },
};

export function epsilonCurvePlot(input: EpsCurveInput): Plot {
  const builder = 'epsilonCurvePlot';
  if (input.variable !== 'pt' && input.variable !== 'abseta' && input.variable !== 'phi') {
    throw new DataError(builder, 'variable', "expected 'pt', 'abseta' or 'phi'", input.variable);
  }
  const raw: Row[] = [];
  const add = (series: Series, key: string, pts: readonly (EpsPoint & Partial<EpsBandPoint & EpsErrorPoint>)[] | undefined): void => {
    (pts ?? []).forEach((p, i) => {
      const at = `${key}[${i}]`;
      const x = checkFinite(builder, `${at}.x`, p.x);
      const eps = checkFinite(builder, `${at}.eps`, p.eps);
      let lo = eps;
      let hi = eps;
      if (series === 'φ-trainer') {
        lo = checkFinite(builder, `${at}.lo`, p.lo as number);
        hi = checkFinite(builder, `${at}.hi`, p.hi as number);
      } else if (p.err != null || p.errLo != null || p.errHi != null) {
        const eLo = checkNonNegative(builder, `${at}.errLo`, (p.errLo ?? p.err) as number);
        const eHi = checkNonNegative(builder, `${at}.errHi`, (p.errHi ?? p.err) as number);
        lo = eps - eLo;
        hi = eps + eHi;
      }
      const xlo = p.xlo != null ? checkFinite(builder, `${at}.xlo`, p.xlo) : x;
      const xhi = p.xhi != null ? checkFinite(builder, `${at}.xhi`, p.xhi) : x;
      raw.push({ series, x, eps, lo, hi, xlo, xhi });
    });
  };
  add('truth', 'truth', input.truth);
  add('φ-trainer', 'phi', input.phi);
  add('binned fit', 'binned', input.binned);
  add('truth-matched', 'truthMatched', input.truthMatched);
  add('oracle', 'oracle', input.oracle);
  const rows = raw.filter((r) => r.eps > 0);
  if (rows.length === 0) throw new DataError(builder, 'eps', 'no series has a point with ε > 0 to draw on a log axis', raw.length);
  const dropped = raw.length - rows.length;

  // Axis range from the drawn values: one decade of headroom below the smallest positive value keeps
  // clipped error bars visibly open-ended without squashing the curves.
  const positives = rows.flatMap((r) => [r.eps, r.lo, r.hi]).filter((v) => v > 0);
  const floor = 10 ** Math.floor(Math.log10(Math.min(...positives)) - 0.3);
  const ceil = 10 ** Math.ceil(Math.log10(Math.max(...positives)) + 0.05);
  const data = rows.map((r) => ({ ...r, lo: Math.max(r.lo, floor), hi: Math.min(r.hi, ceil) }));
  const present = SERIES.filter((s) => data.some((r) => r.series === s));
  const axis = AXIS[input.variable];

  const xs = data.flatMap((r) => [r.xlo, r.xhi, r.x]);
  const logX = input.xScale
    ? input.xScale === 'log'
    : input.variable === 'pt' && Math.min(...xs) > 0 && Math.max(...xs) / Math.min(...xs) >= 8;
  if (logX && Math.min(...xs) <= 0) throw new DataError(builder, 'xScale', 'a log x axis needs every x > 0', Math.min(...xs));
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: logX ? `${axis.title.replace(' [', ' (log scale) [')}` : axis.title,
    scale: logX ? { type: 'log' as const, domain: [Math.min(...xs), Math.max(...xs)], nice: false } : { zero: false },
  };
  const y = {
    field: 'eps',
    type: 'quantitative' as const,
    title: 'charge-flip rate ε (log scale)',
    scale: { type: 'log' as const, domain: [floor, ceil] },
    axis: { format: '.0e' },
  };
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: 'estimator',
    scale: { domain: present, range: present.map((s) => SERIES_COLOURS[s]!) },
    legend: { orient: 'right' as const, symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 3 },
  };
  const only = (...s: Series[]) => ({ filter: { field: 'series', oneOf: s } });

  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    config: plotConfig,
    title: { text: input.title ?? `Charge-flip rate vs ${axis.name}`, ...(input.slice ? { subtitle: input.slice } : {}) },
    width: DEFAULT_WIDTH,
    height: DEFAULT_HEIGHT,
    data: { values: data },
    encoding: { x, color },
    layer: [
      {
        transform: [only('φ-trainer')],
        mark: { type: 'area', opacity: 0.2, clip: true },
        encoding: { y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
      },
      {
        transform: [only('truth', 'φ-trainer')],
        mark: { type: 'line', clip: true, strokeWidth: 2 },
        encoding: { y },
      },
      {
        transform: [only('oracle')],
        mark: { type: 'line', clip: true, strokeDash: [6, 4], strokeWidth: 2 },
        encoding: { y },
      },
      {
        transform: [only('binned fit', 'truth-matched')],
        mark: { type: 'rule', clip: true },
        encoding: { y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
      },
      {
        transform: [only('binned fit', 'truth-matched')],
        mark: { type: 'rule', clip: true },
        encoding: { x: { ...x, field: 'xlo' }, x2: { field: 'xhi' }, y },
      },
      ...(['binned fit', 'truth-matched'] as const).map((series) => ({
        transform: [only(series)],
        mark: { type: 'point' as const, filled: true, size: 45, clip: true, shape: series === 'binned fit' ? 'circle' : 'square' },
        encoding: {
          y,
          tooltip: [
            { field: 'series', type: 'nominal' as const },
            { field: 'x', type: 'quantitative' as const, title: axis.name },
            { field: 'eps', type: 'quantitative' as const, format: '.3e', title: 'ε' },
            { field: 'lo', type: 'quantitative' as const, format: '.3e', title: 'ε − err' },
            { field: 'hi', type: 'quantitative' as const, format: '.3e', title: 'ε + err' },
          ],
        },
      })),
    ],
  };
  const facts: Record<string, number | string> = { series: present.join(', ') };
  if (dropped > 0) facts['points with ε ≤ 0 (not drawn)'] = dropped;
  return {
    id: input.id ?? `eps-vs-${input.variable}`,
    title: input.title ?? `Charge-flip rate vs ${axis.name}`,
    caption:
      input.caption ??
      `Each estimator should follow the truth line within its errors at every ${axis.name}; a systematic gap that grows with ${axis.name} means the estimator misses the ${axis.name} dependence, and the oracle shows the floor set by the binning.`,
    spec,
    facts,
  };
}
