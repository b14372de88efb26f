/**
 * Find and validate a study: a bare name (`closure`) is looked up as studies/<name>.json in the package; any
 * other argument is a file path. JSON syntax errors and schema violations are ConfigErrors naming the file,
 * the key path and the value.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, UsageError } from '../errors.js';
import { SF_METRICS, StudySchema, type Study } from './studySchema.js';
import { zodConfigError } from '../config/zodConfigError.js';

/** The studies/ directory shipped with the package (the module sits at src/study/ or dist/src/study/). */
export function studiesDir(): string {
  const up = import.meta.url.includes('/dist/') ? '../../../studies/' : '../../studies/';
  return fileURLToPath(new URL(up, import.meta.url));
}

/** Names of the shipped studies (files studies/<name>.json, the schema file excluded). */
export function shippedStudies(): string[] {
  return readdirSync(studiesDir())
    .filter((f) => f.endsWith('.json') && f !== 'study.schema.json')
    .map((f) => basename(f, '.json'))
    .sort();
}

export function parseStudy(raw: unknown, source?: string): Study {
  const parsed = StudySchema.safeParse(raw);
  if (!parsed.success) throw zodConfigError(parsed.error, raw, source);
  const s = parsed.data;
  const names = new Set<string>();
  s.estimators.forEach((e, i) => {
    if (names.has(e.name)) throw new ConfigError(`estimators.${i}.name`, e.name, 'a name not used by another estimator', source);
    names.add(e.name);
  });
  const labels = new Set<string>();
  s.scan.forEach((p, i) => {
    if (labels.has(p.label)) throw new ConfigError(`scan.${i}.label`, p.label, 'a label not used by another scan point', source);
    labels.add(p.label);
    for (const k of Object.keys(p.estimators)) {
      if (!names.has(k))
        throw new ConfigError(`scan.${i}.estimators.${k}`, k, `an estimator of this study (${[...names].join(', ')})`, source);
    }
  });
  // Scale-factor metrics name a pair of paired.scaleFactors (by default each estimator is its own pair).
  const sfNames = new Set([...names, ...(s.paired?.scaleFactors ?? []).map((p) => p.name)]);
  const checkCriteria = (list: typeof s.criteria, at: string): void =>
    list.forEach((c, i) => {
      if (SF_METRICS.has(c.metric) && !s.paired)
        throw new ConfigError(`${at}.${i}.metric`, c.metric, 'a paired study for a scale-factor metric', source);
      if (!(SF_METRICS.has(c.metric) ? sfNames : names).has(c.estimator))
        throw new ConfigError(`${at}.${i}.estimator`, c.estimator, `an estimator of this study (${[...names].join(', ')})`, source);
      if (c.relativeTo != null && !names.has(c.relativeTo))
        throw new ConfigError(`${at}.${i}.relativeTo`, c.relativeTo, `an estimator of this study (${[...names].join(', ')})`, source);
      // In a paired study `label:mc` names the MC sample of a scan point (resolveStudy.ts mcLabel).
      const known = (l: string): boolean => labels.has(s.paired ? l.replace(/:mc$/, '') : l) && (s.paired != null || !l.endsWith(':mc'));
      const expected = `a scan point label (${[...labels].join(', ')})${s.paired ? ', or label:mc' : ''}`;
      if (c.point != null && !known(c.point)) throw new ConfigError(`${at}.${i}.point`, c.point, expected, source);
      if (c.nullPoint != null) {
        if (!known(c.nullPoint)) throw new ConfigError(`${at}.${i}.nullPoint`, c.nullPoint, expected, source);
        if (c.point == null || c.point === c.nullPoint)
          throw new ConfigError(
            `${at}.${i}.nullPoint`,
            c.nullPoint,
            'a criterion with a `point` of its own, other than its null point',
            source,
          );
      }
    });
  checkCriteria(s.criteria, 'criteria');
  if (s.quick?.criteria) checkCriteria(s.quick.criteria, 'quick.criteria');
  for (const [i, l] of (s.quick?.points ?? []).entries()) {
    if (!labels.has(l)) throw new ConfigError(`quick.points.${i}`, l, `a scan point label (${[...labels].join(', ')})`, source);
  }
  for (const k of Object.keys(s.quick?.estimators ?? {})) {
    if (!names.has(k)) throw new ConfigError(`quick.estimators.${k}`, k, `an estimator of this study (${[...names].join(', ')})`, source);
  }
  (s.plots ?? []).forEach((entry, i) => {
    if (typeof entry === 'string') return;
    entry.points?.forEach((l, j) => {
      if (!labels.has(l)) throw new ConfigError(`plots.${i}.points.${j}`, l, `a scan point label (${[...labels].join(', ')})`, source);
    });
    entry.estimators?.forEach((n, j) => {
      if (!names.has(n))
        throw new ConfigError(`plots.${i}.estimators.${j}`, n, `an estimator of this study (${[...names].join(', ')})`, source);
    });
    if (entry.variables && entry.plot !== 'closure')
      throw new ConfigError(`plots.${i}.variables`, entry.variables, 'no variables: only a closure plot takes them', source);
  });
  return s;
}

/** Load by name or path. */
export function loadStudy(nameOrFile: string): { study: Study; source: string } {
  const byName = /^[A-Za-z][A-Za-z0-9_-]*$/.test(nameOrFile) ? resolve(studiesDir(), `${nameOrFile}.json`) : undefined;
  const file = byName && existsSync(byName) ? byName : resolve(nameOrFile);
  if (!existsSync(file)) {
    throw new UsageError('<study>', nameOrFile, `a study name (${shippedStudies().join(', ')}) or a study file path`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError('', basename(file), `valid JSON (${(err as Error).message})`, file);
  }
  return { study: parseStudy(raw, file), source: file };
}
