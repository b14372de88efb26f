/**
 * Fixed fast-check seed for CI so any failure replays exactly. On failure fast-check prints
 * `{ seed, path }`; replay with `FC_SEED=<seed> npx vitest run <file>` (and `path` via fc.assert's options).
 * Set FC_SEED to explore new cases locally.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED != null ? Number(process.env.FC_SEED) : 20261122;
fc.configureGlobal({ seed, verbose: 1, ...(process.env.FC_NUM_RUNS ? { numRuns: Number(process.env.FC_NUM_RUNS) } : {}) });
