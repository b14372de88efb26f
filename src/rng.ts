/**
 * Seeded randomness. Nothing in the bench uses Math.random or a module-level generator: every generator,
 * toy and trainer receives a seed, and each unit of work (chunk, toy, ensemble member) derives its own seed
 * from (root seed, index path). A parallel or sharded run therefore draws exactly what the serial run draws.
 *
 * The stream is seedrandom's Alea (fast, ~7x ARC4 per draw); uniform() uses 53-bit doubles so inverse CDFs
 * never see an exact 0 or 1.
 */
import seedrandom from 'seedrandom';

/** A root seed as users write it. `0` is a valid seed: test with `seed == null`, never `!seed`. */
export type Seed = number | string;

/** Deterministic child seed for a unit of work, e.g. `deriveSeed(root, 'chunk', 17)`. */
export function deriveSeed(root: Seed, ...path: (string | number)[]): string {
  return [String(root), ...path.map(String)].join('/');
}

export interface Rng {
  /** Uniform in the open interval (0, 1). */
  uniform(): number;
  /** Standard normal (Marsaglia polar method, no cached pair so the stream position is easy to reason about). */
  normal(): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Poisson-distributed count with mean `lambda` (Knuth for small lambda, normal-free PTRS for large). */
  poisson(lambda: number): number;
  /** A 32-bit unsigned integer, e.g. to seed a library that takes integer seeds. */
  uint32(): number;
}

export function createRng(seed: Seed): Rng {
  const alea = seedrandom.alea(String(seed));
  const uniform = (): number => {
    // double() is in [0, 1); reject the exact 0 (probability 2^-53) so logs stay finite.
    for (;;) {
      const u = alea.double();
      if (u > 0) return u;
    }
  };
  const normal = (): number => {
    for (;;) {
      const x = 2 * uniform() - 1;
      const y = 2 * uniform() - 1;
      const s = x * x + y * y;
      if (s > 0 && s < 1) return x * Math.sqrt((-2 * Math.log(s)) / s);
    }
  };
  const poisson = (lambda: number): number => {
    if (!(lambda > 0)) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = uniform();
      while (p > limit) {
        k++;
        p *= uniform();
      }
      return k;
    }
    return poissonPtrs(lambda, uniform);
  };
  return {
    uniform,
    normal,
    exponential: (mean: number) => -mean * Math.log(uniform()),
    poisson,
    uint32: () => alea.int32() >>> 0,
  };
}

// Hörmann's PTRS transformed-rejection sampler (1993): exact, O(1) for large means.
function poissonPtrs(lambda: number, uniform: () => number): number {
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = uniform() - 0.5;
    const v = uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k;
  }
}

function logFactorial(k: number): number {
  if (k < 2) return 0;
  // Stirling series: accurate to ~1e-10 for k >= 10, exact sum below.
  if (k < 10) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  return (k + 0.5) * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * k) - 1 / (360 * k ** 3);
}
