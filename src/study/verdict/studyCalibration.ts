/**
 * The measured null and power of a study's criteria, as stored in studies/calibration/<study>[.quick].json
 * (written by `qmisid calibrate`, read by every run of the study): per criterion the false-alarm rate over
 * groups of null toys and the power against injected defects, per bin where the defect is per bin.
 * A calibration applies to a run when it was measured with the same toy count per verdict and holds the
 * criterion (matched by criterionKey); otherwise the summary says why it is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { clopperPearson } from '../../stats/index.js';
import type { CriterionCalibration, CriterionResult } from '../evaluateCriteria.js';
import type { ResolvedStudy } from '../resolveStudy.js';
import type { Criterion } from '../studySchema.js';
import type { PullFloor } from './pullFloors.js';
import type { ErrorScale } from './errorScales.js';
import type { YieldSystematic } from './yieldSystematics.js';
import { resampledLabel, resampledUsable, type ResampledNull } from './resampledNull.js';
import { ratePct } from './ratePct.js';

export interface BinPower {
  bin: number;
  label: string;
  expectedFlips: number;
  target: number;
  /** Minimal detectable relative bias at the criterion's budget with power 0.9 (normal approximation). */
  mdb: number | null;
  /** Measured power against ε̂_k × 1.2 and × 0.8. */
  powerUp: number;
  powerDown: number;
}

export interface CalibratedCriterion {
  key: string;
  point: string;
  calibration: CriterionCalibration;
  bins?: BinPower[];
}

export interface StudyCalibration {
  study: string;
  quick: boolean;
  /** Toys per verdict (the study's toy count) and null toys run. */
  toysPerGroup: number;
  nullToys: number;
  groups: number;
  /** Generator patch that made the null (absent: the study's own configuration). */
  nullGenerator?: Record<string, unknown>;
  seed: string;
  version: string;
  defects: string[];
  criteria: CalibratedCriterion[];
  /** Pooled pulls over all null toys per estimator, bin class and region (pullFloors.ts); absent in older files. */
  pullFloors?: PullFloor[];
  /**
   * Calibrated network errors (errorScales.ts): per point, network and region the factor on its ensemble sd,
   * fitted on the first half of the null groups; every run of the study applies them. Absent: no network in
   * the null run.
   */
  errorScales?: ErrorScale[];
  /**
   * Paired studies: per point and network, the systematic on its predicted SC yield (yieldSystematics.ts),
   * fitted on the same first half; every run of the study applies it. Absent in older files.
   */
  yieldSystematics?: YieldSystematic[];
  /** Criteria not measured (their estimators were left out of the null run), and the study's reason. */
  notMeasured?: string[];
  note?: string;
}

/**
 * Failed: the measured false-alarm rate lies above the budget beyond its one-sided 95 % Clopper–Pearson lower
 * bound (one false alarm in a dozen groups is not yet evidence against a 1 % budget; two are), or a weak
 * criterion's model rate (resampledNull.ts) lies above it beyond its one-sided 95 % lower bound.
 */
export function calibrationStatus(
  failures: number,
  groups: number,
  budget: number | undefined,
  detects?: string,
  resampled?: ResampledNull,
): CriterionCalibration['status'] {
  if (detects != null && groups === 0) return 'power only';
  if (budget == null) return 'no budget';
  return directFailed(failures, groups, budget) || resampledFailed(resampled, budget) ? 'failed' : 'ok';
}

/** The direct rate is above the budget beyond its one-sided 95 % Clopper–Pearson bound. */
function directFailed(failures: number, groups: number, budget: number): boolean {
  return groups > 0 && clopperPearson(failures, groups, 0.9)[0] > budget;
}

/** The model's rate (resampledNull.ts), where it is a measurement, is above the budget beyond its one-sided 95 % bound. */
function resampledFailed(r: ResampledNull | undefined, budget: number): boolean {
  return r != null && resampledUsable(r) && r.rateLo95 > budget;
}

/** Whether a direct calibration is weak: its rate's 68 % upper bound exceeds WEAK_BOUND budgets. */
export function isWeak(k: Pick<CriterionCalibration, 'budget' | 'rateHi'>): boolean {
  return k.budget != null && k.rateHi != null && k.rateHi > WEAK_BOUND * k.budget;
}

/** A measured rate whose upper bound exceeds this many budgets is labelled a weak calibration. */
export const WEAK_BOUND = 10;

/**
 * How a calibration reads — one rule for every printout and the generated overview:
 * 'failed' | 'calibrated' (directly) | 'model' (weak directly, with no direct false alarm, and the model
 * rate's 68 % upper end within the budget) | 'weak' | 'power only' | 'no budget'.
 */
export type CalibrationClass = 'failed' | 'calibrated' | 'model' | 'weak' | 'power only' | 'no budget';

export function calibrationClass(k: CriterionCalibration): CalibrationClass {
  if (k.status !== 'ok') return k.status;
  if (!isWeak(k)) return 'calibrated';
  // A direct false alarm among few verdicts is not outvoted by a model.
  return k.failures === 0 && k.resampled && resampledUsable(k.resampled) && k.resampled.rateHi <= k.budget! ? 'model' : 'weak';
}

/** One phrase for a calibration's status, the same in the console, the calibration table and the report. */
export function calibrationStatusText(k: CriterionCalibration): string {
  // No failure yet proves little when the verdicts are few: "weak" where the rate's 68 % upper bound is more
  // than ten budgets (0 of 17 or fewer verdicts at a 1 % budget), unless a model null bounds it.
  const direct = `${k.failures ? `${k.failures} of ` : ''}${k.groups} verdict${k.groups === 1 ? '' : 's'}: 68 % upper bound ${ratePct(k.rateHi)}`;
  const usable = k.resampled && resampledUsable(k.resampled) ? k.resampled : undefined;
  const upper = usable ? `68 % upper bound ${ratePct(usable.rateHi)}` : '';
  switch (calibrationClass(k)) {
    case 'failed':
      return k.budget != null && !directFailed(k.failures, k.groups, k.budget) && resampledFailed(k.resampled, k.budget)
        ? `FAILED CALIBRATION (${resampledLabel(k.resampled!)}: rate ${ratePct(k.resampled!.rate)}, one-sided 95 % lower bound ${ratePct(k.resampled!.rateLo95)})`
        : 'FAILED CALIBRATION';
    case 'calibrated':
      return 'calibrated';
    case 'model':
      return `calibrated on the ${resampledLabel(usable!)} (${upper}; directly ${direct})`;
    case 'weak':
      return `calibrated, weakly (${direct}${usable ? `; ${resampledLabel(usable)}: ${upper}` : ''})`;
    case 'no budget':
      return 'no budget';
    case 'power only':
      return `power only: every point carries the defect it detects (${k.detects ?? '?'}), so this study holds no null for it`;
  }
}

export function criterionKey(c: Criterion, point: string): string {
  return `${c.metric}(${c.estimator}${c.relativeTo ? `/${c.relativeTo}` : ''})@${point} ${c.op} ${c.threshold}${c.target ? ` [${c.target}]` : ''}`;
}

export function calibrationFile(studySource: string, name: string, quick: boolean): string {
  return join(dirname(studySource), 'calibration', `${name}${quick ? '.quick' : ''}.json`);
}

export function attachCalibration(results: CriterionResult[], cal: StudyCalibration): void {
  const byKey = new Map(cal.criteria.map((c) => [c.key, c]));
  const left = new Set(cal.notMeasured ?? []);
  for (const r of results) {
    const hit = byKey.get(criterionKey(r.criterion, r.point));
    // The status follows the criterion's budget as the study file states it now (one rule: calibrationStatus).
    if (hit)
      r.calibration = {
        ...hit.calibration,
        budget: r.budget,
        status: calibrationStatus(
          hit.calibration.failures,
          hit.calibration.groups,
          r.budget,
          hit.calibration.detects,
          hit.calibration.resampled,
        ),
      };
    else if (left.has(criterionKey(r.criterion, r.point)) || left.has(criterionKey(r.criterion, '*')))
      r.notMeasured = `its estimator is not in the null run${cal.note ? `: ${cal.note}` : ''}`;
  }
}

/** The stored calibration for this resolved study, or the reason there is none. */
export function loadCalibration(
  study: ResolvedStudy,
  studySource: string,
): { calibration?: StudyCalibration & { file: string }; missing?: string } {
  const file = calibrationFile(studySource, study.name, study.quick);
  // Relative to the study file's directory: the same text from any working directory (summaries are compared byte for byte).
  const shown = relative(dirname(studySource), file) || file;
  if (!existsSync(file)) {
    const note = studyNote(studySource);
    return { missing: `no ${shown}: false-alarm rates not measured for this configuration${note ? ` (${note})` : ' (qmisid calibrate)'}` };
  }
  const cal = JSON.parse(readFileSync(file, 'utf8')) as StudyCalibration;
  if (cal.toysPerGroup !== study.toys)
    return { missing: `${shown} was measured for verdicts of ${cal.toysPerGroup} toys, this run has ${study.toys}` };
  return { calibration: { ...cal, file: shown } };
}

/** The study file's `calibration.note` (why a size is not calibrated, and its cost), read from the file as written. */
function studyNote(studySource: string): string | undefined {
  try {
    const raw = JSON.parse(readFileSync(studySource, 'utf8')) as { calibration?: { note?: unknown } };
    return typeof raw.calibration?.note === 'string' ? raw.calibration.note : undefined;
  } catch {
    return undefined;
  }
}
