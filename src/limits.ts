/**
 * Upper bounds on every size a user can ask for, in one place. Each bound is far above what the bench is
 * meant for and far below what breaks the machine: asking for more is an input error (exit 2) before anything
 * is written, instead of a V8 abort, a 300 MB study.json or a run that never ends. docs/reliability.md
 * lists them; the CLI flags (src/cli/flags.ts), the study schema and the trainer config all read them here.
 */
import { availableParallelism } from 'node:os';

/** Truth Z→ee events of one generation (the event index space below the background index base, 2^31). */
export const MAX_TRUTH_EVENTS = 0x7fffffff;
/** Selected events of `qmisid generate --events` (about 1/3 of truth events pass the default selection). */
export const MAX_SELECTED_EVENTS = 500_000_000;
/**
 * Truth events per toy of a study held in memory (a toy is generated and fitted in memory: 2·10^7 events ≈ 2 GB
 * of columns). A point that streams (src/study/streamToy.ts) may ask for up to MAX_TRUTH_EVENTS; one that cannot
 * is refused above this bound (resolveStudy).
 */
export const MAX_TOY_EVENTS = 20_000_000;
/** Toys of one study: study.json lists every toy's seed, toys.jsonl holds one record per toy. */
export const MAX_TOYS = 100_000;
/** Hard ceiling on worker threads, even with --force-workers. */
export const MAX_FORCED_WORKERS = 256;
/** Trainer: ensemble members, hidden layers, units per hidden layer, epochs, pairs per batch. */
export const MAX_ENSEMBLE = 256;
export const MAX_HIDDEN_LAYERS = 32;
export const MAX_HIDDEN_WIDTH = 4096;
export const MAX_EPOCHS = 100_000;
export const MAX_BATCH = 16_777_216;
/** Truth events per generator work unit (--chunk-events). */
export const MAX_CHUNK_EVENTS = 16_777_216;
/** Characters of a seed given as text. */
export const MAX_SEED_LENGTH = 256;

/** Worker threads allowed without --force-workers: the cores Node reports (at least 1). */
export function maxWorkers(): number {
  return Math.max(1, availableParallelism());
}
