import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/train/backend.js';
import { createGradEngine, type Batch, type Head } from '../../src/train/gradEngine.js';
import { initParams, negateOutput, type MlpArch } from '../../src/train/mlp.js';
import { predictPhi } from '../../src/train/predict.js';
import { ACTIVATIONS } from '../../src/train/activation.js';
import { createRng } from '../../src/rng.js';
import { pairLogitValue } from '../../src/train/pairLoss.js';

beforeAll(async () => {
  await selectBackend('auto');
});

function randomBatch(d: number, B: number, head: Head, seed: number): Batch {
  const rng = createRng(seed);
  const rows = 2 * B;
  const x = Float32Array.from({ length: rows * d }, () => rng.normal());
  const targets = head === 'pair' ? B : rows;
  const y = Float32Array.from({ length: targets }, () => (rng.uniform() < 0.3 ? 0 : 1));
  // Negative weights too: sideband subtraction must flow through the same gradient.
  const w = Float32Array.from({ length: targets }, () => (rng.uniform() < 0.2 ? -0.7 : 1 + rng.uniform()));
  return { x, rows, y, w, norm: targets };
}

describe('hand-written dense backward pass', () => {
  for (const [head, transposed] of [
    ['pair', true],
    ['electron', true],
    ['pair', false],
  ] as const) {
    for (const activation of ACTIVATIONS) {
      it(`equals tf autodiff (${head} head, ${activation}, hᵀ by ${transposed ? 'feature-major forward' : 'tf.transpose'})`, () => {
        const arch: MlpArch = { inputs: 4, hidden: [16, 8], activation, alpha: 0.01 };
        const params = initParams(arch, 7, -2);
        const batch = randomBatch(4, 96, head, 11);
        const manual = createGradEngine(arch, head, 'manual', transposed);
        const auto = createGradEngine(arch, head, 'autodiff');
        const a = manual.lossAndGrads(params, batch);
        const b = auto.lossAndGrads(params, batch);
        manual.dispose();
        auto.dispose();
        expect(a.loss).toBeCloseTo(b.loss, 6);
        const ga = [...a.grads.weights, ...a.grads.biases];
        const gb = [...b.grads.weights, ...b.grads.biases];
        expect(ga.map((g) => g.length)).toEqual(gb.map((g) => g.length));
        let scale = 0;
        for (const g of gb) for (const v of g) scale = Math.max(scale, Math.abs(v));
        expect(scale).toBeGreaterThan(1e-4); // the comparison is not between two zero vectors
        // float32: agreement to ~1e-5 of the largest gradient component.
        for (let k = 0; k < ga.length; k++)
          for (let i = 0; i < ga[k]!.length; i++) expect(Math.abs(ga[k]![i]! - gb[k]![i]!)).toBeLessThan(2e-5 * scale);
      });
    }
  }

  it('does not leak tensors across steps', () => {
    const arch: MlpArch = { inputs: 2, hidden: [32, 32, 32], activation: 'leakyRelu', alpha: 0.01 };
    const params = initParams(arch, 1, -3);
    const batch = randomBatch(2, 512, 'pair', 3);
    for (const mode of ['manual', 'autodiff'] as const) {
      const engine = createGradEngine(arch, 'pair', mode);
      engine.lossAndGrads(params, batch);
      const before = tf.memory().numTensors;
      for (let s = 0; s < 5; s++) engine.lossAndGrads(params, batch);
      expect(tf.memory().numTensors).toBe(before);
      engine.dispose();
    }
    const before = tf.memory().numTensors;
    predictPhi(arch, params, batch.x, batch.rows, 100);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('negating the output layer maps φ → −φ exactly and leaves every pair logit unchanged', () => {
    const arch: MlpArch = { inputs: 3, hidden: [8], activation: 'tanh', alpha: 0.01 };
    const p = initParams(arch, 5, -4);
    const x = Float32Array.from({ length: 3 * 40 }, (_, i) => Math.sin(i));
    const phi = predictPhi(arch, p, x, 40);
    const neg = predictPhi(arch, negateOutput(p), x, 40);
    for (let i = 0; i < 40; i++) expect(neg[i]).toBe(-phi[i]!);
    for (let i = 0; i < 20; i++) expect(pairLogitValue(neg[i]!, neg[20 + i]!)).toBeCloseTo(pairLogitValue(phi[i]!, phi[20 + i]!), 12);
  });
  it('predictPhi into a part of a larger array writes the same φ there and nothing elsewhere', () => {
    const arch: MlpArch = { inputs: 3, hidden: [8], activation: 'tanh', alpha: 0.01 };
    const p = initParams(arch, 7, -4);
    const x = Float32Array.from({ length: 3 * 40 }, (_, i) => Math.cos(i));
    const own = predictPhi(arch, p, x, 40, 16);
    const big = new Float32Array(50).fill(99);
    const out = predictPhi(arch, p, x, 40, 16, big.subarray(5, 45));
    expect(out.buffer).toBe(big.buffer);
    expect([...big.subarray(5, 45)]).toEqual([...own]);
    expect([...big.subarray(0, 5), ...big.subarray(45)]).toEqual(new Array(10).fill(99));
    expect(() => predictPhi(arch, p, x, 40, 16, new Float32Array(39))).toThrow(/40 rows into an array of 39/);
  });
});
