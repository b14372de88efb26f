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
 *
 * With a modelled background (sideband subtraction, docs/trainer.md): each window pair carries the probabilities
 * a (background OC) and r (background SC) of its coarse pair category, β = a + r, and
 *
 *   P(SC) = (1 − β)·σ(−f) + r,   P(OC) = (1 − β)·σ(f) + a,   ℓ = −y log P(OC) − (1 − y) log P(SC)
 *
 * a proper Bernoulli likelihood (P(SC) + P(OC) = 1), so ℓ ≥ 0 for every φ: bounded below, unlike the linear
 * weighted cross-entropy with negative weights. a = r = 0 gives the BCE above. Stable form:
 * log P(OC) = logaddexp(log(1 − β) − softplus(−f), log a), and ∂ℓ/∂f = −y σ(−f) π_OC + (1 − y) σ(f) π_SC with
 * π the posterior that the pair is signal, e.g. π_SC = (1 − β)σ(−f)/P(SC) (= 1 without background).
 *
 * Folded (flip response, foldOffsets.ts, docs/trainer.md): each pair carries per-leg log acceptance/migration
 * factors ρ1, ρ2 and the pair logit becomes
 *
 *   f = softplus(φ1 + φ2) − logaddexp(φ1 + ρ1, φ2 + ρ2),   ∂f/∂φ1 = σ(φ1+φ2) − σ((φ1+ρ1) − (φ2+ρ2))
 *
 * still the log-odds of OC against SC (label y = 1 for OC), with the SC intensity of "leg ℓ flipped" scaled by
 * r_ℓ = e^{ρ_ℓ}. ρ = 0 gives eq. 3 exactly (the same floating-point operations).
 */
import * as tf from './tf.js';
import { logAddExp as logAddExp64, pairLogit as pairLogit64, sigmoid, softplus as softplus64 } from '../method/pairFunction.js';

const log1pExpNeg = (x: number): number => Math.log1p(Math.exp(-Math.abs(x)));

/** f(φ1, φ2) in double precision: the reference of src/method/pairFunction.ts (tests and per-pair diagnostics). */
export const pairLogitValue = pairLogit64;

/** BCE-with-logits for one logit f and label y. */
export function bceValue(f: number, y: number): number {
  return Math.max(f, 0) - f * y + log1pExpNeg(f);
}

/** The folded pair logit in double precision (header): eq. 3 with per-leg offsets ρ1, ρ2. */
export function foldedPairLogitValue(a: number, b: number, rho1: number, rho2: number): number {
  return softplus64(a + b) - logAddExp64(a + rho1, b + rho2);
}

/** BCE-with-logits of f for one pair, label y (1 = OC); with offsets, of the folded f. */
export function pairLossValue(a: number, b: number, y: number, rho1 = 0, rho2 = 0): number {
  return bceValue(rho1 === 0 && rho2 === 0 ? pairLogitValue(a, b) : foldedPairLogitValue(a, b, rho1, rho2), y);
}

/** The background-modelled pair loss for one pair (a = background OC, r = background SC probability). */
export function pairLossBkgValue(a: number, b: number, y: number, bgOC: number, bgSC: number): number {
  if (bgOC === 0 && bgSC === 0) return pairLossValue(a, b, y);
  const f = pairLogitValue(a, b);
  const logSig = 1 - bgOC - bgSC;
  const u = y === 1 ? Math.log(logSig) - softplus64(-f) : Math.log(logSig) - softplus64(f);
  const bg = y === 1 ? bgOC : bgSC;
  return -(bg > 0 ? logAddExp64(u, Math.log(bg)) : u);
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
export function pairLogit(a: tf.Tensor, b: tf.Tensor, fold?: PairFold): tf.Tensor {
  const softplusSum = tf.softplus(tf.add(a, b));
  // Folded: logaddexp of the shifted φ's (header); the softplus term keeps the unshifted sum.
  const ua = fold ? tf.add(a, fold.rho1) : a;
  const ub = fold ? tf.add(b, fold.rho2) : b;
  const lae = tf.add(tf.mul(tf.add(ua, ub), 0.5), tf.mul(tf.add(tf.softplus(tf.sub(ua, ub)), tf.softplus(tf.sub(ub, ua))), 0.5));
  return tf.sub(softplusSum, lae);
}

/** Per-pair log acceptance/migration factors of the folded loss (foldOffsets.ts). */
export interface PairFold {
  rho1: tf.Tensor1D;
  rho2: tf.Tensor1D;
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
export function pairLoss(
  a: tf.Tensor1D,
  b: tf.Tensor1D,
  y: tf.Tensor1D,
  w: tf.Tensor1D,
  norm: number,
  bkg?: PairBackground,
  fold?: PairFold,
): tf.Scalar {
  const f = pairLogit(a, b, fold);
  return tf.div(tf.sum(tf.mul(w, bkg ? bkgLossAndDf(f, y, bkg).perPair : bceWithLogits(f, y))), norm);
}

/** Per-pair background probabilities of the modelled-background loss (header): OC (a) and SC (r), each ≥ 0. */
export interface PairBackground {
  oc: tf.Tensor1D;
  sc: tf.Tensor1D;
}

/** logaddexp(u, log c) for c ≥ 0 (c = 0 gives u), elementwise and stable. */
function logAddExpConst(u: tf.Tensor, c: tf.Tensor): tf.Tensor {
  const v = tf.log(c); // −∞ where c = 0
  const m = tf.maximum(u, v);
  return tf.add(m, tf.log1p(tf.exp(tf.neg(tf.abs(tf.sub(u, v))))));
}

/** The modelled-background loss per pair and ∂ℓ/∂f (see the header). Call inside tf.tidy. */
function bkgLossAndDf(f: tf.Tensor, y: tf.Tensor, bkg: PairBackground): { perPair: tf.Tensor; dldf: tf.Tensor } {
  const logSig = tf.log(tf.sub(1, tf.add(bkg.oc, bkg.sc)));
  const uOC = tf.sub(logSig, tf.softplus(tf.neg(f))); // log((1 − β) σ(f))
  const uSC = tf.sub(logSig, tf.softplus(f)); // log((1 − β) σ(−f))
  const lOC = logAddExpConst(uOC, bkg.oc);
  const lSC = logAddExpConst(uSC, bkg.sc);
  const notY = tf.sub(1, y);
  const perPair = tf.neg(tf.add(tf.mul(y, lOC), tf.mul(notY, lSC)));
  const piOC = tf.exp(tf.sub(uOC, lOC));
  const piSC = tf.exp(tf.sub(uSC, lSC));
  const dldf = tf.sub(tf.mul(notY, tf.mul(tf.sigmoid(f), piSC)), tf.mul(y, tf.mul(tf.sigmoid(tf.neg(f)), piOC)));
  return { perPair, dldf };
}

/**
 * The batch loss and dL/dφ for φ = concat(φ1, φ2) of shape [2B, 1], written out analytically so the
 * hand-written network backward pass can start from it. Call inside tf.tidy.
 */
/** φ = concat(φ1, φ2) of shape [2B, 1] (electron 1 of every pair, then electron 2) split into φ1 and φ2. */
export function splitPairs(phi: tf.Tensor2D, B: number): [tf.Tensor1D, tf.Tensor1D] {
  const flat = tf.reshape(phi, [2 * B]);
  return [tf.slice(flat, [0], [B]) as tf.Tensor1D, tf.slice(flat, [B], [B]) as tf.Tensor1D];
}

export function pairLossAndGrad(
  phi: tf.Tensor2D,
  y: tf.Tensor1D,
  w: tf.Tensor1D,
  norm: number,
  bkg?: PairBackground,
  fold?: PairFold,
): { loss: tf.Scalar; dPhi: tf.Tensor2D } {
  const B = y.shape[0];
  const [a, b] = splitPairs(phi, B);
  const f = pairLogit(a, b, fold);
  let loss: tf.Tensor;
  let g: tf.Tensor;
  if (bkg) {
    const { perPair, dldf } = bkgLossAndDf(f, y, bkg);
    loss = tf.div(tf.sum(tf.mul(w, perPair)), norm);
    g = tf.div(tf.mul(w, dldf), norm);
  } else {
    loss = tf.div(tf.sum(tf.mul(w, bceWithLogits(f, y))), norm);
    g = tf.div(tf.mul(w, tf.sub(tf.sigmoid(f), y)), norm);
  }
  const sPlus = tf.sigmoid(tf.add(a, b));
  // σ((φ1+ρ1) − (φ2+ρ2)); σ of the reversed difference = 1 − it.
  const sDiff = tf.sigmoid(fold ? tf.sub(tf.add(a, fold.rho1), tf.add(b, fold.rho2)) : tf.sub(a, b));
  const da = tf.mul(g, tf.sub(sPlus, sDiff));
  const db = tf.mul(g, tf.sub(tf.add(sPlus, sDiff), 1));
  return { loss: loss as tf.Scalar, dPhi: tf.reshape(tf.concat([da, db]), [2 * B, 1]) };
}
