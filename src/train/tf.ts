/**
 * TensorFlow.js as this project uses it: tfjs-core with the pure-JS `cpu` kernels registered (the fallback
 * backend; wasm and tfjs-node are chosen in backend.ts). Not the whole @tensorflow/tfjs bundle (layers,
 * converter, data, webgl): importing only the core makes a command, and every gradient worker thread,
 * start about twice as fast and ~25 MB lighter (measured: docs/benchmarks.md, start-up).
 */
import '@tensorflow/tfjs-backend-cpu';

export * from '@tensorflow/tfjs-core';

/**
 * Register the ops' gradients (tf.grads), which tfjs-core alone leaves out: only the autodiff reference
 * path needs them. Importing the full bundle registers them in tfjs's global registry, shared by this core.
 */
export async function enableAutodiff(): Promise<void> {
  await import('@tensorflow/tfjs');
}
