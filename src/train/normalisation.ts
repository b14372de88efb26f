/**
 * Input standardisation, fitted once on the training table and stored with the model: for each input,
 * mean and standard deviation over *both* electrons of every event (electron 1 and 2 share one network, so
 * they share one scale). Unweighted: negative sideband weights must not produce a negative variance. An
 * input that is constant gets sd = 1 (it then only shifts the first-layer bias).
 */
export interface Normalisation {
  mean: number[];
  sd: number[];
}

export function fitNormalisation(rows: Iterable<Float64Array>, d: number): Normalisation {
  const mean = new Array<number>(d).fill(0);
  const m2 = new Array<number>(d).fill(0);
  let count = 0;
  for (const x of rows) {
    const n = x.length / d;
    for (let i = 0; i < n; i++) {
      count++;
      for (let j = 0; j < d; j++) {
        // Welford: stable for pT-like inputs with large means.
        const v = x[i * d + j]!;
        const delta = v - mean[j]!;
        mean[j]! += delta / count;
        m2[j]! += delta * (v - mean[j]!);
      }
    }
  }
  const sd = m2.map((s) => {
    const v = count > 1 ? Math.sqrt(s / count) : 0;
    return v > 0 ? v : 1;
  });
  return { mean, sd };
}

/** (x − mean) / sd, row-major [n, d], as float32 for the network. */
export function normalise(x: Float64Array, norm: Normalisation): Float32Array {
  const d = norm.mean.length;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % d;
    out[i] = (x[i]! - norm.mean[j]!) / norm.sd[j]!;
  }
  return out;
}
