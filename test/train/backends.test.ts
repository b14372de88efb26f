/**
 * The parts of training whose correctness depends on the kernels run once per available backend (tfjs-node
 * when installed, wasm, cpu): the hand-written dense gradient against tf autodiff, the tensor pair function
 * against the double-precision reference at |φ| up to 100, and a short training that records its backend.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../../src/train/backend.js';
import { createGradEngine, type Batch } from '../../src/train/gradEngine.js';
import { initParams, type MlpArch } from '../../src/train/mlp.js';
import { pairLogit as pairLogitT } from '../../src/train/pairLoss.js';
import { pairLogit, pairLogitGrad } from '../../src/method/pairFunction.js';
import { trainModel } from '../../src/train/trainModel.js';
import { toyPairs } from '../../src/train/toyPairs.js';
import { createRng } from '../../src/rng.js';
import { UsageError } from '../../src/errors.js';

async function available(): Promise<BackendName[]> {
  const out: BackendName[] = [];
  for (const b of ['tensorflow', 'wasm', 'cpu'] as const) {
    try {
      if ((await selectBackend(b)) === b) out.push(b);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
    }
  }
  return out;
}

const backends = await available();
afterAll(async () => {
  await selectBackend('auto');
});

describe('backends', () => {
  it('wasm and cpu are always available; asking for an absent tfjs-node is a UsageError naming --backend', async () => {
    expect(backends).toContain('wasm');
    expect(backends).toContain('cpu');
    if (!backends.includes('tensorflow')) await expect(selectBackend('node')).rejects.toThrow(/--backend "node"/);
  });

  for (const backend of backends) {
    describe(backend, () => {
      it('hand-written dense gradient equals tf autodiff (pair head, negative weights)', async () => {
        await selectBackend(backend);
        const arch: MlpArch = { inputs: 2, hidden: [16, 16], activation: 'leakyRelu', alpha: 0.01 };
        const params = initParams(arch, 3, -2);
        const rng = createRng(`backend/${backend}`);
        const B = 64;
        const batch: Batch = {
          x: Float32Array.from({ length: 2 * B * 2 }, () => rng.normal()),
          rows: 2 * B,
          y: Float32Array.from({ length: B }, () => (rng.uniform() < 0.3 ? 0 : 1)),
          w: Float32Array.from({ length: B }, () => (rng.uniform() < 0.2 ? -0.5 : 1)),
          norm: B,
        };
        const manual = createGradEngine(arch, 'pair', 'manual');
        const auto = createGradEngine(arch, 'pair', 'autodiff');
        const a = manual.lossAndGrads(params, batch);
        const b = auto.lossAndGrads(params, batch);
        manual.dispose();
        auto.dispose();
        expect(a.loss).toBeCloseTo(b.loss, 5);
        const ga = [...a.grads.weights, ...a.grads.biases].flatMap((g) => Array.from(g));
        const gb = [...b.grads.weights, ...b.grads.biases].flatMap((g) => Array.from(g));
        const scale = Math.max(...gb.map(Math.abs));
        expect(scale).toBeGreaterThan(1e-4);
        // float32 kernels: agreement to ~1e-5 of the largest component.
        ga.forEach((g, i) => expect(Math.abs(g - gb[i]!)).toBeLessThan(2e-5 * scale));
      });

      it('tensor f and its autodiff gradient match the float64 reference for |φ| up to 100', async () => {
        await selectBackend(backend);
        const pts = [-100, -37.5, -3, -0.2, 0, 0.2, 3, 37.5, 100];
        const a = pts.flatMap((x) => pts.map(() => x));
        const b = pts.flatMap(() => pts);
        const [fv, ga, gb] = tf.tidy(() => {
          const ta = tf.tensor1d(a);
          const tb = tf.tensor1d(b);
          const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(pairLogitT(x, y)))([ta, tb]);
          return [pairLogitT(ta, tb).dataSync(), da!.dataSync(), db!.dataSync()];
        });
        a.forEach((x, i) => {
          const y = b[i]!;
          // float32: relative rounding 2^-24 on values up to ~2·100.
          const tol = 8 * 2 ** -24 * (1 + Math.abs(x) + Math.abs(y));
          expect(Math.abs(fv[i]! - pairLogit(x, y))).toBeLessThan(tol);
          const [rx, ry] = pairLogitGrad(x, y);
          expect(Math.abs(ga[i]! - rx)).toBeLessThan(1e-5);
          expect(Math.abs(gb[i]! - ry)).toBeLessThan(1e-5);
        });
      });

      it('a short training runs and records the backend it ran on', async () => {
        const table = toyPairs({ n: 3000, seed: `backend-train/${backend}` });
        const model = await trainModel(table, {
          backend: backend === 'tensorflow' ? 'node' : backend,
          epochs: 1,
          batch: 1024,
          hidden: [8],
          threads: 1,
          seed: 1,
        });
        expect(model.backend).toBe(backend);
        expect(model.members[0]!.branch.branch).toBe('physical');
      });
    });
  }
});
