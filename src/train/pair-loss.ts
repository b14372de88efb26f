/**
 * The constrained pair classifier of the method note and its weighted cross-entropy.
 *
 *   f(φ1, φ2) = log(1 + e^{φ1+φ2}) − log(e^{φ1} + e^{φ2}) = softplus(φ1+φ2) − logaddexp(φ1, φ2)     (eq. 3)
 *
 * f = log(λ_OC / λ_SC), so sigmoid(f) = P(OC): the cross-entropy label is y = 1 for opposite-charge pairs and
 * y = 0 for same-charge pairs. (The note's text labels SC as 1; with f defined as the OC/SC log-ratio that
 * convention would drive φ towards −κ, i.e. ε → 1 − ε. test/train/pair-loss.test.ts shows it failing.)
 *
 * Stable forms: softplus(x) = max(x, 0) + log1p(e^{−|x|}), logaddexp(a, b) = max(a, b) + log1p(e^{−|a−b|}),
 * BCE-with-logits(f, y) = max(f, 0) − f·y + log1p(e^{−|f|}). No exp of a positive argument is ever taken, so
 * nothing overflows for |φ| ≤ 100 (or far beyond) in float32.
 *
 * Gradient: ∂f/∂φ1 = σ(φ1+φ2) − σ(φ1−φ2), ∂f/∂φ2 = σ(φ1+φ2) − σ(φ2−φ1); ∂BCE/∂f = σ(f) − y.
 */
import * as tf from './tf.js';
import { pairLogit as pairLogit64, sigmoid } from '../method/pair-function.js';

const log1pExpNeg = (x: number): number => Math.log1p(Math.exp(-Math.abs(x)));

/** f(φ1, φ2) in double precision: the reference of src/method/pair-function.ts (tests and per-pair diagnostics). */
export const pairLogitValue = pairLogit64;

/** BCE-with-logits for one logit f and label y. */
export function bceValue(f: number, y: number): number {
  return Math.max(f, 0) - f * y + log1pExpNeg(f);
}

/** BCE-with-logits of f for one pair, label y (1 = OC). */
export function pairLossValue(a: number, b: number, y: number): number {
  return bceValue(pairLogitValue(a, b), y);
}

/** (∂ℓ/∂φ1, ∂ℓ/∂φ2) for one pair, double precision. */
export function pairLossGradValue(a: number, b: number, y: number): [number, number] {
  const g = sigmoid(pairLogitValue(a, b)) - y;
  const s = sigmoid(a + b);
  return [g * (s - sigmoid(a - b)), g * (s - sigmoid(b - a))];
}

function log1pExpNegT(x: tf.Tensor): tf.Tensor {
  return tf.log1p(tf.exp(tf.neg(tf.abs(x))));
}

/**
 * f(φ1, φ2) elementwise, differentiable by tf autodiff (the autodiff reference path).
 *
 * Written with smooth pieces only: logaddexp(a, b) = (a+b)/2 + ½[softplus(a−b) + softplus(b−a)] (both equal
 * log(e^a + e^b), since softplus(x) + softplus(−x) = 2 log(2 cosh(x/2))). The max/abs form used for values
 * has kinks at a = b and a = −b where tf autodiff picks one side and returns a gradient off by ½; this form is
 * exact there, and still bit-symmetric under a <-> b.
 */
export function pairLogit(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const softplusSum = tf.softplus(tf.add(a, b));
  const lae = tf.add(tf.mul(tf.add(a, b), 0.5), tf.mul(tf.add(tf.softplus(tf.sub(a, b)), tf.softplus(tf.sub(b, a))), 0.5));
  return tf.sub(softplusSum, lae);
}

/** BCE-with-logits elementwise, y ∈ {0, 1}. */
export function bceWithLogits(f: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.add(tf.sub(tf.relu(f), tf.mul(f, y)), log1pExpNegT(f));
}

/**
 * Σ_i w_i ℓ_i / norm for a batch, with y = 1 for OC. `norm` is supplied by the caller (see trainer.ts: the
 * training-set Σw scaled to the batch, so that negative sideband weights cannot make one batch's normaliser
 * vanish or change sign). Call inside tf.tidy.
 */
export function pairLoss(a: tf.Tensor1D, b: tf.Tensor1D, y: tf.Tensor1D, w: tf.Tensor1D, norm: number): tf.Scalar {
  return tf.div(tf.sum(tf.mul(w, bceWithLogits(pairLogit(a, b), y))), norm);
}

/**
 * The batch loss and dL/dφ for φ = concat(φ1, φ2) of shape [2B, 1], written out analytically so the
 * hand-written network backward pass can start from it. Call inside tf.tidy.
 */
export function pairLossAndGrad(
  phi: tf.Tensor2D,
  y: tf.Tensor1D,
  w: tf.Tensor1D,
  norm: number,
): { loss: tf.Scalar; dPhi: tf.Tensor2D } {
  const B = y.shape[0];
  const flat = tf.reshape(phi, [2 * B]);
  const a = tf.slice(flat, [0], [B]);
  const b = tf.slice(flat, [B], [B]);
  const f = pairLogit(a, b);
  const loss = tf.div(tf.sum(tf.mul(w, bceWithLogits(f, y))), norm);
  const g = tf.div(tf.mul(w, tf.sub(tf.sigmoid(f), y)), norm);
  const sPlus = tf.sigmoid(tf.add(a, b));
  const sDiff = tf.sigmoid(tf.sub(a, b)); // σ(φ2−φ1) = 1 − σ(φ1−φ2)
  const da = tf.mul(g, tf.sub(sPlus, sDiff));
  const db = tf.mul(g, tf.sub(tf.add(sPlus, sDiff), 1));
  return { loss: loss as tf.Scalar, dPhi: tf.reshape(tf.concat([da, db]), [2 * B, 1]) };
}
