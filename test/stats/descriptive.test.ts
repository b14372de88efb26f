/** The re-exported simple-statistics functions on hand-checkable data (guards the re-export and the n − 1 convention). */
import { describe, expect, it } from 'vitest';
import { mean, median, quantile, sampleStandardDeviation, sampleVariance, sum } from '../../src/stats/index.js';

describe('descriptive', () => {
  it('mean, median, sum, variance (n − 1), sd, quantile', () => {
    const x = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(x)).toBe(5);
    expect(median(x)).toBe(4.5);
    expect(sum(x)).toBe(40);
    expect(sampleVariance(x)).toBeCloseTo(32 / 7, 14);
    expect(sampleStandardDeviation(x)).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(quantile(x, 0)).toBe(2);
    expect(quantile(x, 1)).toBe(9);
    expect(median([3, 1, 2])).toBe(2);
  });
  it('sum is compensated', () => {
    expect(sum([1, 1e100, 1, -1e100])).toBe(2);
  });
});
