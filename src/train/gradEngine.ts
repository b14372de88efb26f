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
import { bceWithLogits, pairLoss, pairLossAndGrad, splitPairs, type PairBackground, type PairFold } from './pairLoss.js';
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

/**
 * Pairs per sub-part. A batch part is computed in sub-parts of at most this many pairs (the last one shorter),
 * each in its own tf.tidy, and their gradients are summed in sub-part order in float32. Every intermediate of
 * a forward/backward pass lives until its tidy ends, and the TensorFlow.js wasm heap never shrinks, so the
 * sub-part size, not the batch, sets the heap a gradient thread needs: ~13 MB for 1024 pairs of a 3×64 net
 * against ~105 MB for the 8192 pairs of half a default batch (docs/event-input.md). The cut depends only on
 * the part, never on the number of threads, so the bits stay independent of the thread budget.
 */
export const SUB_PART_PAIRS = 1024;

export interface GradEngine {
  lossAndGrads(params: MlpParams, batch: Batch): StepResult;
  dispose(): void;
}

/**
 * Pairs [start, start + len) of a batch. Both heads lay the network rows out as electron 1 of every pair, then
 * electron 2; the electron head's targets follow that layout, the pair head's are one per pair.
 */
function subBatch(batch: Batch, head: Head, d: number, start: number, len: number): Batch {
  const P = batch.rows / 2;
  const halves = <T extends Float32Array>(a: T, width: number): Float32Array => {
    const out = new Float32Array(2 * len * width);
    out.set(a.subarray(start * width, (start + len) * width), 0);
    out.set(a.subarray((P + start) * width, (P + start + len) * width), len * width);
    return out;
  };
  const perPair = (a: Float32Array): Float32Array => a.slice(start, start + len);
  const sub: Batch = {
    x: halves(batch.x, d),
    rows: 2 * len,
    y: head === 'pair' ? perPair(batch.y) : halves(batch.y, 1),
    w: head === 'pair' ? perPair(batch.w) : halves(batch.w, 1),
    norm: batch.norm,
  };
  if (batch.bkg) sub.bkg = { oc: perPair(batch.bkg.oc), sc: perPair(batch.bkg.sc) };
  if (batch.fold) sub.fold = { rho1: perPair(batch.fold.rho1), rho2: perPair(batch.fold.rho2) };
  return sub;
}

/** The oracle's loss: weighted BCE of sigmoid(φ) against the truth flip label, Σ w·ℓ / norm. */
function electronLoss(f: tf.Tensor1D, y: tf.Tensor1D, w: tf.Tensor1D, norm: number): tf.Scalar {
  return tf.div(tf.sum(tf.mul(w, bceWithLogits(f, y))), norm) as tf.Scalar;
}

function electronLossAndGrad(phi: tf.Tensor2D, y: tf.Tensor1D, w: tf.Tensor1D, norm: number): { loss: tf.Scalar; dPhi: tf.Tensor2D } {
  const f = tf.reshape(phi, [y.shape[0]]) as tf.Tensor1D;
  const loss = electronLoss(f, y, w, norm);
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
  if (head === 'electron') return electronLoss(tf.reshape(phi, [y.shape[0]]) as tf.Tensor1D, y, w, norm);
  const [a, b] = splitPairs(phi, y.shape[0]);
  return pairLoss(a, b, y, w, norm, bkg, fold);
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
    const pairs = batch.rows / 2;
    if (pairs <= SUB_PART_PAIRS) return subPartLossAndGrads(params, batch);
    let loss = 0;
    let acc: Float32Array[] = [];
    for (let s = 0; s < pairs; s += SUB_PART_PAIRS) {
      const r = subPartLossAndGrads(params, subBatch(batch, head, d, s, Math.min(SUB_PART_PAIRS, pairs - s)));
      const g = [...r.grads.weights, ...r.grads.biases];
      loss += r.loss;
      if (s === 0) acc = g;
      else
        for (let k = 0; k < acc.length; k++) {
          const a = acc[k]!;
          const b = g[k]!;
          for (let i = 0; i < a.length; i++) a[i] = a[i]! + b[i]!;
        }
    }
    return { loss, grads: { weights: acc.slice(0, nLayers), biases: acc.slice(nLayers) } };
  };

  const subPartLossAndGrads = (params: MlpParams, batch: Batch): StepResult => {
    const d = arch.inputs;
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
