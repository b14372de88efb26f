/** The generator config is resolved once (issue 12 item 3): a resolved config passes through unchanged; JSON copies are type-checked, not re-defaulted. */
import { describe, expect, it } from 'vitest';
import {
  asResolvedGeneratorConfig,
  configForMetadata,
  isResolvedGeneratorConfig,
  resolveGeneratorConfig,
} from '../../src/config/generatorConfig.js';
import { ConfigError } from '../../src/errors.js';
import { createBlockContext } from '../../generators/zee/generateBlock.js';

describe('resolve once', () => {
  it('a resolved config is returned as it is, and the block context keeps that very object', () => {
    const cfg = resolveGeneratorConfig({ selection: { window: [85, 97] } });
    expect(isResolvedGeneratorConfig(cfg)).toBe(true);
    expect(resolveGeneratorConfig(cfg)).toBe(cfg);
    expect(createBlockContext(cfg).config).toBe(cfg);
    expect(isResolvedGeneratorConfig({ ...cfg })).toBe(false);
  });
  it('a resolved JSON copy (worker data, study.json) is branded without re-defaulting; a partial one is refused', () => {
    const json = configForMetadata(resolveGeneratorConfig({ blockSize: 1024 })) as Record<string, unknown>;
    const branded = asResolvedGeneratorConfig(json, 'worker');
    expect(branded).toBe(json);
    expect(resolveGeneratorConfig(branded)).toBe(json);
    const { background: _b, ...partial } = json;
    expect(() => asResolvedGeneratorConfig(partial, 'worker')).toThrow(ConfigError);
    expect(() => asResolvedGeneratorConfig(partial, 'worker')).toThrow(/every value present/);
    expect(() => asResolvedGeneratorConfig({ ...json, blockSize: -1 }, 'worker')).toThrow(/blockSize/);
  });
});
