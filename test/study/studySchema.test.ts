import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ConfigError } from '../../src/errors.js';
import { loadStudy, parseStudy, shippedStudies, studiesDir } from '../../src/study/loadStudy.js';
import { resolveStudy } from '../../src/study/resolveStudy.js';
import { exportStudyJsonSchema } from '../../src/study/studySchema.js';

const files = readdirSync(studiesDir()).filter((f) => f.endsWith('.json') && f !== 'study.schema.json');

function thrown(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const minimal = { name: 'x', description: 'd', seed: 1, toys: 1, events: 1000, estimators: [{ name: 'b', kind: 'binned' }] };

describe('study files', () => {
  it('ships the seven studies of issue 5, features, selection-bias, scale-factors and mismodelling (issue 15) and the two of issue 10 (local-structure, verdicts)', () => {
    expect(shippedStudies()).toEqual([
      'background',
      'bias-vs-n',
      'closure',
      'coverage',
      'degeneracy',
      'features',
      'flip-smearing',
      'local-structure',
      'mismodelling',
      'scale-factors',
      'selection-bias',
      'substructure',
      'verdicts',
    ]);
  });

  it('the exported JSON Schema is up to date (regenerate: npx tsx src/study/writeStudySchema.ts, docs/studies.md)', () => {
    const onDisk = JSON.parse(readFileSync(`${studiesDir()}/study.schema.json`, 'utf8'));
    expect(onDisk).toEqual(exportStudyJsonSchema());
  });

  it.each(files)('%s validates against the zod schema, the JSON Schema, and resolves (full and quick)', (f) => {
    const raw = JSON.parse(readFileSync(`${studiesDir()}/${f}`, 'utf8'));
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(exportStudyJsonSchema());
    expect(validate(raw), JSON.stringify(validate.errors)).toBe(true);
    const { study } = loadStudy(f.replace(/\.json$/, ''));
    const full = resolveStudy(study);
    const quick = resolveStudy(study, { quick: true });
    expect(full.points.length).toBeGreaterThan(0);
    expect(study.quick, `${f} carries quick overrides`).toBeDefined();
    // quick never runs more events than the full study
    const total = (r: typeof full) => r.toys * r.points.reduce((a, p) => a + p.events, 0);
    expect(total(quick)).toBeLessThanOrEqual(total(full));
  });
});

describe('schema rejection names the key path', () => {
  it('rejects an unknown top-level key', () => {
    const e = thrown(() => parseStudy({ ...minimal, toyz: 3 }, 'f.json'));
    expect(e.path).toBe('toyz');
    expect(e.message).toContain('unknown key');
  });

  it('rejects an unknown key inside a scan point and a criterion', () => {
    expect(thrown(() => parseStudy({ ...minimal, scan: [{ label: 'a', generatr: {} }] })).path).toBe('scan.0.generatr');
    const crit = { metric: 'mse', estimator: 'b', op: '<', threshold: 1, extra: 1 };
    expect(thrown(() => parseStudy({ ...minimal, criteria: [crit] })).path).toBe('criteria.0.extra');
  });

  it('rejects a bad value with its path and value', () => {
    const e = thrown(() => parseStudy({ ...minimal, toys: -2 }));
    expect(e.path).toBe('toys');
    expect(e.value).toBe(-2);
    expect(thrown(() => parseStudy({ ...minimal, criteria: [{ metric: 'nope', estimator: 'b', op: '<', threshold: 1 }] })).path).toBe(
      'criteria.0.metric',
    );
  });

  it('rejects a criterion naming an unknown estimator or scan point', () => {
    expect(thrown(() => parseStudy({ ...minimal, criteria: [{ metric: 'mse', estimator: 'zz', op: '<', threshold: 1 }] })).path).toBe(
      'criteria.0.estimator',
    );
    expect(
      thrown(() => parseStudy({ ...minimal, criteria: [{ metric: 'mse', estimator: 'b', point: 'p', op: '<', threshold: 1 }] })).path,
    ).toBe('criteria.0.point');
  });

  it('rejects two detections of one estimator at one point with different null points', () => {
    const scan = [{ label: 'a' }, { label: 'b' }, { label: 'c' }];
    const det = (nullPoint: string) => ({ metric: 'biasP', estimator: 'b', point: 'c', nullPoint, op: '<', threshold: 0.01 });
    const e = thrown(() => resolveStudy(parseStudy({ ...minimal, scan, criteria: [det('a'), det('b')] })));
    expect(e.path).toBe('criteria.1.nullPoint');
    expect(e.message).toContain("'a', the null point of the other detections of b at point 'c'");
    expect(resolveStudy(parseStudy({ ...minimal, scan, criteria: [det('a'), det('a')] })).criteria).toHaveLength(2);
  });

  it('passes generator keys to the generator schema and reports them under the study path', () => {
    const s = parseStudy({ ...minimal, scan: [{ label: 'a', generator: { detector: { flip: { lossMaen: 0.01 } } } }] });
    expect(thrown(() => resolveStudy(s)).path).toBe('scan.0.generator.detector.flip.lossMaen');
    const s2 = parseStudy({ ...minimal, generator: { truth: { mZ: -1 } } });
    expect(thrown(() => resolveStudy(s2)).path).toBe('generator.truth.mZ');
  });
});
