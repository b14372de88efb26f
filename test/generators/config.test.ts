import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { configForMetadata, generatorConfigJsonSchema, resolveGeneratorConfig } from '../../src/config/generatorConfig.js';

function rejects(input: unknown, path: string): ConfigError {
  let caught: unknown;
  try {
    resolveGeneratorConfig(input as never);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  expect((caught as ConfigError).path).toBe(path);
  expect((caught as ConfigError).message).toContain(path);
  return caught as ConfigError;
}

describe('generator config', () => {
  it('resolves the physics.md defaults from an empty input', () => {
    const c = resolveGeneratorConfig({});
    expect(c.truth.mZ).toBe(91.1876);
    expect(c.truth.gammaZ).toBe(2.4952);
    expect(c.truth.massRange).toEqual([60, 120]);
    expect(c.truth.zPt).toMatchObject({ p0: 7.75, power: 1.436, slope: 106.5 });
    expect(c.truth.rapidity).toMatchObject({ plateau: 3.5, edge: 0.5 });
    expect(c.truth.afb).toBe(0.02);
    expect(c.eps).toMatchObject({ model: 'analytic', eps0: 2.5e-5, beta: 2.2, pb: 50, k: 1.5, pX: 44, crackFactor: 2, clip: [0, 0.5] });
    expect(c.detector).toMatchObject({ maxAbsEta: 2.47, crack: [1.37, 1.52], excludeCrack: true });
    expect(c.detector.resolution.barrel.b).toBe(0.3);
    expect(c.detector.flip).toEqual({ lossMean: 0.015, extraSmear: 0.025 });
    expect(c.selection).toEqual({ ptMin: [25, 25], window: [80, 100], lowSideband: [60, 80], highSideband: [100, 120] });
    expect(c.background.fraction).toBe(0);
    expect(c.smearing.copies).toBe(1);
  });

  it('keeps given values and fills the rest, including inside an ε block without a model', () => {
    const c = resolveGeneratorConfig({ truth: { gammaZ: 3 }, eps: { eps0: 1e-4 } });
    expect(c.truth.gammaZ).toBe(3);
    expect(c.truth.mZ).toBe(91.1876);
    expect(c.eps).toMatchObject({ model: 'analytic', eps0: 1e-4, beta: 2.2 });
    // A resolved config resolves to itself.
    expect(resolveGeneratorConfig(c)).toEqual(c);
  });

  it('rejects a negative width, naming the key', () => {
    rejects({ truth: { gammaZ: -2.5 } }, 'truth.gammaZ');
  });

  it('rejects ε outside [0, 1] in a binned map and in the clip interval', () => {
    rejects({ eps: { model: 'binned', absEtaEdges: [0, 2.5], ptEdges: [0, 100], values: [[1.2]] } }, 'eps.values.0.0');
    rejects({ eps: { model: 'binned', absEtaEdges: [0, 2.5], ptEdges: [0, 100], values: [[-0.1]] } }, 'eps.values.0.0');
    rejects({ eps: { clip: [0, 1.5] } }, 'eps.clip');
  });

  it('rejects unknown keys at the root, nested, and inside an ε model', () => {
    rejects({ seedd: 1 }, 'seedd');
    rejects({ detector: { resolution: { barrel: { d: 1 } } } }, 'detector.resolution.barrel.d');
    rejects({ eps: { model: 'sector', base: { eps1: 1 } } }, 'eps.base.eps1');
  });

  it('rejects a window or sideband outside the generated mass range', () => {
    const e = rejects({ selection: { window: [80, 130] } }, 'selection.window');
    expect(e.message).toContain('truth.massRange');
    rejects({ truth: { massRange: [70, 120] } }, 'selection.lowSideband');
    rejects({ selection: { lowSideband: [60, 85] } }, 'selection.lowSideband');
  });

  it('rejects malformed binned maps, ranges and A_FB beyond the physical bound', () => {
    rejects({ eps: { model: 'binned', absEtaEdges: [0, 1, 2.5], ptEdges: [0, 100], values: [[0.1]] } }, 'eps.values');
    rejects({ eps: { model: 'binned', absEtaEdges: [0, 1, 0.5, 2.5], ptEdges: [0, 100], values: [[0], [0], [0]] } }, 'eps.absEtaEdges');
    rejects({ eps: { model: 'binned', absEtaEdges: [0, 2.0], ptEdges: [0, 100], values: [[0.1]] } }, 'eps.absEtaEdges');
    rejects({ truth: { massRange: [120, 60] } }, 'truth.massRange');
    rejects({ truth: { afb: 0.8 } }, 'truth.afb');
    rejects({ background: { fraction: 0.7 } }, 'background.fraction');
    rejects({ smearing: { copies: 0 } }, 'smearing.copies');
  });

  it('records a user ε function by label only, and exports a JSON Schema that rejects unknown keys', () => {
    const c = resolveGeneratorConfig({ eps: { model: 'function', fn: () => 0.01, label: 'flat 1%' } });
    expect(configForMetadata(c)).toMatchObject({ eps: { model: 'function', fn: '<function>', label: 'flat 1%' } });
    const schema = generatorConfigJsonSchema() as { additionalProperties?: unknown; properties: Record<string, unknown> };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['truth', 'eps', 'detector', 'selection', 'background', 'smearing']),
    );
  });
});
