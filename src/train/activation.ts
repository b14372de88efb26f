/**
 * Hidden-layer activations. Each is fused into tf.fused.matMul for the forward pass, and each derivative is
 * written from the activation's *output*, so the hand-written backward pass keeps only layer outputs.
 *
 * Leaky ReLU is run as PReLU with a constant slope vector: on the wasm backend the fused `prelu` kernel is
 * ~2x faster than the fused `leakyrelu` one (measured, docs/training.md "Backends and gradient"), and the two are the same function.
 */
import * as tf from './tf.js';

export type ActivationName = 'leakyRelu' | 'relu' | 'elu' | 'tanh';
export const ACTIVATIONS: readonly ActivationName[] = ['leakyRelu', 'relu', 'elu', 'tanh'];

/** h = act(x·W + b). `slope` is the leaky-ReLU slope vector (length = fanOut), unused otherwise. */
export function denseForward(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
  act: ActivationName | 'linear',
  slope?: tf.Tensor1D,
): tf.Tensor2D {
  switch (act) {
    case 'tanh':
      return tf.tanh(tf.fused.matMul({ a: x, b: w, bias: b })) as tf.Tensor2D;
    case 'leakyRelu':
      return tf.fused.matMul({ a: x, b: w, bias: b, activation: 'prelu', preluActivationWeights: slope! }) as tf.Tensor2D;
    default:
      return tf.fused.matMul({ a: x, b: w, bias: b, activation: act }) as tf.Tensor2D;
  }
}

/**
 * dL/dz from dL/dh and the layer output h. Leaky ReLU and ReLU keep the sign of z, so the slope is a step
 * of h; elu: h > 0 ? 1 : h + 1; tanh: 1 − h².
 */
export function activationBackward(dh: tf.Tensor2D, h: tf.Tensor2D, act: ActivationName, alpha: number): tf.Tensor2D {
  switch (act) {
    case 'leakyRelu':
      return tf.mul(dh, tf.step(h, alpha)) as tf.Tensor2D;
    case 'relu':
      return tf.mul(dh, tf.step(h, 0)) as tf.Tensor2D;
    case 'elu':
      return tf.mul(dh, tf.where(tf.greater(h, 0), tf.onesLike(h), tf.add(h, 1))) as tf.Tensor2D;
    case 'tanh':
      return tf.mul(dh, tf.sub(1, tf.square(h))) as tf.Tensor2D;
  }
}
