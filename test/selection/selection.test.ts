/** The selection module: one resolution, the derived sideband weight, region codes, flag parsing; the flip response's one schema. */
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../src/errors.js';
import { resolveGeneratorConfig } from '../../src/config/generatorConfig.js';
import { flipResponseFrom, FLIP_RESPONSE_DEFAULTS } from '../../src/fit/flipResponse.js';
import {
  REGION,
  regionOf,
  resolveSelection,
  SELECTION_DEFAULTS,
  selectionFromFile,
  selectionWithFlags,
  sidebandFactor,
} from '../../src/selection/selection.js';

describe('selection', () => {
  it('resolves a partial selection onto the defaults, and the generator config embeds the same', () => {
    expect(resolveSelection({})).toEqual({ ptMin: [25, 25], window: [80, 100], lowSideband: [60, 80], highSideband: [100, 120] });
    expect(resolveSelection({ window: [85, 97] }).lowSideband).toEqual([60, 80]);
    expect(resolveGeneratorConfig({}).selection).toEqual(resolveSelection({}));
    expect(resolveGeneratorConfig({}).detector.flip).toEqual(FLIP_RESPONSE_DEFAULTS);
  });
  it('the sideband weight is −(window width)/(total sideband width)', () => {
    expect(sidebandFactor(SELECTION_DEFAULTS)).toBe(-0.5);
    expect(sidebandFactor(resolveSelection({ window: [85, 97] }))).toBeCloseTo(-0.3, 15);
    expect(sidebandFactor(resolveSelection({ window: [80, 100], lowSideband: [70, 80], highSideband: [100, 110] }))).toBe(-1);
  });
  it('region codes: [lo, hi) ranges, outside elsewhere', () => {
    expect([79.999, 80, 99.999, 100, 119.999, 120, 59.9].map((m) => regionOf(m, SELECTION_DEFAULTS))).toEqual([
      REGION.lowSideband,
      REGION.window,
      REGION.window,
      REGION.highSideband,
      REGION.highSideband,
      REGION.outside,
      REGION.outside,
    ]);
  });
  it('bad selections are ConfigErrors naming the key', () => {
    expect(() => resolveSelection({ window: [100, 80] })).toThrow(/selection\.window/);
    expect(() => resolveSelection({ lowSideband: [60, 85] })).toThrow(/selection\.lowSideband.*window start 80/);
    expect(() => resolveSelection({ ptMin: [-1, 25] } as never)).toThrow(ConfigError);
    expect(() => resolveSelection({ windw: [1, 2] } as never)).toThrow(/selection\.windw/);
  });
  it('file metadata, then flags; the source is recorded', () => {
    expect(selectionFromFile(undefined).source).toBe('default');
    expect(selectionFromFile({ config: {} }).source).toBe('default');
    const f = selectionFromFile({ config: { selection: { window: [85, 97] } } });
    expect(f).toMatchObject({ source: 'file', selection: { window: [85, 97] } });
    expect(selectionWithFlags(f, {})).toBe(f);
    expect(selectionWithFlags(f, { sidebands: '65,80,100,115', ptMin: '30,20' })).toEqual({
      source: 'flags',
      selection: { window: [85, 97], lowSideband: [65, 80], highSideband: [100, 115], ptMin: [30, 20] },
    });
    expect(() => selectionWithFlags(f, { window: '85,x' })).toThrow(UsageError);
    expect(() => selectionWithFlags(f, { window: '70,97' })).toThrow(/--sidebands|--window/);
    expect(() => selectionWithFlags(f, { ptMin: '-5,20' })).toThrow(/--pt-min/);
  });
});

describe('flip response: one schema', () => {
  it('both parameters are fractions in [0, 1)', () => {
    expect(flipResponseFrom({ lossMean: 0, extraSmear: 0.999 }, 'response')).toEqual({ lossMean: 0, extraSmear: 0.999 });
    expect(() => flipResponseFrom({ lossMean: 1, extraSmear: 0 }, 'response')).toThrow(/response\.lossMean = 1/);
    expect(() => flipResponseFrom({ lossMean: 0.01, extraSmear: 1.5 }, 'response')).toThrow(/response\.extraSmear/);
    expect(() => flipResponseFrom({ lossMean: 0.01 }, 'response')).toThrow(/response\.extraSmear/);
    expect(() => resolveGeneratorConfig({ detector: { flip: { lossMean: 1.2 } } })).toThrow(/detector\.flip\.lossMean/);
  });
});
