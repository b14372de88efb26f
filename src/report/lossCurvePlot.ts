/**
 * Training and validation loss per epoch for every ensemble member: solid lines train, dashed validation.
 * A validation curve that turns up while training keeps falling is over-fitting; members that end at
 * clearly different losses did not converge to the same minimum.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Plot } from './plot.js';
import { checkFinite, checkNonEmpty } from './dataChecks.js';
import { DataError } from '../errors.js';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, VEGA_LITE_SCHEMA, fmt, plotConfig } from './plotTheme.js';

export interface LossRow {
  member: number | string;
  epoch: number;
  train: number;
  val?: number;
}

export interface LossInput {
  rows: LossRow[];
  /** y axis title; default "loss: binary cross-entropy per pair". */
  lossTitle?: string;
  /** Log y; default when the loss spans more than a factor of 20. */
  logY?: boolean;
  id?: string;
  title?: string;
  caption?: string;
}

export function lossCurvePlot(input: LossInput): Plot {
  const builder = 'lossCurvePlot';
  const rows = checkNonEmpty(builder, 'rows', input.rows);
  const data: { member: string; epoch: number; split: string; loss: number }[] = [];
  rows.forEach((r, i) => {
    const at = `rows[${i}]`;
    if (!Number.isInteger(r.epoch) || r.epoch < 0) throw new DataError(builder, `${at}.epoch`, 'expected an integer >= 0', r.epoch);
    const member = `member ${r.member}`;
    data.push({ member, epoch: r.epoch, split: 'train', loss: checkFinite(builder, `${at}.train`, r.train) });
    if (r.val != null) data.push({ member, epoch: r.epoch, split: 'validation', loss: checkFinite(builder, `${at}.val`, r.val) });
  });
  const losses = data.map((d) => d.loss);
  const lo = Math.min(...losses);
  const hi = Math.max(...losses);
  const logY = input.logY ?? (lo > 0 && hi / lo > 20);
  if (logY && lo <= 0) throw new DataError(builder, 'rows', 'log y needs every loss > 0', lo);
  const members = [...new Set(data.map((d) => d.member))];
  const title = input.title ?? 'Training and validation loss';
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    config: plotConfig,
    title: {
      text: title,
      subtitle: `${members.length} ensemble member${members.length === 1 ? '' : 's'}; solid: train, dashed: validation`,
    },
    width: DEFAULT_WIDTH,
    height: DEFAULT_HEIGHT,
    data: { values: data },
    mark: { type: 'line', strokeWidth: 1.6 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch (passes over the training pairs)' },
      y: {
        field: 'loss',
        type: 'quantitative',
        title: input.lossTitle ?? 'loss: binary cross-entropy per pair',
        scale: logY ? { type: 'log' } : { zero: false },
      },
      color: { field: 'member', type: 'nominal', title: 'ensemble member', scale: { domain: members } },
      strokeDash: {
        field: 'split',
        type: 'nominal',
        title: 'split',
        scale: {
          domain: ['train', 'validation'],
          range: [
            [1, 0],
            [5, 3],
          ],
        },
      },
      detail: [{ field: 'member' }, { field: 'split' }],
      tooltip: [
        { field: 'member', type: 'nominal' },
        { field: 'split', type: 'nominal' },
        { field: 'epoch', type: 'quantitative' },
        { field: 'loss', type: 'quantitative', format: '.5f' },
      ],
    },
  };
  const facts: Record<string, number | string> = { members: members.length };
  for (const m of members) {
    const last = data.filter((d) => d.member === m).reduce((a, d) => Math.max(a, d.epoch), 0);
    const fin = (split: string) => data.find((d) => d.member === m && d.split === split && d.epoch === last)?.loss;
    const t = fin('train');
    const v = fin('validation');
    facts[`${m} final (epoch ${last})`] = `train ${t != null ? fmt(t, 5) : 'n/a'}, validation ${v != null ? fmt(v, 5) : 'n/a'}`;
  }
  return {
    id: input.id ?? 'loss-curves',
    title,
    caption:
      input.caption ??
      'Both curves should fall and flatten together; a validation loss that rises while training falls is over-fitting, and members ending at different losses found different minima.',
    spec,
    facts,
  };
}
