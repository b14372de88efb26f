/**
 * Data-parallel gradients over threads. The wasm backend runs single-threaded under Node, so a batch is cut
 * into `threads` contiguous parts: part 0 runs on the calling thread, the others on worker threads with their
 * own TensorFlow.js. Each part's loss and gradient carry the same global normaliser (trainer.ts), so the
 * batch result is their sum, taken in part order: the same seed and thread count give the same bits.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../util/worker.js';
import type { BackendName } from './backend.js';
import { createGradEngine, type Batch, type GradientMode, type Head, type StepResult } from './grad-engine.js';
import type { MlpArch, MlpParams } from './mlp.js';
import { fromWorkerError, type WorkerErrorPayload } from '../util/workerError.js';

export interface BatchEngine {
  /** Loss and gradients of a batch given as parts (one per thread), summed in part order. */
  lossAndGrads(params: MlpParams, parts: Batch[]): Promise<StepResult>;
  threads: number;
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
): Promise<BatchEngine> {
  const local = createGradEngine(arch, head, mode);
  const workers: Worker[] = [];
  try {
    for (let k = 1; k < threads; k++) {
      const w = startWorker(import.meta.url, 'grad-worker');
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
    async lossAndGrads(params, parts) {
      if (parts.length > threads) throw new Error(`${parts.length} batch parts for ${threads} threads`);
      // Send the remote parts first so they run while this thread computes part 0.
      const pending = parts.slice(1).map((b, k) => request(workers[k]!, { kind: 'step', params, batch: b }));
      const first = local.lossAndGrads(params, parts[0]!);
      const rest = await Promise.all(pending);
      let loss = first.loss;
      for (const r of rest) {
        if (r.kind !== 'result') throw new Error('gradient worker: unexpected reply');
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
