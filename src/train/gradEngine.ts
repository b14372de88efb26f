/**
 * One training step's loss and gradients, computed with TensorFlow.js on the active backend.
 *
 * Heads:
 *   pair      φ of both electrons → f(φ1, φ2) (eq. 3) → weighted BCE with y = 1 for OC  (the method)
 *   electron  φ of each electron → weighted BCE of sigmoid(φ) against the truth flip label (the oracle)
 * Gradients:
 *   manual    analytic dL/dφ (pairLoss.ts) + hand-written dense backward pass (mlp.ts)
 *   autodiff  tf.grads through the same forward pass (the reference the manual pass is tested against)
 */
import * as tf from './tf.js';
import { bceWithLogits, pairLoss, pairLossAndGrad, type PairBackground, type PairFold } from './pairLoss.js';
import {
  layerShapes,
  mlpBackward,
  mlpForward,
  mlpTrace,
  mlpTransposedInputs,
  toTensors,
  type MlpArch,
  type MlpParams,
  type MlpTensors,
} from './mlp.js';

export type Head = 'pair' | 'electron';
export type GradientMode = 'manual' | 'autodiff';

/** A batch, ready for the network. */
export interface Batch {
  /** Network inputs, row-major [rows, d]. Pair head: rows 0..B−1 are electron 1, rows B..2B−1 electron 2. */
  x: Float32Array;
  rows: number;
  /** One label and weight per target: per pair (y = 1 for OC) or per electron (y = truth flip). */
  y: Float32Array;
  w: Float32Array;
  /** The loss is Σ w·ℓ / norm (see trainer.ts for the choice of norm). */
  norm: number;
  /**
   * Pair head with a modelled background (sideband subtraction, pairLoss.ts): per pair the background OC and
   * SC probabilities of its category. Absent: the plain cross-entropy.
   */
  bkg?: { oc: Float32Array; sc: Float32Array };
  /** Pair head, folded loss (foldOffsets.ts): per pair the log acceptance/migration factors of leg 1 and 2. */
  fold?: { rho1: Float32Array; rho2: Float32Array };
}

export interface StepResult {
  loss: number;
  grads: MlpParams;
}

export interface GradEngine {
  lossAndGrads(params: MlpParams, batch: Batch): StepResult;
  dispose(): void;
}

function electronLossAndGrad(phi: tf.Tensor2D, y: tf.Tensor1D, w: tf.Tensor1D, norm: number): { loss: tf.Scalar; dPhi: tf.Tensor2D } {
  const f = tf.reshape(phi, [y.shape[0]]);
  const loss = tf.div(tf.sum(tf.mul(w, bceWithLogits(f, y))), norm) as tf.Scalar;
  const dPhi = tf.reshape(tf.div(tf.mul(w, tf.sub(tf.sigmoid(f), y)), norm), [y.shape[0], 1]) as tf.Tensor2D;
  return { loss, dPhi };
}

function lossOnly(
  head: Head,
  phi: tf.Tensor2D,
  y: tf.Tensor1D,
  w: tf.Tensor1D,
  norm: number,
  bkg?: PairBackground,
  fold?: PairFold,
): tf.Scalar {
  if (head === 'electron') return tf.div(tf.sum(tf.mul(w, bceWithLogits(tf.reshape(phi, [y.shape[0]]), y))), norm) as tf.Scalar;
  const B = y.shape[0];
  const flat = tf.reshape(phi, [2 * B]);
  return pairLoss(tf.slice(flat, [0], [B]) as tf.Tensor1D, tf.slice(flat, [B], [B]) as tf.Tensor1D, y, w, norm, bkg, fold);
}

/**
 * `transposedForward` (manual mode): take the layer inputs' transposes from a second, feature-major forward
 * pass instead of tf.transpose (faster on wasm; see mlp.ts). Off only to compare the two in tests/benches.
 */
export function createGradEngine(arch: MlpArch, head: Head, mode: GradientMode = 'manual', transposedForward = true): GradEngine {
  const shapes = layerShapes(arch);
  const nLayers = shapes.length;
  // Ones row vectors for the bias gradient, one per batch size; kept across steps, released by dispose().
  const ones = new Map<number, tf.Tensor2D>();
  const onesFor = (rows: number): tf.Tensor2D => {
    let t: tf.Tensor2D | undefined = ones.get(rows);
    if (t === undefined) {
      t = tf.keep(tf.ones([1, rows]) as tf.Tensor2D);
      ones.set(rows, t);
    }
    return t;
  };

  const lossAndGrads = (params: MlpParams, batch: Batch): StepResult => {
    const d = arch.inputs;
    if (batch.x.length !== batch.rows * d) throw new Error(`batch.x has ${batch.x.length} values, expected ${batch.rows}×${d}`);
    const one = mode === 'manual' ? onesFor(batch.rows) : undefined;
    const out = tf.tidy(() => {
      const x = tf.tensor2d(batch.x, [batch.rows, d]);
      const y = tf.tensor1d(batch.y);
      const w = tf.tensor1d(batch.w);
      const bkg = batch.bkg ? { oc: tf.tensor1d(batch.bkg.oc), sc: tf.tensor1d(batch.bkg.sc) } : undefined;
      const fold = batch.fold ? { rho1: tf.tensor1d(batch.fold.rho1), rho2: tf.tensor1d(batch.fold.rho2) } : undefined;
      const m = toTensors(arch, params);
      if (mode === 'manual') {
        const { hs, phi } = mlpTrace(m, x);
        const { loss, dPhi } =
          head === 'pair' ? pairLossAndGrad(phi, y, w, batch.norm, bkg, fold) : electronLossAndGrad(phi, y, w, batch.norm);
        const { dW, db } = mlpBackward(m, hs, dPhi, one!, transposedForward ? mlpTransposedInputs(m, x) : undefined);
        return [loss, ...dW, ...db];
      }
      const vars = [...m.weights, ...m.biases];
      const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => {
        const mm: MlpTensors = { ...m, weights: ps.slice(0, nLayers) as tf.Tensor2D[], biases: ps.slice(nLayers) as tf.Tensor1D[] };
        return lossOnly(head, mlpForward(mm, x), y, w, batch.norm, bkg, fold);
      })(vars);
      return [value, ...grads];
    });
    const data = out.map((t) => t.dataSync() as Float32Array);
    tf.dispose(out);
    return {
      loss: data[0]![0]!,
      grads: {
        weights: data.slice(1, 1 + nLayers).map((a) => new Float32Array(a)),
        biases: data.slice(1 + nLayers).map((a) => new Float32Array(a)),
      },
    };
  };

  return {
    lossAndGrads,
    dispose: () => {
      for (const t of ones.values()) t.dispose();
      ones.clear();
    },
  };
}
