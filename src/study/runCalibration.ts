/**
 * `qmisid calibrate <study> --out DIR`: the measured null of a study's criteria and their power (issue 10,
 * items 4–5). Runs N null toys — the study's configuration with `calibration.generator` merged over it, root
 * seed deriveSeed(seed, 'null') so they are independent of the study's own toys, the reference sample kept at
 * the study's own size — as an ordinary resumable study run in DIR, then splits them into groups of the
 * study's toy count and measures (verdict/calibrate.ts). DIR/calibration.json; with `write`, also
 * studies/calibration/<study>[.quick].json beside the study file, where every later run of the study finds it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { deriveSeed } from '../rng.js';
import { deepMerge } from './deepMerge.js';
import { loadStudy } from './loadStudy.js';
import { resolveStudy } from './resolveStudy.js';
import type { Study } from './studySchema.js';
import { runStudy } from './runStudy.js';
import { STUDY_FILE, TOYS_FILE, type StudyRunInfo } from './studyRunFiles.js';
import { readToys } from './toyStore.js';
import { calibrate } from './verdict/calibrate.js';
import { calibrationFile, criterionKey, type StudyCalibration } from './verdict/studyCalibration.js';
import { readReference } from './verdict/studyExtras.js';

export interface RunCalibrationOptions {
  out: string;
  toys?: number;
  quick?: boolean;
  workers?: number;
  write?: boolean;
  /** Run no toy: calibrate from the null toys DIR already holds (a run stopped early because of its cost). */
  stored?: boolean;
  log?: (line: string) => void;
}

export async function runCalibration(
  nameOrFile: string,
  opts: RunCalibrationOptions,
): Promise<{ calibration: StudyCalibration; written?: string }> {
  const { study: raw, source } = loadStudy(nameOrFile);
  const quick = opts.quick === true;
  const real = resolveStudy(raw, { quick, source });
  const cal = raw.calibration;
  const nullToys = opts.toys ?? (quick ? (cal?.quickToys ?? cal?.toys) : cal?.toys);
  if (nullToys == null) throw new ConfigError('calibration.toys', undefined, 'the number of null toys (or --toys N)', source);
  // The estimators in the null run, resolved once: --quick may afford a network that full size cannot.
  const listKey = quick && cal?.quickEstimators ? 'quickEstimators' : 'estimators';
  const estimators = cal?.[listKey];
  for (const [i, n] of (estimators ?? []).entries()) {
    if (!raw.estimators.some((e) => e.name === n))
      throw new ConfigError(
        `calibration.${listKey}.${i}`,
        n,
        `an estimator of this study (${raw.estimators.map((e) => e.name).join(', ')})`,
        source,
      );
  }
  // The scan points in the null run: every criterion must judge one of them.
  const points = cal?.points ? new Set(cal.points) : undefined;
  for (const [i, l] of (cal?.points ?? []).entries()) {
    if (!raw.scan.some((p) => p.label === l))
      throw new ConfigError(
        `calibration.points.${i}`,
        l,
        `a scan point of this study (${raw.scan.map((p) => p.label).join(', ')})`,
        source,
      );
  }
  real.criteria.forEach((c, i) => {
    for (const key of ['point', 'nullPoint'] as const) {
      const l = c[key];
      if (points && l != null && !points.has(l))
        throw new ConfigError(`calibration.points`, cal!.points, `every point a criterion judges (criterion ${i} judges ${l})`, source);
    }
  });
  if (nullToys < real.toys)
    throw new ConfigError('calibration.toys', nullToys, `at least the study's ${real.toys} toys per verdict`, source);
  const seed = deriveSeed(raw.seed, 'null');
  const scale = raw.reference?.scale ?? Math.max(10, real.toys);
  const patch = (s: Study): Study => {
    const keep = estimators ? new Set(estimators) : undefined;
    // The null toys do not depend on the criteria: the run stores none, and the criteria are read from the
    // study file each time the calibration is computed, so a criterion added or re-worded later is
    // calibrated on the same stored null toys (rerun the command: no toy is rerun).
    return {
      ...s,
      // Nor on the description (edited freely without invalidating the stored null toys).
      description: `null toys of ${s.name}`,
      generator: deepMerge<Record<string, unknown>>({}, s.generator, cal?.generator ?? {}),
      reference: { scale },
      estimators: keep ? s.estimators.filter((e) => keep.has(e.name)) : s.estimators,
      scan: points ? s.scan.filter((p) => points.has(p.label)) : s.scan,
      criteria: [],
      ...(s.quick
        ? {
            quick: {
              ...s.quick,
              ...(s.quick.points && points ? { points: s.quick.points.filter((l) => points.has(l)) } : {}),
              criteria: [],
              ...(s.quick.estimators && keep
                ? { estimators: Object.fromEntries(Object.entries(s.quick.estimators).filter(([k]) => keep.has(k))) }
                : {}),
            },
          }
        : {}),
    };
  };
  if (opts.stored) {
    // A null run stopped early (its cost): calibrate from the toys it stored, if they are this configuration's.
    const file = join(opts.out, STUDY_FILE);
    if (!existsSync(file)) throw new UsageError('--stored', opts.out, 'a directory holding a null run (study.json)');
    const have = (JSON.parse(readFileSync(file, 'utf8')) as StudyRunInfo).study;
    const want = resolveStudy(patch(raw), { quick, source, toys: have.toys, seed });
    if (JSON.stringify(have) !== JSON.stringify(want))
      throw new UsageError('--stored', opts.out, `a null run of this study's ${quick ? 'quick ' : ''}configuration`);
  } else {
    await runStudy(nameOrFile, {
      out: opts.out,
      toys: nullToys,
      seed,
      quick,
      workers: opts.workers ?? 0,
      noCalibration: true,
      patch,
      ...(opts.log ? { log: opts.log } : {}),
    });
  }
  const info = JSON.parse(readFileSync(join(opts.out, STUDY_FILE), 'utf8')) as StudyRunInfo;
  const records = readToys(join(opts.out, TOYS_FILE)).records;
  if (records.length < real.toys)
    throw new UsageError('--stored', opts.out, `at least the study's ${real.toys} toys per verdict (it holds ${records.length})`);
  const reference = readReference(opts.out, info.study);
  const keep = estimators ? new Set(estimators) : undefined;
  const kept = (c: { estimator: string; relativeTo?: string | undefined }): boolean =>
    !keep || (keep.has(c.estimator) && (c.relativeTo == null || keep.has(c.relativeTo)));
  // Criteria of estimators left out of the null stay "not measured"; the calibration lists them.
  const notMeasured = real.criteria.filter((c) => !kept(c));
  const calibration = calibrate({ ...info.study, toys: real.toys, criteria: real.criteria.filter(kept) }, records, reference, {
    nullToys: records.length,
    ...(cal?.generator ? { nullGenerator: cal.generator } : {}),
    seed: String(seed),
    notMeasured: notMeasured.map((c) => criterionKey(c, c.point ?? '*')),
    ...(cal?.note ? { note: cal.note } : {}),
  });
  const text = `${JSON.stringify(calibration, null, 2)}\n`;
  writeFileAtomic(join(opts.out, 'calibration.json'), text);
  if (!opts.write) return { calibration };
  const file = calibrationFile(source, raw.name, quick);
  writeFileAtomic(file, text);
  return { calibration, written: file };
}
