/**
 * Worker-thread side of the parallel gradient engine (parallelEngine.ts): its own TensorFlow.js instance on
 * the requested backend computes loss and gradients for its share of each batch.
 */
import { enableAutodiff } from './tf.js';
import { parentPort } from 'node:worker_threads';
import { selectBackend, type BackendName } from './backend.js';
import { createGradEngine, type Batch, type GradEngine, type GradientMode, type Head } from './gradEngine.js';
import type { MlpArch, MlpParams } from './mlp.js';
import { toWorkerError } from '../util/workerError.js';

export type WorkerRequest =
  | { kind: 'init'; arch: MlpArch; head: Head; mode: GradientMode; backend: BackendName }
  | { kind: 'step'; params: MlpParams; batch: Batch }
  | { kind: 'close' };

let engine: GradEngine | undefined;

parentPort!.on('message', (msg: WorkerRequest) => {
  void (async () => {
    try {
      if (msg.kind === 'init') {
        const got = await selectBackend(msg.backend);
        if (msg.mode === 'autodiff') await enableAutodiff();
        engine = createGradEngine(msg.arch, msg.head, msg.mode);
        parentPort!.postMessage({ kind: 'ready', backend: got });
      } else if (msg.kind === 'step') {
        const r = engine!.lossAndGrads(msg.params, msg.batch);
        const transfer = [...r.grads.weights, ...r.grads.biases].map((a) => a.buffer as ArrayBuffer);
        parentPort!.postMessage({ kind: 'result', loss: r.loss, grads: r.grads }, transfer);
      } else {
        engine?.dispose();
        parentPort!.close();
      }
    } catch (err) {
      parentPort!.postMessage({ kind: 'error', error: toWorkerError(err) });
    }
  })();
});
