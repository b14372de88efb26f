/**
 * Inference: φ for many electrons, in chunks, with the fused forward pass. No gradient bookkeeping.
 */
import * as tf from './tf.js';
import { mlpForward, toTensors, type MlpArch, type MlpParams } from './mlp.js';

/**
 * Rows per forward pass. The wasm heap keeps its high-water mark, so the chunk sets what prediction adds to it:
 * 65536 rows of a 3×64 net took it to 58 MB; 16384 rows need about a quarter of that.
 */
export const PREDICT_CHUNK_ROWS = 16384;

/**
 * φ for `rows` normalised input rows (row-major [rows, arch.inputs]), written into `into` when given (e.g. a
 * part of a larger array, so no second copy of every electron's φ is made) or into a new array.
 */
export function predictPhi(
  arch: MlpArch,
  params: MlpParams,
  x: Float32Array,
  rows: number,
  chunk = PREDICT_CHUNK_ROWS,
  into?: Float32Array,
): Float32Array {
  const d = arch.inputs;
  if (into && into.length !== rows) throw new Error(`predictPhi: ${rows} rows into an array of ${into.length}`);
  const out = into ?? new Float32Array(rows);
  const m = toTensors(arch, params);
  try {
    for (let s = 0; s < rows; s += chunk) {
      const r = Math.min(chunk, rows - s);
      const phi = tf.tidy(() => mlpForward(m, tf.tensor2d(x.subarray(s * d, (s + r) * d), [r, d])));
      out.set(phi.dataSync() as Float32Array, s);
      phi.dispose();
    }
  } finally {
    tf.dispose([...m.weights, ...m.biases, ...m.slopes]);
  }
  return out;
}

/** ε = sigmoid(φ), written so that neither branch overflows. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
