import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../src/rng.js';
import { UniformStream } from '../../generators/zee/uniformStream.js';
import { ksOneSample } from '../../src/stats/index.js';

describe('UniformStream', () => {
  it('is four interleaved Alea lanes: lane k draws exactly what createRng(deriveSeed(seed, "lane", k)) draws', () => {
    const s = new UniformStream('root/block/3');
    const lanes = [0, 1, 2, 3].map((k) => createRng(deriveSeed('root/block/3', 'lane', k)));
    for (let i = 0; i < 10000; i++) expect(s.next()).toBe(lanes[i % 4]!.uniform());
  });

  it('fill() equals the same number of next() calls, and the stream is a pure function of the seed', () => {
    const a = new UniformStream(17);
    const b = new UniformStream(17);
    const out = new Float64Array(10007);
    a.next();
    a.fill(out, 10007);
    b.next();
    for (let i = 0; i < 10007; i++) expect(out[i]).toBe(b.next());
    expect(new UniformStream(18).next()).not.toBe(new UniformStream(17).next());
  });

  it('draws in the open interval (0, 1) and passes a KS uniformity test (p > 1e-3)', () => {
    const s = new UniformStream(0);
    const x = new Float64Array(200000);
    s.fill(x, x.length);
    let min = 1;
    let max = 0;
    for (const v of x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    expect(ksOneSample(x, (u) => u).pValue).toBeGreaterThan(1e-3);
  });
});
