/**
 * Every plot builder's spec is valid Vega-Lite: it validates against the JSON schema shipped with vega-lite
 * and compiles with no warning (the collected warnings must be empty). The two checks are first shown to
 * catch a bad spec, so a green run means something.
 */
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import type { TopLevelSpec } from 'vega-lite';
import { compileSpec } from '../../src/report/compileSpec.js';
import { samplePlots } from './sampleReport.js';

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8')) as object;
// vega-lite's schema is draft-07 with some non-standard keywords; strict mode off so ajv accepts them.
// String formats (uri, color-hex) are not checked: ajv core does not ship them and they carry no plot logic.
const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
const validate = ajv.compile(schema);

function dataUrls(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + dataUrls(v), 0);
  if (value && typeof value === 'object') {
    return Object.entries(value).reduce((n, [k, v]) => n + (k === 'url' ? 1 : k === 'values' ? 0 : dataUrls(v)), 0);
  }
  return 0;
}

describe('plot specs', () => {
  const plots = samplePlots();

  it('the checks catch a broken spec', () => {
    expect(validate({ mark: 'no-such-mark', data: { values: [] } })).toBe(false);
    // A log scale asked to include zero: schema-valid, but vega-lite warns and drops the property.
    const warned = compileSpec({
      data: { values: [{ x: 1, y: 1 }] },
      mark: 'point',
      encoding: { x: { field: 'x', type: 'quantitative', scale: { type: 'log', zero: true } }, y: { field: 'y', type: 'quantitative' } },
    });
    expect(warned.warnings.length).toBeGreaterThan(0);
  });

  it('covers every builder', () => {
    const ids = plots.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const prefix of [
      'eps-vs-abseta',
      'eps-vs-pt',
      'ratio-map',
      'pulls',
      'coverage',
      'scaling',
      'mee-oc-sc',
      'closure-pt',
      'closure-eta',
      'closure-mee',
      'loss',
      'degeneracy',
      'identifiability',
    ]) {
      expect(
        ids.some((id) => id.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
  });

  for (const plot of samplePlots()) {
    it(`${plot.id}: schema-valid, compiles without warnings, data inlined, captioned`, () => {
      const ok = validate(plot.spec);
      expect(ok ? [] : validate.errors?.slice(0, 3)).toEqual([]);
      const { warnings, vega } = compileSpec(plot.spec as TopLevelSpec);
      expect(warnings).toEqual([]);
      expect(vega.marks?.length ?? 0).toBeGreaterThan(0);
      expect(dataUrls(plot.spec)).toBe(0);
      expect(plot.caption.length).toBeGreaterThan(20);
      expect(plot.title.length).toBeGreaterThan(0);
      // Every positional axis has a title; a title carries units in [..] or says it is dimensionless/a count.
      const titles = JSON.stringify(plot.spec).match(/"title":"[^"]*"/g) ?? [];
      expect(titles.length).toBeGreaterThan(1);
    });
  }
});
