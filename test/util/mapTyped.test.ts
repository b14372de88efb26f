import { describe, expect, it } from 'vitest';
import { mapTyped } from '../../src/util/mapTyped.js';

describe('mapTyped', () => {
  it('gives what the mapped TypedArray.from gives, element for element and in the same type', () => {
    const sc = Uint8Array.from([0, 1, 1, 0, 1]);
    const a = mapTyped(Float32Array, sc, (s) => 1 - s);
    expect(a).toBeInstanceOf(Float32Array);
    expect([...a]).toEqual([...Float32Array.from(sc, (s) => 1 - s)]);
    const w = Float64Array.from([0.5, -2, 3.25]);
    const idx = mapTyped(Uint32Array, [2, 0], (j, i) => j * 10 + i);
    expect([...idx]).toEqual([20, 1]);
    expect([...mapTyped(Float64Array, w, (v) => (v > 0 ? v : 0))]).toEqual([0.5, 0, 3.25]);
  });

  it('rounds into the target type as an assignment does', () => {
    const x = mapTyped(Float32Array, [0.1], (v) => v);
    expect(x[0]).toBe(Math.fround(0.1));
    expect(mapTyped(Uint8Array, [1], () => 257)[0]).toBe(1);
  });
});
