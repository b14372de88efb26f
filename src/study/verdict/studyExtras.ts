/**
 * What a study's summary needs beside its toy records: the reference targets (DIR/reference.json, made once
 * per configuration and reused on resume) and the stored calibration of its criteria.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Binning } from '../../binning/Binning.js';
import { writeFileAtomic } from '../../io/atomic.js';
import type { ResolvedStudy } from '../resolveStudy.js';
import type { SummarizeStudyExtras } from '../summarizeStudy.js';
import { referenceKey, referenceTargets, type GenerateFn, type StudyReference } from './referenceTargets.js';
import { loadCalibration } from './studyCalibration.js';

export const REFERENCE_FILE = 'reference.json';

export function readReference(dir: string, study: ResolvedStudy): StudyReference | undefined {
  const file = join(dir, REFERENCE_FILE);
  if (!existsSync(file)) return undefined;
  const ref = JSON.parse(readFileSync(file, 'utf8')) as StudyReference;
  return ref.key === referenceKey(study) ? ref : undefined;
}

/** DIR/reference.json for this study: read when it matches, else generated and written atomically. */
export async function ensureReference(
  dir: string,
  study: ResolvedStudy,
  generate: GenerateFn,
  log: (l: string) => void = () => {},
  threads = 1,
): Promise<StudyReference> {
  const have = readReference(dir, study);
  if (have) return have;
  log('reference sample for the reachable targets ...');
  // On worker threads when more than one core is ours (referencePool.ts); the same numbers either way.
  const runner = threads > 1 ? (await import('./referencePool.js')).referencePool(study, threads) : undefined;
  const ref = await referenceTargets(study, Binning.fromEdges(study.binning.eta, study.binning.pt), generate, runner);
  writeFileAtomic(join(dir, REFERENCE_FILE), `${JSON.stringify(ref)}\n`);
  return ref;
}

export function studyExtras(
  study: ResolvedStudy,
  reference: StudyReference | undefined,
  studySource: string | undefined,
): SummarizeStudyExtras {
  const extras: SummarizeStudyExtras = {};
  if (reference) extras.reference = reference;
  if (studySource) {
    const { calibration, missing } = loadCalibration(study, studySource);
    if (calibration) extras.calibration = calibration;
    else if (missing) extras.calibrationMissing = missing;
  }
  return extras;
}
