/**
 * DIR/summary.json: for every scan point and estimator the metrics of summarizeEstimator, the relative
 * efficiencies between estimators, the failure counts, and the criteria with pass/fail. Computed from the
 * toy records alone (sorted by toy index), so a merged run and an unsharded run give the same summary.
 */
import { deriveSeed } from '../rng.js';
import { version } from '../version.js';
import { evaluateCriteria, type CriterionResult } from './evaluateCriteria.js';
import { attachCalibration, type StudyCalibration } from './verdict/studyCalibration.js';
import { estimatorVerdict } from './verdict/estimatorVerdict.js';
import { atDefectPoint, errorInflation, pullFloors, withResampling, type ErrorInflation, type PullFloor } from './verdict/pullFloors.js';
import { applyErrorScales, type ErrorScale } from './verdict/errorScales.js';
import { applyYieldSystematics, type YieldSystematic } from './verdict/yieldSystematics.js';
import { Binning } from '../binning/Binning.js';
import type { PointReference, StudyReference } from './verdict/referenceTargets.js';
import type { ResolvedStudy } from './resolveStudy.js';
import { binMse, summarizeEstimator, type EstimatorSummary } from './summarizeEstimator.js';
import type { PointRecord, ToyRecord } from './toyRecord.js';
import { summarizeScaleFactors, type ScaleFactorSummary } from './metrics/sfSummary.js';
import { curveToy, shownEstimatorToy, type CurveToy } from './metrics/shownToy.js';
import { summedClosure, summedMass, type SummedMass } from './metrics/summedSpectra.js';

export interface PointSummary {
  label: string;
  /** Mean events per toy after selection, in the window, and same-charge in the window. */
  events: number;
  window: number;
  windowSC: number;
  estimators: Record<string, EstimatorSummary>;
  /**
   * relativeEfficiency[a][b] = median over bins of MSE_b / MSE_a (per-bin residual² over toys): above 1 means
   * a is the more precise estimator. mseRatio[a][b] = per-electron MSE_a / MSE_b.
   */
  relativeEfficiency: Record<string, Record<string, number | null>>;
  mseRatio: Record<string, Record<string, number | null>>;
  /** For the report: OC/SC m_ee spectra summed over the successful toys, and the toy the ε curves show. */
  mass?: SummedMass;
  curves?: CurveToy;
}

export interface StudySummary {
  study: string;
  version: string;
  quick: boolean;
  toys: { requested: number; recorded: number; failed: number; missing: number[] };
  points: PointSummary[];
  criteria: CriterionResult[];
  pass: boolean;
  /** Paired studies: data/MC scale factors per scan point, their pulls and coverage, and the systematic shifts. */
  scaleFactors?: ScaleFactorSummary;
  /** Per point: model and reachable targets per bin from the reference sample (absent: none was made). */
  reference?: Record<string, PointReference>;
  /** Where the criteria's measured false-alarm rates come from (absent: not measured for this configuration). */
  calibration?: { file: string; nullToys: number; toysPerGroup: number } | { missing: string };
  /**
   * Set on a shard's summary: its criteria are not judged (coverage from a third of the toys means nothing);
   * `qmisid merge` judges them on the merged result. Absent on full and merged runs.
   */
  criteriaDeferred?: string;
  /**
   * Pull floors (issue 10: over ≥ 100 toys, |pull mean| ≤ 0.1 and |width − 1| ≤ 0.1 for errors that claim to be
   * Gaussian), per point, estimator, interval, bin class and region: on this run's toys, and on the attached
   * calibration's null toys (where the ≥ 100 toys usually are). verdict/pullFloors.ts.
   */
  pullFloors?: { thisRun: PullFloor[]; nullToys?: PullFloor[] };
  /** Networks: the factor their variance-only error needs per region, measured on half the toys, checked on the other half. */
  errorInflation?: ErrorInflation[];
  /**
   * Networks whose stated error is calibrated (verdict/errorScales.ts): the factors of the attached calibration,
   * applied to their ensemble sd before any criterion, pull or report reads it. errorInflation above is measured
   * on this run's uncalibrated spread.
   */
  errorScales?: ErrorScale[];
  /**
   * Paired studies' networks whose predicted SC yield carries a calibrated systematic (verdict/yieldSystematics.ts),
   * applied before the yield criteria read it.
   */
  yieldSystematics?: YieldSystematic[];
}

export interface SummarizeStudyExtras {
  reference?: StudyReference;
  calibration?: StudyCalibration & { file: string };
  /** Reason no calibration is attached (shown in the report). */
  calibrationMissing?: string;
}

export interface SummarizeOptions {
  /** Judge the study's criteria (default true); false for a shard. */
  judgeCriteria?: boolean;
}

const med = (xs: number[]): number => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const h = v.length >> 1;
  return v.length % 2 ? v[h]! : 0.5 * (v[h - 1]! + v[h]!);
};
const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function summarizeStudy(
  study: ResolvedStudy,
  records: readonly ToyRecord[],
  expectedToys?: readonly number[],
  extras: SummarizeStudyExtras = {},
  opts: SummarizeOptions = {},
): StudySummary {
  const unscaled = [...records].sort((a, b) => a.toy - b.toy);
  const have = new Set(unscaled.map((r) => r.toy));
  const expected = expectedToys ?? Array.from({ length: study.toys }, (_, t) => t);
  const binning = Binning.fromEdges(study.binning.eta, study.binning.pt);
  const errorScales = extras.calibration?.errorScales;
  const yieldSystematics = extras.calibration?.yieldSystematics;
  // The systematic first: a yield that carries one keeps its bare training variance (errorScales.ts).
  const sorted = applyErrorScales(
    applyYieldSystematics(unscaled, yieldSystematics),
    errorScales,
    binning,
    extras.calibration?.file ?? 'the calibration',
  );
  const floors: PullFloor[] = [];
  const inflation: ErrorInflation[] = [];
  const points: PointSummary[] = study.points.map((p) => {
    const recs: (PointRecord | undefined)[] = sorted.map((r) => r.points.find((q) => q.label === p.label));
    const rawRecs = unscaled.map((r) => r.points.find((q) => q.label === p.label));
    const present = recs.filter((r): r is PointRecord => r != null);
    const avg = (f: (r: PointRecord) => number): number => (present.length ? present.reduce((a, r) => a + f(r), 0) / present.length : NaN);
    const estimators: Record<string, EstimatorSummary> = {};
    const ref = extras.reference?.points[p.label];
    // The successful toys' records of this point: what the report's summed histograms add up.
    const okRecs = sorted.filter((r) => r.status === 'ok').flatMap((r) => r.points.filter((q) => q.label === p.label));
    for (const e of p.estimators) {
      const s = summarizeEstimator(e.name, recs);
      s.verdict = estimatorVerdict(e.name, recs, ref, deriveSeed(study.seed, 'scan', p.label, e.name));
      floors.push(...pullFloors(p.label, e.name, recs, ref, binning, undefined, atDefectPoint(study.criteria, p.label, e.name)));
      inflation.push(...errorInflation(p.label, e.name, rawRecs, ref, binning));
      const closureHist = summedClosure(e.name, okRecs);
      const shown = shownEstimatorToy(p.label, e.name, sorted);
      estimators[e.name] = { ...s, ...(closureHist ? { closureHist } : {}), ...(shown ? { shown } : {}) };
    }
    const mass = summedMass(okRecs);
    const curves = curveToy(p.label, sorted, study.binning);
    const names = p.estimators.map((e) => e.name);
    const mses = Object.fromEntries(names.map((n) => [n, binMse(n, recs)]));
    const relativeEfficiency: PointSummary['relativeEfficiency'] = {};
    const mseRatio: PointSummary['mseRatio'] = {};
    for (const a of names) {
      relativeEfficiency[a] = {};
      mseRatio[a] = {};
      for (const b of names) {
        if (a === b) continue;
        const used = estimators[a]!.bins.map((bin, k) => (bin.used && estimators[b]!.bins[k]?.used ? mses[b]![k]! / mses[a]![k]! : NaN));
        relativeEfficiency[a]![b] = num(med(used));
        mseRatio[a]![b] = num(estimators[a]!.metrics.mse! / estimators[b]!.metrics.mse!);
      }
    }
    return {
      label: p.label,
      events: avg((r) => r.events),
      window: avg((r) => r.window),
      windowSC: avg((r) => r.windowSC),
      estimators,
      relativeEfficiency,
      mseRatio,
      ...(mass ? { mass } : {}),
      ...(curves ? { curves } : {}),
    };
  });
  const judge = opts.judgeCriteria !== false;
  const scaleFactors = summarizeScaleFactors(study, sorted);
  const criteria = judge ? evaluateCriteria(study.criteria, points, scaleFactors?.points ?? []) : [];
  if (judge && extras.calibration) attachCalibration(criteria, extras.calibration);
  return {
    study: study.name,
    version,
    quick: study.quick,
    toys: {
      requested: expected.length,
      recorded: sorted.length,
      failed: sorted.filter((r) => r.status !== 'ok').length,
      missing: expected.filter((t) => !have.has(t)),
    },
    points,
    criteria,
    pass: criteria.every((c) => c.pass),
    ...(scaleFactors ? { scaleFactors } : {}),
    ...(extras.reference ? { reference: extras.reference.points } : {}),
    ...(extras.calibration
      ? {
          calibration: {
            file: extras.calibration.file,
            nullToys: extras.calibration.nullToys,
            toysPerGroup: extras.calibration.toysPerGroup,
          },
        }
      : extras.calibrationMissing
        ? { calibration: { missing: extras.calibrationMissing } }
        : {}),
    pullFloors: {
      thisRun: floors,
      ...(extras.calibration?.pullFloors ? { nullToys: withResampling(extras.calibration.pullFloors, floors) } : {}),
    },
    ...(inflation.length ? { errorInflation: inflation } : {}),
    ...(errorScales?.length ? { errorScales } : {}),
    ...(yieldSystematics?.length ? { yieldSystematics } : {}),
    ...(judge
      ? {}
      : { criteriaDeferred: `${study.criteria.length} criteria are judged on the merged result (qmisid merge), not on a shard` }),
  };
}
