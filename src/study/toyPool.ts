/**
 * Run toys on K worker threads (K = 0: in this thread, used by tests and by single-toy studies where a worker
 * would only add start-up time). Toys are handed out one at a time, so a slow toy never holds back the
 * others; each record is passed to `onRecord` the moment it arrives (the caller appends it to toys.jsonl).
 * Records do not depend on which worker ran them: every toy's seed comes from (study seed, toy index).
 * A bug (a non-input error) in a worker stops the pool and rejects with that error.
 */
import { startWorker } from '../util/worker.js';
import { runToy } from './runToy.js';
import { asResolvedStudy, type ResolvedStudy } from './resolveStudy.js';
import type { ToyRecord } from './toyRecord.js';
import { fromWorkerError, type WorkerErrorPayload } from '../util/workerError.js';

export interface PoolOptions {
  workers: number;
  /** Gradient threads each toy's estimators may use (threadBudget.ts; default: the trainer's own). */
  threads?: number;
}

export async function runToysInPool(
  study: ResolvedStudy,
  toys: readonly number[],
  opts: PoolOptions,
  onRecord: (rec: ToyRecord) => void,
): Promise<void> {
  if (opts.workers <= 0 || toys.length === 0) {
    // A study read back from study.json (resume) is JSON: brand it once, so no toy resolves its configs again.
    asResolvedStudy(study);
    for (const t of toys) {
      onRecord(await runToy(study, t, opts.threads));
      // A macrotask between toys: a toy is synchronous work, and without this SIGINT/SIGTERM would wait for
      // the whole study (signal handlers run on the event loop, src/io/cleanup.ts).
      await new Promise<void>((r) => setImmediate(r));
    }
    return;
  }
  const nWorkers = Math.min(opts.workers, toys.length);
  const queue = [...toys];
  await new Promise<void>((resolve, reject) => {
    let live = nWorkers;
    let failed = false;
    const workers = Array.from({ length: nWorkers }, () =>
      startWorker(import.meta.url, 'toyWorker', { workerData: { study, threads: opts.threads } }),
    );
    const stopAll = (): void => {
      for (const w of workers) void w.terminate();
    };
    for (const w of workers) {
      const next = (): void => {
        const t = queue.shift();
        if (t === undefined) w.postMessage({ stop: true });
        else w.postMessage({ toy: t });
      };
      w.on('message', (msg: { ready?: true; toy?: number; record?: ToyRecord; error?: WorkerErrorPayload }) => {
        if (failed) return;
        if (msg.error) {
          failed = true;
          stopAll();
          reject(fromWorkerError(msg.error, `toy ${msg.toy}`));
          return;
        }
        if (msg.record) {
          try {
            onRecord(msg.record);
          } catch (err) {
            failed = true;
            stopAll();
            reject(err as Error);
            return;
          }
        }
        next();
      });
      w.on('error', (err) => {
        if (failed) return;
        failed = true;
        stopAll();
        reject(err);
      });
      w.on('exit', () => {
        live--;
        if (live === 0 && !failed) resolve();
      });
    }
  });
}
