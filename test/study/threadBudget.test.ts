import { describe, expect, it } from 'vitest';
import { threadBudget } from '../../src/study/threadBudget.js';

describe('threadBudget: toys × gradient threads share the cores', () => {
  it('never exceeds the cores unless forced', () => {
    for (const cores of [1, 2, 4, 8]) {
      for (const workers of [0, 1, 2, 3, 4, 8]) {
        const t = threadBudget(workers, undefined, cores);
        expect(t).toBeGreaterThanOrEqual(1);
        // Every toy gets at least one thread; beyond that the total stays within the cores.
        if (workers <= cores) expect(Math.max(1, workers) * t).toBeLessThanOrEqual(cores);
      }
    }
    expect(threadBudget(0, undefined, 2)).toBe(2);
    expect(threadBudget(2, undefined, 2)).toBe(1);
    expect(threadBudget(2, 3, 2)).toBe(3);
  });
});
