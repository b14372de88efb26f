/**
 * The generator's entry point: plan blocks → run them (in this thread or on worker threads) → emit the
 * tables strictly in block order (renumbering fake pairs run-wide, truncating in selected mode) → sink or
 * collect, with a running summary.
 *
 * Reproducibility: a block's rows depend only on (config, root seed, block index, events in the block), so the
 * output is byte-identical for any chunk size or worker count; chunks and workers only decide where blocks run.
 * Memory: at most 2 chunks per worker are in flight ahead of the emitter; with a sink nothing else is kept.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { NumericalError, UsageError } from '../../src/errors.js';
import type { Seed } from '../../src/rng.js';
import { concatTables, sliceTable, type EventTable } from '../../src/events/columns.js';
import { MAX_TRUTH_EVENTS } from '../../src/limits.js';
import { resolveGeneratorConfig, type GeneratorConfigInput, type ResolvedGeneratorConfig } from '../../src/config/generatorConfig.js';
import { startWorker } from '../../src/util/worker.js';
import { BACKGROUND_EVENT_BASE, createBlockContext, generateBlock, type BlockContext } from './generateBlock.js';
import { SummaryAccumulator, type GenerationSummary } from './summary.js';
import type { BlockReply, BlockTask } from './blockWorker.js';
import { fromWorkerError } from '../../src/util/workerError.js';

export interface GenerateOptions {
  /** A partial config (resolved here, once) or one resolveGeneratorConfig already returned (used as it is). */
  config?: GeneratorConfigInput | ResolvedGeneratorConfig;
  /** How many events: truth (generated) events, or selected events (rows written), per `count`. */
  events: number;
  /** 'truth' (default): `events` truth Z→ee events are generated. 'selected': generate until exactly `events` rows pass. */
  count?: 'truth' | 'selected';
  seed: Seed;
  /** Worker threads; 0 runs in the calling thread. Default: min(2, available cores). A user ε function forces 0. */
  workers?: number;
  /** Truth events per unit of work handed to a worker and per sink call (rounded up to whole blocks). Does not change the output. */
  chunkEvents?: number;
  onProgress?: (doneTruth: number, doneSelected: number) => void;
  /** Receives the selected rows chunk by chunk, in order; when given, no table is returned. */
  sink?: (chunk: EventTable) => Promise<void> | void;
}

export interface GenerateResult {
  table?: EventTable;
  summary: GenerationSummary;
  config: ResolvedGeneratorConfig;
}

// Truth event indices stay below BACKGROUND_EVENT_BASE (2^31), where the fakes' indices start.
if (MAX_TRUTH_EVENTS >= BACKGROUND_EVENT_BASE) throw new Error('MAX_TRUTH_EVENTS must stay below BACKGROUND_EVENT_BASE');
const EMPTY_SELECTION_LIMIT = 1 << 20;

export async function generateEvents(opts: GenerateOptions): Promise<GenerateResult> {
  const cfg = resolveGeneratorConfig(opts.config);
  const count = opts.count ?? 'truth';
  const events = opts.events;
  if (!(Number.isInteger(events) && events >= 0)) throw new UsageError('events', events, 'expected a non-negative integer');
  if (count === 'truth' && events > MAX_TRUTH_EVENTS)
    throw new UsageError('events', events, `expected at most ${MAX_TRUTH_EVENTS} truth events`);
  if (opts.seed == null) throw new UsageError('seed', opts.seed, 'expected a seed (number or string)');
  const B = cfg.blockSize;
  const blocksPerChunk = Math.max(1, Math.ceil((opts.chunkEvents ?? 4 * B) / B));
  let workers = opts.workers ?? Math.min(2, availableParallelism());
  if (!(Number.isInteger(workers) && workers >= 0)) throw new UsageError('workers', workers, 'expected a non-negative integer');
  if (cfg.eps.model === 'function') workers = 0; // a function cannot cross a thread boundary
  const maxBlocks = Math.floor(MAX_TRUTH_EVENTS / B);
  const totalBlocks = count === 'truth' ? Math.ceil(events / B) : Infinity;
  const totalChunks = Math.ceil(totalBlocks / blocksPerChunk);

  const chunkBlocks = (id: number): [number, number][] => {
    const out: [number, number][] = [];
    for (let b = id * blocksPerChunk; b < Math.min((id + 1) * blocksPerChunk, totalBlocks); b++) {
      if (b >= maxBlocks) throw new UsageError('events', events, `selected-event target needs more than ${MAX_TRUTH_EVENTS} truth events`);
      out.push([b, count === 'truth' ? Math.min(B, events - b * B) : B]);
    }
    return out;
  };

  // Emitter: in block order.
  const summary = new SummaryAccumulator();
  const kept: EventTable[] = [];
  let bkgCounter = 0;
  let truthDone = 0;
  let rowsDone = 0;
  let finished = count === 'selected' ? events === 0 : totalBlocks === 0;
  const emitBlock = async (table: EventTable, block: number, nTruth: number): Promise<void> => {
    let t = table;
    let truthUsed = nTruth;
    if (count === 'selected' && rowsDone + t.n >= events) {
      t = sliceTable(t, 0, events - rowsDone);
      // Truth events used: up to the last kept signal row's event.
      const ev = t.columns.event as Uint32Array;
      const bg = t.columns.is_background as Uint8Array;
      let last = -1;
      for (let i = t.n - 1; i >= 0; i--)
        if (!bg[i]) {
          last = ev[i]! - block * B;
          break;
        }
      truthUsed = last + 1;
      finished = true;
    }
    bkgCounter = renumberBackground(t, bkgCounter);
    summary.addTruth(truthUsed);
    summary.addTable(t);
    truthDone += truthUsed;
    rowsDone += t.n;
    if (opts.sink) await opts.sink(t);
    else kept.push(t);
  };
  const emitChunk = async (blocks: [number, number][], tables: EventTable[]): Promise<void> => {
    for (let k = 0; k < tables.length && !finished; k++) await emitBlock(tables[k]!, blocks[k]![0], blocks[k]![1]);
    if (count === 'truth' && blocks.length && blocks[blocks.length - 1]![0] === totalBlocks - 1) finished = true;
    opts.onProgress?.(truthDone, rowsDone);
    // A selection that keeps nothing would otherwise run through 2^31 truth events.
    if (count === 'selected' && !finished && rowsDone === 0 && truthDone >= EMPTY_SELECTION_LIMIT)
      throw new NumericalError(
        'generate',
        `no event passed the selection in ${truthDone} truth events: check selection.ptMin, selection ranges and detector acceptance`,
      );
  };

  if (!finished) {
    if (workers === 0) {
      const ctx = createBlockContext(cfg);
      for (let id = 0; !finished && id < totalChunks; id++) {
        const blocks = chunkBlocks(id);
        await emitChunk(
          blocks,
          blocks.map(([b, n]) => generateBlock(ctx, opts.seed, b, n)),
        );
        await new Promise<void>((r) => setImmediate(r)); // let progress output and signals through
      }
    } else {
      await runOnWorkers(cfg, opts.seed, workers, totalChunks, chunkBlocks, emitChunk, () => finished);
    }
  }
  if (count === 'selected' && rowsDone < events)
    throw new NumericalError('generate', `stopped at ${rowsDone} of ${events} selected events`);
  return { ...(opts.sink ? {} : { table: concatTables(kept) }), summary: summary.result(), config: cfg };
}

/**
 * Fake pairs are numbered per block; give them run-wide ids BACKGROUND_EVENT_BASE + k, in block order, so every
 * event id is unique in a run. Returns the next free k.
 */
function renumberBackground(t: EventTable, next: number): number {
  const ev = t.columns.event as Uint32Array;
  const bg = t.columns.is_background as Uint8Array;
  for (let i = 0; i < t.n; i++) if (bg[i]) ev[i] = BACKGROUND_EVENT_BASE + next++;
  return next;
}

/**
 * `events` truth events generated in the calling thread with a prepared block context: the same rows as
 * generateEvents({ count: 'truth', workers: 0 }), for callers (study toys) that reuse one context across many
 * samples of the same configuration.
 */
export function generateTruthEventsSync(ctx: BlockContext, seed: Seed, events: number): EventTable {
  return concatTables([...truthEventBlocks(ctx, seed, events)]);
}

/**
 * The rows of generateTruthEventsSync block by block, in order: a block depends only on (config, seed, block
 * index), so the sample can be generated again, identically, without having been kept (a streamed study toy
 * goes over its events twice, src/study/streamToy.ts).
 */
export function* truthEventBlocks(ctx: BlockContext, seed: Seed, events: number): Generator<EventTable> {
  const B = ctx.config.blockSize;
  let next = 0;
  for (let b = 0; b * B < events; b++) {
    const t = generateBlock(ctx, seed, b, Math.min(B, events - b * B));
    next = renumberBackground(t, next);
    yield t;
  }
}

async function runOnWorkers(
  cfg: ResolvedGeneratorConfig,
  seed: Seed,
  nWorkers: number,
  totalChunks: number,
  chunkBlocks: (id: number) => [number, number][],
  emitChunk: (blocks: [number, number][], tables: EventTable[]) => Promise<void>,
  isFinished: () => boolean,
): Promise<void> {
  const pool: Worker[] = [];
  const results = new Map<number, EventTable[]>();
  const plans = new Map<number, [number, number][]>();
  let nextDispatch = 0;
  let nextEmit = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const lookahead = 2 * nWorkers;
  const idle: Worker[] = [];
  const dispatch = (w: Worker): void => {
    if (failure || isFinished() || nextDispatch >= totalChunks || nextDispatch >= nextEmit + lookahead) {
      idle.push(w);
      return;
    }
    const id = nextDispatch++;
    try {
      const blocks = chunkBlocks(id);
      plans.set(id, blocks);
      w.postMessage({ id, blocks } satisfies BlockTask);
    } catch (err) {
      failure ??= err as Error;
      idle.push(w);
      signal();
    }
  };
  let closing = false;
  try {
    for (let k = 0; k < Math.min(nWorkers, totalChunks); k++) {
      const w = startWorker(import.meta.url, 'blockWorker', { workerData: { config: cfg, seed } });
      w.on('message', (msg: BlockReply) => {
        if ('error' in msg) failure ??= fromWorkerError(msg.error, 'generator worker');
        else results.set(msg.id, msg.tables);
        dispatch(w);
        signal();
      });
      w.on('error', (err) => {
        failure ??= err instanceof Error ? err : new Error(String(err));
        signal();
      });
      w.on('exit', (code) => {
        if (!closing) failure ??= new Error(`generator worker exited unexpectedly (code ${code})`);
        signal();
      });
      pool.push(w);
      dispatch(w);
    }
    while (!isFinished() && nextEmit < totalChunks) {
      if (failure) throw failure;
      const tables = results.get(nextEmit);
      if (!tables) {
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      results.delete(nextEmit);
      await emitChunk(plans.get(nextEmit)!, tables);
      plans.delete(nextEmit);
      nextEmit++;
      // Room in the lookahead window: wake idle workers.
      while (idle.length && nextDispatch < nextEmit + lookahead && nextDispatch < totalChunks && !isFinished()) dispatch(idle.pop()!);
    }
    if (failure) throw failure;
  } finally {
    closing = true;
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
