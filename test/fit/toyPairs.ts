/**
 * Test helper: seeded toy events on chosen bin pairs. Each electron flips with its bin's ε, the event is
 * same-charge when exactly one flips (so the pair rate is the full ε_i + ε_j − 2ε_iε_j by construction).
 */
import { createRng, type Rng } from '../../src/rng.js';

export interface ToyPair {
  i: number;
  j: number;
  /** Events in the pair category. */
  n: number;
}

export interface ToyEvents {
  bin1: Int32Array;
  bin2: Int32Array;
  sc: Uint8Array;
  flip1: Uint8Array;
  flip2: Uint8Array;
  w: Float64Array;
}

export function toyPairs(
  seed: string | number | Rng,
  eps: readonly number[],
  pairs: readonly ToyPair[],
  weight?: (rng: Rng, e: number) => number,
): ToyEvents {
  const rng = typeof seed === 'object' ? seed : createRng(seed);
  const n = pairs.reduce((s, p) => s + p.n, 0);
  const out: ToyEvents = {
    bin1: new Int32Array(n),
    bin2: new Int32Array(n),
    sc: new Uint8Array(n),
    flip1: new Uint8Array(n),
    flip2: new Uint8Array(n),
    w: new Float64Array(n).fill(1),
  };
  let e = 0;
  for (const p of pairs) {
    for (let r = 0; r < p.n; r++, e++) {
      // Alternate which electron is "1" so both orderings occur.
      const [a, b] = r % 2 === 0 ? [p.i, p.j] : [p.j, p.i];
      out.bin1[e] = a;
      out.bin2[e] = b;
      const f1 = rng.uniform() < eps[a]! ? 1 : 0;
      const f2 = rng.uniform() < eps[b]! ? 1 : 0;
      out.flip1[e] = f1;
      out.flip2[e] = f2;
      out.sc[e] = f1 ^ f2;
      if (weight) out.w[e] = weight(rng, e);
    }
  }
  return out;
}

/** Every unordered pair (i ≤ j) of K bins with n events each. */
export function allPairs(K: number, n: number): ToyPair[] {
  const out: ToyPair[] = [];
  for (let i = 0; i < K; i++) for (let j = i; j < K; j++) out.push({ i, j, n });
  return out;
}
