/**
 * The per-electron network φ(e): an MLP from normalised features to one real number, the note's φ, which
 * the pair loss drives towards κ = logit ε (eq. 3).
 *
 * Parameters live in JavaScript (Float32Array per layer) and are uploaded as tensors for each step, so the
 * optimiser, early stopping ("restore best weights") and saving need no tf variables.
 *
 * The backward pass is written out by hand. TensorFlow.js autodiff expresses the dense-layer gradient as
 * matMul with transposeA/transposeB and a sum over axis 0; on the wasm backend those are ~10x slower than an
 * explicit transpose followed by a plain matMul, and a matMul with a ones vector. The hand-written pass
 * computes the same quantities (test/train/mlp.test.ts compares it with tf.grads).
 */
import * as tf from './tf.js';
import { createRng, type Seed } from '../rng.js';
import { activationBackward, denseForward, type ActivationName } from './activation.js';

export interface MlpArch {
  inputs: number;
  hidden: number[];
  activation: ActivationName;
  /** Negative-side slope of leaky ReLU. */
  alpha: number;
}

/** weights[l] row-major [fanIn, fanOut]; biases[l] [fanOut]; the last layer has one output. */
export interface MlpParams {
  weights: Float32Array[];
  biases: Float32Array[];
}

export interface MlpTensors {
  arch: MlpArch;
  weights: tf.Tensor2D[];
  biases: tf.Tensor1D[];
  /** Leaky-ReLU slope vectors, one per hidden layer (see activation.ts). */
  slopes: tf.Tensor1D[];
}

/** The same slopes as columns [h, 1], for the feature-major forward pass. */
function slopeColumns(arch: MlpArch): tf.Tensor2D[] {
  return arch.activation === 'leakyRelu' ? arch.hidden.map((h) => tf.fill([h, 1], arch.alpha) as tf.Tensor2D) : [];
}

export function layerShapes(arch: MlpArch): [number, number][] {
  const widths = [arch.inputs, ...arch.hidden, 1];
  return widths.slice(1).map((w, l) => [widths[l]!, w]);
}

/** Flat list of parameter arrays in a fixed order: all weights, then all biases. */
export function flatParams(p: MlpParams): Float32Array[] {
  return [...p.weights, ...p.biases];
}

export function cloneParams(p: MlpParams): MlpParams {
  return { weights: p.weights.map((w) => w.slice()), biases: p.biases.map((b) => b.slice()) };
}

/** Glorot-uniform weights from our own seeded stream (not tf's), zero hidden biases, the given output bias. */
export function initParams(arch: MlpArch, seed: Seed, outputBias: number): MlpParams {
  const rng = createRng(seed);
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (const [fanIn, fanOut] of layerShapes(arch)) {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const w = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < w.length; i++) w[i] = (2 * rng.uniform() - 1) * limit;
    weights.push(w);
    biases.push(new Float32Array(fanOut));
  }
  biases[biases.length - 1]![0] = outputBias;
  return { weights, biases };
}

/** φ → −φ exactly: negate the output layer (f(φ1, φ2) = f(−φ1, −φ2), the note's branch symmetry). */
export function negateOutput(p: MlpParams): MlpParams {
  const q = cloneParams(p);
  const L = q.weights.length - 1;
  q.weights[L] = q.weights[L]!.map((v) => -v);
  q.biases[L] = q.biases[L]!.map((v) => -v);
  return q;
}

/** Upload parameters as tensors. Call inside tf.tidy (or dispose the result). */
export function toTensors(arch: MlpArch, p: MlpParams): MlpTensors {
  const shapes = layerShapes(arch);
  return {
    arch,
    weights: shapes.map(([i, o], l) => tf.tensor2d(p.weights[l]!, [i, o])),
    biases: shapes.map((_, l) => tf.tensor1d(p.biases[l]!)),
    slopes: arch.activation === 'leakyRelu' ? arch.hidden.map((h) => tf.fill([h], arch.alpha) as tf.Tensor1D) : [],
  };
}

/** Layer inputs [x, h1, …, h_L] and φ of shape [N, 1]. Call inside tf.tidy. */
export function mlpTrace(m: MlpTensors, x: tf.Tensor2D): { hs: tf.Tensor2D[]; phi: tf.Tensor2D } {
  const hs = [x];
  const last = m.weights.length - 1;
  let h = x;
  for (let l = 0; l < last; l++) {
    h = denseForward(h, m.weights[l]!, m.biases[l]!, m.arch.activation, m.slopes[l]);
    hs.push(h);
  }
  return { hs, phi: denseForward(h, m.weights[last]!, m.biases[last]!, 'linear') };
}

/** φ for a batch of normalised feature rows, shape [N, 1]. Call inside tf.tidy. */
export function mlpForward(m: MlpTensors, x: tf.Tensor2D): tf.Tensor2D {
  return mlpTrace(m, x).phi;
}

/**
 * The layer inputs in feature-major layout, hᵀ [width, N], computed by a second forward pass
 * hᵀ_l = act(W_lᵀ·hᵀ_{l−1} + b_l) rather than by transposing hs. The weight-gradient matMul needs hᵀ, and on
 * wasm a plain [64×64]·[64×N] matMul plus a broadcast bias and PReLU costs less than half a transpose of the
 * [N×64] activations (docs/training.md). Call inside tf.tidy.
 */
export function mlpTransposedInputs(m: MlpTensors, x: tf.Tensor2D): tf.Tensor2D[] {
  const alphaCols = slopeColumns(m.arch);
  let hT: tf.Tensor2D = tf.transpose(x); // [d, N]: small, d is a few inputs
  const out = [hT];
  for (let l = 0; l < m.weights.length - 1; l++) {
    const z = tf.add(tf.matMul(tf.transpose(m.weights[l]!), hT), tf.reshape(m.biases[l]!, [-1, 1])) as tf.Tensor2D;
    switch (m.arch.activation) {
      case 'leakyRelu':
        hT = tf.prelu(z, alphaCols[l]!);
        break;
      case 'relu':
        hT = tf.relu(z);
        break;
      case 'elu':
        hT = tf.elu(z);
        break;
      case 'tanh':
        hT = tf.tanh(z);
        break;
    }
    out.push(hT);
  }
  return out;
}

/**
 * Gradients of a loss with respect to every weight and bias, given dL/dφ [N, 1] and the forward trace. For
 * each dense layer z = h·W + b: dW = hᵀ·dz (plain matMul with hᵀ from mlpTransposedInputs, or an explicit
 * transpose), db = 1ᵀ·dz (ones row vector, faster than a sum over axis 0 on wasm), dh = dz·Wᵀ. `ones` has
 * shape [1, N]. Call inside tf.tidy.
 */
export function mlpBackward(
  m: MlpTensors,
  hs: tf.Tensor2D[],
  dPhi: tf.Tensor2D,
  ones: tf.Tensor2D,
  hTs?: tf.Tensor2D[],
): { dW: tf.Tensor2D[]; db: tf.Tensor1D[] } {
  const nLayers = m.weights.length;
  const dW: tf.Tensor2D[] = new Array(nLayers);
  const db: tf.Tensor1D[] = new Array(nLayers);
  let dz = dPhi;
  for (let l = nLayers - 1; l >= 0; l--) {
    const hIn = hs[l]!;
    dW[l] = tf.matMul(hTs ? hTs[l]! : tf.transpose(hIn), dz);
    db[l] = tf.reshape(tf.matMul(ones, dz), [dz.shape[1]]);
    if (l > 0) {
      const dh = tf.matMul(dz, tf.transpose(m.weights[l]!));
      dz = activationBackward(dh as tf.Tensor2D, hIn, m.arch.activation, m.arch.alpha);
    }
  }
  return { dW, db };
}
