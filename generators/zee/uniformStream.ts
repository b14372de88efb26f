/**
 * The generator's raw uniform stream: four interleaved Alea generators (seedrandom's algorithm and seeding),
 * refilled into a buffer in bulk.
 *
 * Why not `createRng(seed).uniform()`: one Alea step is a serial floating-point dependency chain (multiply,
 * add, truncate, subtract: ~5 ns of latency), so a single stream cannot go faster than ~10 ns per 53-bit
 * double however it is called. Four independent lanes advanced side by side hide that latency (~3 ns per
 * double). Lane k is seeded by seedrandom's Mash from `deriveSeed(seed, 'lane', k)`, and draws are taken
 * round-robin lane 0, 1, 2, 3, 0, … — a fixed order, so the stream is a pure function of the seed.
 * Each double is built as seedrandom's `double()` builds it (two steps: 32 high bits + 21 low bits) and an
 * exact 0 is skipped, so every value is in the open interval (0, 1).
 */
import seedrandom from 'seedrandom';
import { deriveSeed, type Seed } from '../../src/rng.js';

const TWO_M32 = 2.3283064365386963e-10; // 2^-32
const TWO_M53 = 1.1102230246251565e-16; // 2^-53
const MULT = 2091639;
const LANES = 4;
const BUFFER = 4096; // a multiple of LANES

interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

export class UniformStream {
  /** Per lane: c, s0, s1, s2. */
  private readonly state = new Float64Array(4 * LANES);
  private readonly buf = new Float64Array(BUFFER);
  private pos = BUFFER;

  constructor(seed: Seed) {
    for (let k = 0; k < LANES; k++) {
      const st = (seedrandom.alea(deriveSeed(seed, 'lane', k), { state: true }) as unknown as { state(): AleaState }).state();
      this.state.set([st.c, st.s0, st.s1, st.s2], 4 * k);
    }
  }

  /** Uniform double in the open interval (0, 1). */
  next(): number {
    if (this.pos === BUFFER) this.refill();
    return this.buf[this.pos++]!;
  }

  /** The next n draws into out[0..n), identical to n calls of next(). */
  /** The same draw as next(), under the name src/rng.ts uses (so shared samplers take either stream). */
  uniform(): number {
    return this.next();
  }

  fill(out: Float64Array, n: number): void {
    let off = 0;
    while (off < n) {
      if (this.pos === BUFFER) this.refill();
      const k = Math.min(n - off, BUFFER - this.pos);
      out.set(this.buf.subarray(this.pos, this.pos + k), off);
      this.pos += k;
      off += k;
    }
  }

  /**
   * n uniforms of 32-bit resolution, (k + ½)·2^-32 for the Alea output k — one generator step each instead of
   * two, for bulk draws where 2.3e-10 resolution is far below every scale that matters (table intervals,
   * angles, histogram bins). Never 0 or 1. Drawn straight from the lanes, round-robin, independent of the
   * buffered doubles, so the sequence is still a pure function of the seed and the calls made.
   */
  fill32(out: Float64Array, n: number): void {
    const st = this.state;
    let c0 = st[0]!,
      a0 = st[1]!,
      b0 = st[2]!,
      d0 = st[3]!;
    let c1 = st[4]!,
      a1 = st[5]!,
      b1 = st[6]!,
      d1 = st[7]!;
    let c2 = st[8]!,
      a2 = st[9]!,
      b2 = st[10]!,
      d2 = st[11]!;
    let c3 = st[12]!,
      a3 = st[13]!,
      b3 = st[14]!,
      d3 = st[15]!;
    const HALF = TWO_M32 / 2;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      let t: number;
      t = MULT * a0 + c0 * TWO_M32;
      a0 = b0;
      b0 = d0;
      c0 = t | 0;
      d0 = t - c0;
      out[i] = d0 + HALF;
      t = MULT * a1 + c1 * TWO_M32;
      a1 = b1;
      b1 = d1;
      c1 = t | 0;
      d1 = t - c1;
      out[i + 1] = d1 + HALF;
      t = MULT * a2 + c2 * TWO_M32;
      a2 = b2;
      b2 = d2;
      c2 = t | 0;
      d2 = t - c2;
      out[i + 2] = d2 + HALF;
      t = MULT * a3 + c3 * TWO_M32;
      a3 = b3;
      b3 = d3;
      c3 = t | 0;
      d3 = t - c3;
      out[i + 3] = d3 + HALF;
    }
    st[0] = c0;
    st[1] = a0;
    st[2] = b0;
    st[3] = d0;
    st[4] = c1;
    st[5] = a1;
    st[6] = b1;
    st[7] = d1;
    st[8] = c2;
    st[9] = a2;
    st[10] = b2;
    st[11] = d2;
    st[12] = c3;
    st[13] = a3;
    st[14] = b3;
    st[15] = d3;
    for (; i < n; i++) out[i] = this.next();
  }

  /** Standard normal: Marsaglia polar method, no cached pair. */
  normal(): number {
    for (;;) {
      const x = 2 * this.next() - 1;
      const y = 2 * this.next() - 1;
      const s = x * x + y * y;
      if (s > 0 && s < 1) return x * Math.sqrt((-2 * Math.log(s)) / s);
    }
  }

  private refill(): void {
    const st = this.state;
    const buf = this.buf;
    let c0 = st[0]!,
      a0 = st[1]!,
      b0 = st[2]!,
      d0 = st[3]!;
    let c1 = st[4]!,
      a1 = st[5]!,
      b1 = st[6]!,
      d1 = st[7]!;
    let c2 = st[8]!,
      a2 = st[9]!,
      b2 = st[10]!,
      d2 = st[11]!;
    let c3 = st[12]!,
      a3 = st[13]!,
      b3 = st[14]!,
      d3 = st[15]!;
    let w = 0;
    // An exact 0 (probability 2^-53) is skipped; the order of draws stays a pure function of the seed.
    while (w < BUFFER) {
      let t: number, hi: number, lo: number, u: number;
      t = MULT * a0 + c0 * TWO_M32;
      a0 = b0;
      b0 = d0;
      c0 = t | 0;
      hi = d0 = t - c0;
      t = MULT * a0 + c0 * TWO_M32;
      a0 = b0;
      b0 = d0;
      c0 = t | 0;
      lo = d0 = t - c0;
      u = hi + ((lo * 0x200000) | 0) * TWO_M53;
      if (u > 0) buf[w++] = u;
      if (w === BUFFER) break;
      t = MULT * a1 + c1 * TWO_M32;
      a1 = b1;
      b1 = d1;
      c1 = t | 0;
      hi = d1 = t - c1;
      t = MULT * a1 + c1 * TWO_M32;
      a1 = b1;
      b1 = d1;
      c1 = t | 0;
      lo = d1 = t - c1;
      u = hi + ((lo * 0x200000) | 0) * TWO_M53;
      if (u > 0) buf[w++] = u;
      if (w === BUFFER) break;
      t = MULT * a2 + c2 * TWO_M32;
      a2 = b2;
      b2 = d2;
      c2 = t | 0;
      hi = d2 = t - c2;
      t = MULT * a2 + c2 * TWO_M32;
      a2 = b2;
      b2 = d2;
      c2 = t | 0;
      lo = d2 = t - c2;
      u = hi + ((lo * 0x200000) | 0) * TWO_M53;
      if (u > 0) buf[w++] = u;
      if (w === BUFFER) break;
      t = MULT * a3 + c3 * TWO_M32;
      a3 = b3;
      b3 = d3;
      c3 = t | 0;
      hi = d3 = t - c3;
      t = MULT * a3 + c3 * TWO_M32;
      a3 = b3;
      b3 = d3;
      c3 = t | 0;
      lo = d3 = t - c3;
      u = hi + ((lo * 0x200000) | 0) * TWO_M53;
      if (u > 0) buf[w++] = u;
    }
    st[0] = c0;
    st[1] = a0;
    st[2] = b0;
    st[3] = d0;
    st[4] = c1;
    st[5] = a1;
    st[6] = b1;
    st[7] = d1;
    st[8] = c2;
    st[9] = a2;
    st[10] = b2;
    st[11] = d2;
    st[12] = c3;
    st[13] = a3;
    st[14] = b3;
    st[15] = d3;
    this.pos = 0;
  }
}
