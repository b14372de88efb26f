/**
 * Data-parallel gradients over threads. The wasm backend runs single-threaded under Node, so a batch is cut
 * into `parts` contiguous parts (the trainer's `threads` setting; `BatchEngine.threads` is that part count).
 * The parts run on `workers` ≤ parts threads: the calling thread and worker threads with their own
 * TensorFlow.js, part k on thread k mod workers. Each part's loss and gradient carry the same global
 * normaliser (trainer.ts), so the batch result is their sum, taken in part order. A part's result does not
 * depend on which thread computed it, so the same seed and part count give the same bits whatever the number
 * of threads: a study can give each toy fewer threads when it runs more toys at once (cores are shared,
 * threadBudget.ts) and its records stay identical.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../util/worker.js';
import type { BackendName } from './backend.js';
import { createGradEngine, type Batch, type GradientMode, type Head, type StepResult } from './gradEngine.js';
import type { MlpArch, MlpParams } from './mlp.js';
import { enableAutodiff } from './tf.js';
import { fromWorkerError, type WorkerErrorPayload } from '../util/workerError.js';

export interface BatchEngine {
  /** Loss and gradients of a batch given as parts (at most `threads`), summed in part order. */
  lossAndGrads(params: MlpParams, parts: Batch[]): Promise<StepResult>;
  /** How many parts a batch is cut into (the trainer's `threads`). */
  threads: number;
  /** Threads actually computing the parts (1 ≤ workers ≤ threads). */
  workers: number;
  dispose(): Promise<void>;
}

function addInto(acc: MlpParams, g: MlpParams): void {
  const a = [...acc.weights, ...acc.biases];
  const b = [...g.weights, ...g.biases];
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    for (let i = 0; i < x.length; i++) x[i] = x[i]! + y[i]!;
  }
}

type Reply =
  | { kind: 'ready'; backend: BackendName }
  | { kind: 'result'; loss: number; grads: MlpParams }
  | { kind: 'error'; error: WorkerErrorPayload };

function request(w: Worker, msg: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (r: Reply) => {
      w.off('error', onError);
      if (r.kind === 'error') reject(fromWorkerError(r.error, 'gradient worker'));
      else resolve(r);
    };
    const onError = (e: Error) => {
      w.off('message', onMessage);
      reject(e);
    };
    w.once('message', onMessage);
    w.once('error', onError);
    w.postMessage(msg);
  });
}

export async function createBatchEngine(
  arch: MlpArch,
  head: Head,
  mode: GradientMode,
  threads: number,
  backend: BackendName,
  maxWorkers = threads,
): Promise<BatchEngine> {
  if (mode === 'autodiff') await enableAutodiff();
  const local = createGradEngine(arch, head, mode);
  const workers: Worker[] = [];
  const nThreads = Math.max(1, Math.min(threads, Math.floor(maxWorkers)));
  try {
    for (let k = 1; k < nThreads; k++) {
      const w = startWorker(import.meta.url, 'gradWorker');
      workers.push(w);
      const r = await request(w, { kind: 'init', arch, head, mode, backend });
      if (r.kind !== 'ready' || r.backend !== backend)
        throw new Error(`gradient worker started on ${(r as { backend?: string }).backend}, expected ${backend}`);
    }
  } catch (err) {
    local.dispose();
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  return {
    threads,
    workers: nThreads,
    async lossAndGrads(params, parts) {
      if (parts.length > threads) throw new Error(`${parts.length} batch parts for ${threads} threads`);
      // Thread t computes parts t, t + nThreads, …; remote ones are sent first so they run while this
      // thread computes its own. Every part's result is kept and the sum is taken in part order.
      const remote = (t: number): Promise<StepResult[]> =>
        (async () => {
          const out: StepResult[] = [];
          for (let k = t; k < parts.length; k += nThreads) {
            const r = await request(workers[t - 1]!, { kind: 'step', params, batch: parts[k]! });
            if (r.kind !== 'result') throw new Error('gradient worker: unexpected reply');
            out.push({ loss: r.loss, grads: r.grads });
          }
          return out;
        })();
      const pending = Array.from({ length: nThreads - 1 }, (_, i) => remote(i + 1));
      const own: StepResult[] = [];
      for (let k = 0; k < parts.length; k += nThreads) own.push(local.lossAndGrads(params, parts[k]!));
      const rest = await Promise.all(pending);
      const byPart = (k: number): StepResult =>
        k % nThreads === 0 ? own[k / nThreads]! : rest[(k % nThreads) - 1]![Math.floor(k / nThreads)]!;
      const first = byPart(0);
      let loss = first.loss;
      for (let k = 1; k < parts.length; k++) {
        const r = byPart(k);
        loss += r.loss;
        addInto(first.grads, r.grads);
      }
      return { loss, grads: first.grads };
    },
    async dispose() {
      local.dispose();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
