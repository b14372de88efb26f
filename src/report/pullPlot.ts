/**
 * Pull distribution (estimate − truth)/σ over toys, with the fitted Gaussian and the N(0,1) reference drawn
 * as expected counts per bin (N · bin width · pdf), so shape, shift and width can be compared by eye.
 * If no fit is supplied the sample mean and standard deviation stand in, with their standard errors
 * s/√n and s/√(2(n−1)) (normal-sample approximations), and the legend says so.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Plot } from './plot.js';
import { checkFinite, checkNonEmpty, checkNonNegative, checkPositive } from './dataChecks.js';
import { DataError } from '../errors.js';
import { mean as sampleMean, sampleStandardDeviation } from '../stats/index.js';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, VEGA_LITE_SCHEMA, fmt, plotConfig } from './plotTheme.js';
import { slug } from './slug.js';

export interface GaussianFit {
  mean: number;
  meanErr: number;
  sigma: number;
  sigmaErr: number;
}

export interface PullInput {
  /** What is pulled, e.g. "φ-trainer ε in |η| 2.0–2.47". */
  label: string;
  pulls: number[];
  fit?: GaussianFit;
  /** Histogram range; default [−5, 5]. Pulls outside are counted as under/overflow in the facts. */
  range?: [number, number];
  bins?: number;
  /** Toys whose estimate failed (kept out of `pulls`, reported here so the failure rate is visible). */
  failed?: number;
  id?: string;
  title?: string;
  caption?: string;
}

const CURVE_POINTS = 201;

export function pullPlot(input: PullInput): Plot {
  const builder = 'pullPlot';
  const pulls = checkNonEmpty(builder, 'pulls', input.pulls);
  pulls.forEach((p, i) => checkFinite(builder, `pulls[${i}]`, p));
  const [lo, hi] = input.range ?? [-5, 5];
  checkFinite(builder, 'range[0]', lo);
  checkFinite(builder, 'range[1]', hi);
  if (!(hi > lo)) throw new DataError(builder, 'range', 'expected range[1] > range[0]', input.range);
  const nBins = input.bins ?? 40;
  if (!Number.isInteger(nBins) || nBins < 1) throw new DataError(builder, 'bins', 'expected a positive integer', nBins);
  const failed = input.failed ?? 0;
  checkNonNegative(builder, 'failed', failed);

  const n = pulls.length;
  let fit = input.fit;
  let fitLabel = 'Gaussian fit';
  if (fit) {
    checkFinite(builder, 'fit.mean', fit.mean);
    checkNonNegative(builder, 'fit.meanErr', fit.meanErr);
    checkPositive(builder, 'fit.sigma', fit.sigma);
    checkNonNegative(builder, 'fit.sigmaErr', fit.sigmaErr);
  } else {
    if (n < 2) throw new DataError(builder, 'pulls', 'need at least two pulls to estimate a width without a fit', n);
    const mean = sampleMean(pulls);
    const sd = sampleStandardDeviation(pulls);
    if (!(sd > 0)) throw new DataError(builder, 'pulls', 'all pulls are equal: no width to show', mean);
    fit = { mean, meanErr: sd / Math.sqrt(n), sigma: sd, sigmaErr: sd / Math.sqrt(2 * (n - 1)) };
    fitLabel = 'sample mean, s.d.';
  }

  const width = (hi - lo) / nBins;
  const counts = new Array<number>(nBins).fill(0);
  let under = 0;
  let over = 0;
  for (const p of pulls) {
    if (p < lo) under++;
    else if (p >= hi) over++;
    else counts[Math.min(nBins - 1, Math.floor((p - lo) / width))]!++;
  }
  const bars = counts.map((c, i) => {
    const a = lo + i * width;
    return { lo: a, hi: a + width, mid: a + width / 2, count: c, errLo: c - Math.sqrt(c), errHi: c + Math.sqrt(c) };
  });

  const fitName = `${fitLabel}: μ = ${fmt(fit.mean)} ± ${fmt(fit.meanErr, 2)}, σ = ${fmt(fit.sigma)} ± ${fmt(fit.sigmaErr, 2)}`;
  const refName = 'N(0, 1) reference';
  const norm = n * width;
  const curves: { x: number; y: number; curve: string }[] = [];
  for (let i = 0; i < CURVE_POINTS; i++) {
    const x = lo + ((hi - lo) * i) / (CURVE_POINTS - 1);
    curves.push({
      x,
      y: (norm * Math.exp(-0.5 * ((x - fit.mean) / fit.sigma) ** 2)) / (fit.sigma * Math.sqrt(2 * Math.PI)),
      curve: fitName,
    });
  }
  for (let i = 0; i < CURVE_POINTS; i++) {
    const x = lo + ((hi - lo) * i) / (CURVE_POINTS - 1);
    curves.push({ x, y: (norm * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI), curve: refName });
  }

  const xEnc = { type: 'quantitative' as const, title: 'pull (estimate − truth) / σ (dimensionless)', scale: { domain: [lo, hi] } };
  const title = input.title ?? `Pulls: ${input.label}`;
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    config: plotConfig,
    title: { text: title, subtitle: `${n} pulls${failed ? `; ${failed} failed toy(s) not shown` : ''}; bin width ${fmt(width)}` },
    width: DEFAULT_WIDTH,
    height: DEFAULT_HEIGHT,
    layer: [
      {
        data: { values: bars },
        mark: { type: 'rect', color: '#9ecae1', stroke: '#6baed6' },
        encoding: {
          x: { field: 'lo', ...xEnc },
          x2: { field: 'hi' },
          y: { field: 'count', type: 'quantitative', title: 'pulls per bin' },
          tooltip: [
            { field: 'lo', type: 'quantitative', title: 'pull from', format: '.2f' },
            { field: 'hi', type: 'quantitative', title: 'pull to', format: '.2f' },
            { field: 'count', type: 'quantitative', title: 'pulls' },
          ],
        },
      },
      {
        data: { values: bars },
        mark: { type: 'rule', color: '#3182bd' },
        encoding: { x: { field: 'mid', ...xEnc }, y: { field: 'errLo', type: 'quantitative' }, y2: { field: 'errHi' } },
      },
      {
        data: { values: curves },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'x', ...xEnc },
          y: { field: 'y', type: 'quantitative' },
          color: {
            field: 'curve',
            type: 'nominal',
            title: 'curves',
            scale: { domain: [fitName, refName], range: ['#d62728', '#222222'] },
            legend: { orient: 'bottom', direction: 'vertical', labelLimit: 600 },
          },
          strokeDash: {
            field: 'curve',
            type: 'nominal',
            scale: {
              domain: [fitName, refName],
              range: [
                [1, 0],
                [5, 4],
              ],
            },
            title: 'curves',
          },
        },
      },
    ],
  };
  const facts: Record<string, number | string> = {
    pulls: n,
    'failed toys': failed,
    'pull mean': `${fmt(fit.mean)} ± ${fmt(fit.meanErr, 2)}`,
    'pull width': `${fmt(fit.sigma)} ± ${fmt(fit.sigmaErr, 2)}`,
    'width from': fitLabel,
    'underflow / overflow': `${under} / ${over}`,
  };
  return {
    id: input.id ?? `pulls-${slug(input.label)}`,
    title,
    caption:
      input.caption ??
      'The fitted Gaussian should match the N(0,1) curve: a shifted mean is a bias, a width above 1 means the quoted errors are too small, below 1 too large.',
    spec,
    facts,
  };
}
