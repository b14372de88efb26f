/**
 * The gradient engine computes a batch part in sub-parts of at most SUB_PART_PAIRS pairs (a bounded wasm
 * heap per thread) and sums their gradients in sub-part order. Checked against the sub-parts built here,
 * independently, from per-pair data: the big batch must give exactly the in-order float32 sum of the pieces,
 * so a sub-part that paired electron 1 of one pair with electron 2 of another, dropped a tail or reordered
 * the sum would fail.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/train/backend.js';
import { createGradEngine, SUB_PART_PAIRS, type Batch, type Head } from '../../src/train/gradEngine.js';
import { initParams, type MlpArch } from '../../src/train/mlp.js';
import { createRng } from '../../src/rng.js';

beforeAll(async () => {
  await selectBackend('auto');
});

interface Pair {
  x1: number[];
  x2: number[];
  y: number[]; // one label per pair (pair head) or per electron (electron head)
  w: number[];
  rho: [number, number];
}

function pairs(n: number, d: number, head: Head, seed: number): Pair[] {
  const rng = createRng(seed);
  const lab = () => (rng.uniform() < 0.3 ? 0 : 1);
  const wt = () => (rng.uniform() < 0.2 ? -0.7 : 1 + rng.uniform());
  return Array.from({ length: n }, () => {
    const x1 = Array.from({ length: d }, () => rng.normal());
    const x2 = Array.from({ length: d }, () => rng.normal());
    const w = wt();
    return {
      x1,
      x2,
      y: head === 'pair' ? [lab()] : [lab(), lab()],
      w: head === 'pair' ? [w] : [w, w],
      rho: [0.1 * rng.normal(), 0.1 * rng.normal()],
    };
  });
}

/** The engine's layout: electron 1 of every pair, then electron 2 (targets likewise for the electron head). */
function batchOf(ps: Pair[], head: Head, norm: number, fold: boolean): Batch {
  const x = Float32Array.from([...ps.flatMap((p) => p.x1), ...ps.flatMap((p) => p.x2)]);
  const perTarget = (f: (p: Pair) => number[]) =>
    head === 'pair'
      ? Float32Array.from(ps.map((p) => f(p)[0]!))
      : Float32Array.from([...ps.map((p) => f(p)[0]!), ...ps.map((p) => f(p)[1]!)]);
  const b: Batch = { x, rows: 2 * ps.length, y: perTarget((p) => p.y), w: perTarget((p) => p.w), norm };
  if (fold) b.fold = { rho1: Float32Array.from(ps.map((p) => p.rho[0])), rho2: Float32Array.from(ps.map((p) => p.rho[1])) };
  return b;
}

describe('gradient engine sub-parts', () => {
  const arch: MlpArch = { inputs: 3, hidden: [16, 8], activation: 'leakyRelu', alpha: 0.01 };
  const params = initParams(arch, 7, -2);
  const n = 2 * SUB_PART_PAIRS + 517; // two full sub-parts and a short tail

  for (const [head, fold] of [
    ['pair', false],
    ['pair', true],
    ['electron', false],
  ] as const) {
    it(`a part of ${n} pairs is the in-order float32 sum of its sub-parts, bit for bit (${head} head${fold ? ', folded' : ''})`, () => {
      const ps = pairs(n, arch.inputs, head, 3);
      const norm = n;
      const engine = createGradEngine(arch, head, 'manual');
      const whole = engine.lossAndGrads(params, batchOf(ps, head, norm, fold));
      const pieces = [0, SUB_PART_PAIRS, 2 * SUB_PART_PAIRS].map((s) =>
        engine.lossAndGrads(params, batchOf(ps.slice(s, Math.min(s + SUB_PART_PAIRS, n)), head, norm, fold)),
      );
      engine.dispose();
      const flat = (r: typeof whole) => [...r.grads.weights, ...r.grads.biases];
      const sum = flat(pieces[0]!).map((g) => new Float32Array(g));
      for (const p of pieces.slice(1)) {
        const g = flat(p);
        for (let k = 0; k < sum.length; k++) for (let i = 0; i < sum[k]!.length; i++) sum[k]![i] = sum[k]![i]! + g[k]![i]!;
      }
      const got = flat(whole);
      let nonzero = 0;
      for (let k = 0; k < sum.length; k++) {
        expect(Array.from(got[k]!)).toEqual(Array.from(sum[k]!));
        for (const v of sum[k]!) if (v !== 0) nonzero++;
      }
      expect(nonzero).toBeGreaterThan(50); // not a comparison of zero vectors
      expect(whole.loss).toBe(pieces.reduce((s, p) => s + p.loss, 0));
      // Power: the pieces differ from each other, so summing fewer of them (or one twice) would not match.
      expect(Array.from(flat(pieces[0]!)[0]!)).not.toEqual(Array.from(flat(pieces[1]!)[0]!));
    });
  }
});
