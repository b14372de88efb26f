/**
 * Adam (Kingma & Ba 2015) on plain Float32Array parameters. The parameters live in JavaScript, not in tf
 * variables, so one update serves every gradient engine (in-process tf, autodiff reference) and the learning
 * rate can follow a schedule step by step. Moments are kept in Float64 so the update is the same on every
 * backend; only the gradients differ between backends.
 */
export interface AdamState {
  beta1: number;
  beta2: number;
  epsilon: number;
  t: number;
  m: Float64Array[];
  v: Float64Array[];
}

export function createAdam(sizes: readonly number[], beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7): AdamState {
  return { beta1, beta2, epsilon, t: 0, m: sizes.map((n) => new Float64Array(n)), v: sizes.map((n) => new Float64Array(n)) };
}

/** One bias-corrected Adam step, in place: params[k] −= lr · m̂ / (√v̂ + ε). */
export function adamStep(s: AdamState, params: Float32Array[], grads: Float32Array[], lr: number): void {
  s.t += 1;
  const c1 = 1 - s.beta1 ** s.t;
  const c2 = 1 - s.beta2 ** s.t;
  const b1 = s.beta1;
  const b2 = s.beta2;
  for (let k = 0; k < params.length; k++) {
    const p = params[k]!;
    const g = grads[k]!;
    const m = s.m[k]!;
    const v = s.v[k]!;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      m[i] = b1 * m[i]! + (1 - b1) * gi;
      v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
      p[i] = p[i]! - (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + s.epsilon);
    }
  }
}
