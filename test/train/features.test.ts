import { describe, expect, it } from 'vitest';
import { electronInputs, inputNames, inputWidth, parseFeatures } from '../../src/train/features.js';
import { fitNormalisation, normalise } from '../../src/train/normalisation.js';
import { ocKeepKey, ocSubsample } from '../../src/train/subsample.js';
import { resolveTrainConfig } from '../../src/train/config.js';
import { ConfigError, DataError } from '../../src/errors.js';
import { createRng } from '../../src/rng.js';
import { toyPairs } from '../../src/train/toyPairs.js';
import { prepareTrainingSet } from '../../src/train/trainingSet.js';

describe('features', () => {
  it('default transforms: log pT, periodic φ, identity otherwise', () => {
    const specs = parseFeatures(['pt', 'eta', 'phi', 'q', 'abseta', 'id:m_ee_like']);
    expect(inputNames(specs)).toEqual(['log(pt)', 'eta', 'cos(phi)', 'sin(phi)', 'q', 'abs(eta)', 'm_ee_like']);
    expect(inputWidth(specs)).toBe(7);
  });

  it('periodic φ maps −π and π to the same inputs', () => {
    const specs = parseFeatures(['phi']);
    const t = { n: 2, columns: { phi1: Float64Array.of(-Math.PI, Math.PI), phi2: Float64Array.of(0, 0) } };
    const x = electronInputs(t, specs, 1);
    expect(x[0]).toBeCloseTo(x[2]!, 12);
    expect(x[1]).toBeCloseTo(x[3]!, 12);
  });

  it('rejects unknown transforms, duplicates, missing columns and log of non-positive values', () => {
    expect(() => parseFeatures(['sqrt:pt'])).toThrow(ConfigError);
    expect(() => parseFeatures(['eta', 'id:eta'])).toThrow(/each feature once/);
    const t = toyPairs({ n: 10, seed: 1 });
    expect(() => electronInputs(t, parseFeatures(['foo']), 1, 'f.csv')).toThrow(/f\.csv column foo1/);
    const bad = { n: 1, columns: { pt1: Float64Array.of(-3) } };
    expect(() => electronInputs(bad, parseFeatures(['pt']), 1)).toThrow(DataError);
  });

  it('a block of rows is the same slice of the whole, and a bad value is named by its row in the table', () => {
    const t = toyPairs({ n: 300, seed: 3 });
    const specs = parseFeatures(['pt', 'phi', 'eta']);
    const d = inputWidth(specs);
    const whole = electronInputs(t, specs, 2);
    expect([...electronInputs(t, specs, 2, 'f', { from: 100, to: 250 })]).toEqual([...whole.subarray(100 * d, 250 * d)]);
    expect(electronInputs(t, specs, 2, 'f', { from: 7, to: 7 })).toHaveLength(0);
    const pt1 = Float64Array.from({ length: 10 }, () => 40);
    pt1[8] = -1;
    expect(() => electronInputs({ n: 10, columns: { pt1 } }, parseFeatures(['pt']), 1, 'f', { from: 5, to: 10 })).toThrow(/row 9: log/);
  });

  it('the training set built block by block equals the inputs of the whole table normalised at once', () => {
    // 40000 rows: blocks of 16384 cut the table twice (prepareTrainingSet's INPUT_BLOCK_ROWS).
    const t = toyPairs({ n: 40000, seed: 4 });
    const specs = parseFeatures(['pt', 'eta']);
    const a = electronInputs(t, specs, 1);
    const b = electronInputs(t, specs, 2);
    const norm = fitNormalisation([a, b], 2);
    const { set, normalisation } = prepareTrainingSet(t, specs, 'pair');
    expect(normalisation).toEqual(norm);
    expect(Buffer.from(set.x1.buffer).equals(Buffer.from(normalise(a, norm).buffer))).toBe(true);
    expect(Buffer.from(set.x2.buffer).equals(Buffer.from(normalise(b, norm).buffer))).toBe(true);
  });

  it('normalisation is over both electrons: standardised inputs have mean 0 and sd 1 jointly', () => {
    const t = toyPairs({ n: 5000, seed: 2 });
    const specs = parseFeatures(['pt', 'eta']);
    const a = electronInputs(t, specs, 1);
    const b = electronInputs(t, specs, 2);
    const norm = fitNormalisation([a, b], 2);
    const z = [...normalise(a, norm), ...normalise(b, norm)];
    for (let j = 0; j < 2; j++) {
      const col = z.filter((_, i) => i % 2 === j);
      const m = col.reduce((s, v) => s + v, 0) / col.length;
      const sd = Math.sqrt(col.reduce((s, v) => s + (v - m) ** 2, 0) / col.length);
      expect(m).toBeCloseTo(0, 5);
      expect(sd).toBeCloseTo(1, 5);
    }
  });
});

describe('config', () => {
  it('fills defaults and rejects unknown keys and bad values with the path', () => {
    const c = resolveTrainConfig({});
    expect(c.hidden).toEqual([64, 64, 64]);
    expect(c.activation).toBe('leakyRelu');
    expect(c.alpha).toBe(0.01);
    expect(() => resolveTrainConfig({ epochz: 3 } as never)).toThrow(/train\.epochz/);
    expect(() => resolveTrainConfig({ ocKeep: 1.5 })).toThrow(/train\.ocKeep = 1\.5/);
  });
});

describe('OC subsampling', () => {
  it('keeps every SC event unweighted and keeps the OC weight sum within 3 binomial σ', () => {
    const n = 100_000;
    const rng = createRng('sub-data');
    const sc = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.01 ? 1 : 0));
    const w = new Float64Array(n).fill(1);
    const r = 0.05;
    const out = ocSubsample(n, sc, w, r, ocKeepKey('sub'));
    let nOc = 0;
    let nSc = 0;
    for (let i = 0; i < n; i++) sc[i] ? nSc++ : nOc++;
    let wOc = 0;
    let keptSc = 0;
    for (let k = 0; k < out.index.length; k++) {
      if (sc[out.index[k]!]) {
        keptSc++;
        expect(out.w[k]).toBe(1);
      } else {
        wOc += out.w[k]!;
        expect(out.w[k]).toBeCloseTo(1 / r, 12);
      }
    }
    expect(keptSc).toBe(nSc);
    // kept OC count ~ Binomial(nOc, r): weight sum = count / r has σ = sqrt(nOc r (1 − r)) / r.
    expect(Math.abs(wOc - nOc)).toBeLessThan((3 * Math.sqrt(nOc * r * (1 - r))) / r);
  });
});
