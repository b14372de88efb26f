/**
 * How many threads each toy's estimators may use: the machine's cores shared among the toys running at once,
 * so `--workers K` toys × their gradient threads never exceed the cores unless forced with `--threads`.
 * Records do not depend on it (the trainer cuts batches into a fixed number of parts: parallelEngine.ts).
 */
import { availableParallelism } from 'node:os';

export function threadBudget(workers: number, forced?: number, cores = availableParallelism()): number {
  if (forced != null) return forced;
  return Math.max(1, Math.floor(cores / Math.max(1, workers)));
}
