import { describe, expect, it } from 'vitest';
import { evaluateCriteria } from '../../src/study/evaluateCriteria.js';
import type { EstimatorSummary } from '../../src/study/summarizeEstimator.js';

const est = (metrics: Record<string, number>, diagnostics: Record<string, number> = {}): EstimatorSummary => ({
  toys: 1,
  failures: {},
  metrics,
  bins: [],
  diagnostics,
});
const points = [
  { label: 'a', estimators: { x: est({ mse: 1 }, { tradeoffRatio: 5 }), y: est({ mse: 4 }) } },
  { label: 'b', estimators: { x: est({ mse: NaN }), y: est({ mse: 2 }) } },
];

describe('evaluateCriteria', () => {
  it('checks a criterion at every point unless it names one, and a NaN metric fails', () => {
    const r = evaluateCriteria([{ metric: 'mse', estimator: 'x', op: '<', threshold: 2 }], points);
    expect(r.map((c) => [c.point, c.pass, c.value])).toEqual([
      ['a', true, 1],
      ['b', false, null],
    ]);
  });

  it('compares ratios with relativeTo and reads diagnostics.<name>', () => {
    const r = evaluateCriteria(
      [
        { metric: 'mse', estimator: 'x', relativeTo: 'y', point: 'a', op: '<', threshold: 0.3 },
        { metric: 'diagnostics.tradeoffRatio', estimator: 'x', point: 'a', op: '>', threshold: 2 },
        { metric: 'diagnostics.tradeoffRatio', estimator: 'y', point: 'a', op: '>', threshold: 2 },
      ],
      points,
    );
    expect(r.map((c) => c.pass)).toEqual([true, true, false]);
    expect(r[0]!.value).toBeCloseTo(0.25, 15);
  });
});
