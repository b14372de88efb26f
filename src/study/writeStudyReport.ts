/**
 * DIR/report/: the study's summary (what was run, criteria with pass/fail, headline metrics) and its plots
 * (studyPlots), built from the stored results alone — DIR/study.json, toys.jsonl and summary.json — and
 * written through the report toolkit (src/report/writeReport.ts). `qmisid study` calls it after the run and
 * `qmisid report DIR` calls it again to rebuild the report without rerunning anything.
 */
import { calibrationClass, calibrationStatusText } from './verdict/studyCalibration.js';
import { resampledNullText } from './verdict/resampledNull.js';
import { join } from 'node:path';
import type { ReportManifest, WriteReportOptions } from '../report/index.js';
import type { CriterionResult } from './evaluateCriteria.js';
import { studyPlots } from './studyPlots.js';
import { verdictPlots } from './verdictPlots.js';
import { studyReportData, type StudyReportData } from './studyReportData.js';
import { studyCriteria, studyVerdicts } from './studyVerdicts.js';
import { errorInflationText, pullFloorLabel, pullFloorText } from './verdict/pullFloors.js';
import { errorScaleText } from './verdict/errorScales.js';
import { yieldSystematicText } from './verdict/yieldSystematics.js';

export interface StudyReportOptions extends WriteReportOptions {
  /** Where to write the report (default DIR/report). */
  outDir?: string;
}

/** Headline metrics: one line per scan point and estimator and metric that exists for it. */
const HEADLINE_METRICS = [
  'failureRate',
  'meanAbsRelBias',
  'maxAbsBiasOverSigma',
  'pullWidth',
  'coverage68',
  'mse',
  'closureChi2NdfEta',
  'closureChi2NdfMee',
] as const;

function calibrationText(c: CriterionResult, missing: string | undefined): string {
  const k = c.calibration;
  const budget = c.budget != null ? `budget ${(100 * c.budget).toPrecision(2)} %` : 'no stated budget';
  if (!k) return `${budget}; false-alarm rate NOT MEASURED: ${c.notMeasured ?? missing ?? 'the calibration does not hold this criterion'}`;
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  const power = Object.entries(k.power)
    .map(([d, p]) => `${d} ${pct(p)}`)
    .join(', ');
  const rate =
    k.status === 'power only'
      ? calibrationStatusText(k)
      : `measured ${k.failures}/${k.groups} = ${pct(k.rate)} [${pct(k.rateLo)}, ${pct(k.rateHi)}]${calibrationClass(k) !== 'calibrated' ? ` ${calibrationStatusText(k)}` : ''}`;
  const resampled = k.resampled ? `; ${resampledNullText(k.resampled)}` : '';
  return `${budget}; ${rate}${resampled}${power ? `; power: ${power}` : ''}${k.unjudgedBins?.length ? `; cannot judge: ${k.unjudgedBins.join('; ')}` : ''}`;
}

export async function writeStudyReport(dir: string, options: StudyReportOptions = {}): Promise<ReportManifest> {
  const { writeReport } = await import('../report/writeReport.js');
  const data = studyReportData(dir);
  const { info, summary } = data;
  const headline: Record<string, number | string> = {};
  const many = summary.points.length > 1;
  for (const p of summary.points) {
    for (const [name, e] of Object.entries(p.estimators)) {
      for (const key of HEADLINE_METRICS) {
        const v = e.metrics[key];
        if (v != null && Number.isFinite(v)) headline[`${many ? `${p.label} / ` : ''}${name} / ${key}`] = Number(v.toPrecision(4));
      }
    }
  }
  const alerts = studyAlerts(data);
  const { plots: basePlots, leftOut } = studyPlots(info.study, summary);
  const plots = [...verdictPlots(data), ...basePlots];
  if (summary.calibration && 'missing' in summary.calibration) headline['false-alarm calibration'] = summary.calibration.missing;
  for (const [id, why] of Object.entries(leftOut)) headline[`plot left out: ${id}`] = why;
  // Pull floors (≥ 100 toys): the null toys of the calibration where attached, and this run's own toys.
  const nullToys = summary.calibration && 'file' in summary.calibration ? summary.calibration.nullToys : 0;
  for (const f of summary.pullFloors?.nullToys ?? [])
    headline[`pull floor (null toys) / ${pullFloorLabel(f, many)}`] = pullFloorText(f, `${nullToys} null toys of the calibration`);
  for (const f of summary.pullFloors?.thisRun ?? [])
    headline[`pull floor (this run) / ${pullFloorLabel(f, many)}`] = pullFloorText(f, 'this run');
  for (const x of summary.errorScales ?? [])
    headline[`calibrated network error / ${many ? `${x.point} / ` : ''}${x.estimator} / ${x.region}`] = errorScaleText(x);
  for (const x of summary.yieldSystematics ?? [])
    headline[`calibrated SC-yield error / ${many ? `${x.point} / ` : ''}${x.estimator}`] = yieldSystematicText(x);
  for (const x of summary.errorInflation ?? [])
    headline[`network error calibration / ${many ? `${x.point} / ` : ''}${x.estimator} / ${x.region}`] = errorInflationText(x);
  const { outDir, ...writeOptions } = options;
  return writeReport(
    outDir ?? join(dir, 'report'),
    {
      title: `Study ${summary.study}${summary.quick ? ' (quick)' : ''}`,
      summary: {
        config: info.study,
        seeds: { root: info.study.seed, toys: info.toySeeds },
        N: {
          toys: summary.toys.recorded,
          'toys failed': summary.toys.failed,
          'toys missing': summary.toys.missing.length,
          ...Object.fromEntries(info.study.points.map((p) => [`truth Z events per toy / ${p.label}`, p.events])),
          ...Object.fromEntries(summary.points.map((p) => [`window events per toy (mean) / ${p.label}`, Math.round(p.window)])),
          ...Object.fromEntries(summary.points.map((p) => [`window SC events per toy (mean) / ${p.label}`, Math.round(p.windowSC)])),
        },
        backend: info.backend,
        version: info.version,
        ...(info.gitCommit != null ? { gitCommit: info.gitCommit } : {}),
        // The verdict cards' criteria, each with its calibration line (stated budget, measured false alarms, power).
        criteria: studyCriteria(summary).map((c, i) => ({
          ...c,
          calibration: calibrationText(
            summary.criteria[i]!,
            summary.calibration && 'missing' in summary.calibration ? summary.calibration.missing : undefined,
          ),
        })),
        headline,
        ...(alerts.length ? { alerts } : {}),
        verdicts: studyVerdicts(summary, info.study.binning),
      },
      plots,
    },
    writeOptions,
  );
}

/**
 * Every estimate that did not succeed (not identifiable, collapsed, not converged, failed, …), per scan point
 * and estimator: the count by status and the first toy's message. The report shows them in red.
 */
export function studyAlerts(data: StudyReportData): string[] {
  const many = data.summary.points.length > 1;
  const alerts: string[] = [];
  for (const p of data.summary.points) {
    for (const [name, e] of Object.entries(p.estimators)) {
      for (const [status, n] of Object.entries(e.failures)) {
        const first = data.records
          .map((r) => r.points.find((q) => q.label === p.label)?.estimators[name])
          .find((r) => r?.status === status);
        alerts.push(
          `${many ? `${p.label} / ` : ''}${name}: ${status} in ${n} of ${e.toys} toy(s)${first?.message ? ` — ${first.message}` : ''}`,
        );
      }
    }
  }
  return alerts;
}
