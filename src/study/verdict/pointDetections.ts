/**
 * The detections of a defect built into a study's scan points: criteria on an estimator (or relative to it)
 * with a `nullPoint` and no `detects`. Their false-alarm rate is measured at the null point, their power at
 * their own point (calibrate.ts). Read by the calibrated errors (errorScales.ts: what a detection's point
 * borrows) and by the pull floors (pullFloors.ts: which points carry the defect).
 */
import type { Criterion } from '../studySchema.js';

export function pointDetections(criteria: readonly Criterion[], estimator: string): Criterion[] {
  return criteria.filter((c) => (c.estimator === estimator || c.relativeTo === estimator) && c.detects == null && c.nullPoint != null);
}
