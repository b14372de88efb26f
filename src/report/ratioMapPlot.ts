/**
 * Estimate/truth over the (|η|, pT) bins as a heatmap with a diverging colour scale centred on 1, so a
 * region the estimator over- or under-shoots shows as a coloured patch. Each cell is also labelled with its
 * ratio (and error when given): the colour scale is clamped to at most [0, 2] so one wild cell cannot wash
 * out the rest, but the label still shows the real value. A cell with `ratio: null` (truth of zero, empty
 * bin) is drawn grey and labelled "n/a".
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Plot } from './plot.js';
import { checkFinite, checkNonEmpty, checkNonNegative } from './dataChecks.js';
import { DataError } from '../errors.js';
import { VEGA_LITE_SCHEMA, fmt, plotConfig } from './plotTheme.js';
import { slug } from './slug.js';

export interface RatioCell {
  etaLo: number;
  etaHi: number;
  ptLo: number;
  ptHi: number;
  ratio: number | null;
  err?: number;
}

export interface RatioMapInput {
  estimator: string;
  cells: RatioCell[];
  /** What a grey ("n/a", ratio null) cell means, for the subtitle; default "no truth value". */
  naMeaning?: string;
  /** pT axis scale; default 'log' when the pT range spans a factor ≥ 8, else 'linear'. */
  ptScale?: 'log' | 'linear';
  id?: string;
  title?: string;
  caption?: string;
}

export function ratioMapPlot(input: RatioMapInput): Plot {
  const builder = 'ratioMapPlot';
  const cells = checkNonEmpty(builder, 'cells', input.cells);
  const data = cells.map((c, i) => {
    const at = `cells[${i}]`;
    for (const k of ['etaLo', 'etaHi', 'ptLo', 'ptHi'] as const) checkFinite(builder, `${at}.${k}`, c[k]);
    if (!(c.etaHi > c.etaLo)) throw new DataError(builder, `${at}.etaHi`, 'expected etaHi > etaLo', c.etaHi);
    if (!(c.ptHi > c.ptLo) || c.ptLo <= 0) throw new DataError(builder, `${at}.ptLo`, 'expected 0 < ptLo < ptHi', [c.ptLo, c.ptHi]);
    if (c.ratio !== null) checkFinite(builder, `${at}.ratio`, c.ratio);
    if (c.err != null) checkNonNegative(builder, `${at}.err`, c.err);
    return { etaLo: c.etaLo, etaHi: c.etaHi, ptLo: c.ptLo, ptHi: c.ptHi, ratio: c.ratio, err: c.err ?? null, label: '' };
  });
  // Cell labels: the error is added only where the cell is wide enough (≥ 1/8 of the |η| range) to hold it.
  const etaRange = Math.max(...data.map((d) => d.etaHi)) - Math.min(...data.map((d) => d.etaLo));
  for (const d of data) {
    const wide = (d.etaHi - d.etaLo) / etaRange >= 1 / 8;
    d.label = d.ratio === null ? 'n/a' : d.err != null && wide ? `${d.ratio.toFixed(2)}±${d.err.toFixed(2)}` : d.ratio.toFixed(2);
  }
  const finite = data.filter((d) => d.ratio !== null).map((d) => d.ratio as number);
  // Symmetric domain around 1, at least ±5 % so a perfect map is not rendered as noise, at most ±100 %.
  const dev = Math.min(1, Math.max(0.05, ...finite.map((r) => Math.abs(r - 1))));
  const domain = [1 - dev, 1 + dev];
  const ptMin = Math.min(...data.map((d) => d.ptLo));
  const ptMax = Math.max(...data.map((d) => d.ptHi));
  const ptScale = input.ptScale ?? (ptMax / ptMin >= 8 ? 'log' : 'linear');
  const title = input.title ?? `${input.estimator}: estimate / truth over (|η|, pT)`;
  const x = { field: 'etaLo', type: 'quantitative' as const, title: 'electron |η| (dimensionless)', scale: { zero: false, nice: false } };
  const y = {
    field: 'ptLo',
    type: 'quantitative' as const,
    title: 'electron pT [GeV]',
    scale: ptScale === 'log' ? { type: 'log' as const, nice: false } : { zero: false, nice: false },
  };

  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    config: plotConfig,
    title: {
      text: title,
      subtitle: `colour: ratio, clamped to [${fmt(domain[0]!)}, ${fmt(domain[1]!)}]; grey: ${input.naMeaning ?? 'no truth value'}`,
    },
    width: 460,
    height: 300,
    data: { values: data },
    layer: [
      {
        // invalid: 'show' keeps the null-ratio cells (drawn grey by the condition) instead of dropping them.
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1, invalid: 'show' },
        encoding: {
          x,
          x2: { field: 'etaHi' },
          y,
          y2: { field: 'ptHi' },
          color: {
            condition: { test: 'datum.ratio === null', value: '#bbbbbb' },
            field: 'ratio',
            type: 'quantitative',
            title: 'estimate / truth',
            scale: { scheme: 'blueorange', domain, domainMid: 1, clamp: true },
          },
          tooltip: [
            { field: 'etaLo', type: 'quantitative', title: '|η| from' },
            { field: 'etaHi', type: 'quantitative', title: '|η| to' },
            { field: 'ptLo', type: 'quantitative', title: 'pT from [GeV]' },
            { field: 'ptHi', type: 'quantitative', title: 'pT to [GeV]' },
            { field: 'ratio', type: 'quantitative', title: 'estimate / truth', format: '.3f' },
            { field: 'err', type: 'quantitative', title: 'error', format: '.3f' },
          ],
        },
      },
      {
        transform: [
          { calculate: `(datum.etaLo + datum.etaHi) / 2`, as: 'etaMid' },
          { calculate: ptScale === 'log' ? 'sqrt(datum.ptLo * datum.ptHi)' : '(datum.ptLo + datum.ptHi) / 2', as: 'ptMid' },
        ],
        mark: { type: 'text', fontSize: 9.5 },
        encoding: {
          x: { ...x, field: 'etaMid' },
          y: { ...y, field: 'ptMid' },
          text: { field: 'label', type: 'nominal' },
          color: {
            condition: { test: `datum.ratio !== null && abs(datum.ratio - 1) > ${0.6 * dev}`, value: 'white' },
            value: 'black',
          },
        },
      },
    ],
  };
  // The worst cell: its deviation |ratio − 1| (the number the fact's name promises) and which cell it is.
  const withRatio = data.filter((d) => d.ratio !== null);
  const worst = withRatio.length ? withRatio.reduce((a, b) => (Math.abs(b.ratio! - 1) > Math.abs(a.ratio! - 1) ? b : a)) : undefined;
  const facts: Record<string, number | string> = { cells: data.length, 'cells without truth': data.length - finite.length };
  if (worst) {
    facts['largest |ratio − 1|'] = fmt(Math.abs(worst.ratio! - 1));
    facts['largest |ratio − 1| cell'] =
      `|η| ${worst.etaLo.toFixed(2)}–${worst.etaHi.toFixed(2)}, pT ${fmt(worst.ptLo, 6)}–${fmt(worst.ptHi, 6)} GeV (ratio ${fmt(worst.ratio!)})`;
  }
  return {
    id: input.id ?? `ratio-map-${slug(input.estimator)}`,
    title,
    caption:
      input.caption ??
      'Cells should sit near 1 (pale); a coherent orange or blue patch, rather than scattered noise, marks a region of (|η|, pT) the estimator gets wrong.',
    spec,
    facts,
  };
}
