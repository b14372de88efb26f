/**
 * Every shipped study, as CI can afford it: `qmisid study <name> --quick` runs end to end on the real
 * generator and estimators, its quick criteria pass (exit status 0), no toy is lost, and every plot of its
 * report is valid Vega-Lite that compiles without warnings, with none left out. (`closure --quick` is run by
 * studyReport.test.ts, which also checks the committed example.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import type { TopLevelSpec } from 'vega-lite';
import { main } from '../../src/cli/main.js';
import { compileSpec } from '../../src/report/compileSpec.js';
import { shippedStudies } from '../../src/study/loadStudy.js';

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8')) as object;
const validate = new Ajv({ strict: false, validateFormats: false }).compile(schema);

const root = mkdtempSync(join(tmpdir(), 'qmisid-shipped-'));

function expectValidSpecs(reportDir: string): void {
  const specs = readdirSync(join(reportDir, 'specs'));
  expect(specs.length).toBeGreaterThan(0);
  for (const f of specs) {
    const spec = JSON.parse(readFileSync(join(reportDir, 'specs', f), 'utf8')) as TopLevelSpec;
    expect(validate(spec) ? [] : validate.errors?.slice(0, 2), f).toEqual([]);
    expect(compileSpec(spec).warnings, f).toEqual([]);
  }
}
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('shipped studies (--quick)', () => {
  // Which studies ship is asserted once, in test/study/studySchema.test.ts; here each one runs.
  for (const name of shippedStudies().filter((n) => n !== 'closure')) {
    it(`${name}: runs, passes its quick criteria, loses no toy, and reports valid plots`, async () => {
      const out = join(root, name);
      const prev = process.exitCode;
      const code = await main(['node', 'qmisid', 'study', name, '--quick', '--workers', '1', '--out', out]);
      process.exitCode = prev;
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      const failed = (summary.criteria as { pass: boolean }[]).filter((c) => !c.pass);
      expect(failed, JSON.stringify(failed)).toEqual([]);
      expect(code).toBe(0);
      expect(summary.toys.missing).toEqual([]);
      expect(summary.toys.recorded).toBe(summary.toys.requested);
      const report = JSON.parse(readFileSync(join(out, 'report', 'summary.json'), 'utf8'));
      const leftOut = Object.keys(report.summary?.headline ?? {}).filter((k) => k.startsWith('plot left out'));
      expect(leftOut).toEqual([]);
      expectValidSpecs(join(out, 'report'));
    });
  }

  it('closure: the committed example report (closure --quick) has valid plots', () => {
    expectValidSpecs(fileURLToPath(new URL('../../reports/example/report', import.meta.url)));
  });
});
