/**
 * DIR/report/: the study's summary (criteria with pass/fail, headline metrics) handed to the report writer
 * (src/report/writeReport.ts). Plots from the per-toy records are the report module's to add; this hook
 * supplies the data in one place (studyReportData).
 */
import { join } from 'node:path';
import { studyReportData } from './studyReportData.js';

export async function writeStudyReport(dir: string): Promise<void> {
  const { writeReport } = await import('../report/writeReport.js');
  const { info, summary } = studyReportData(dir);
  const headline: Record<string, number | string> = {};
  for (const p of summary.points) {
    for (const [name, e] of Object.entries(p.estimators)) {
      for (const key of ['meanAbsRelBias', 'maxAbsBiasOverSigma', 'coverage68', 'mse', 'closureChi2Ndf', 'failureRate'] as const) {
        const v = e.metrics[key];
        if (v != null && Number.isFinite(v)) headline[`${p.label}/${name}/${key}`] = Number(v.toPrecision(4));
      }
    }
  }
  const fmt = (x: number | null): number | string => (x == null ? 'n/a' : Number(x.toPrecision(5)));
  await writeReport(join(dir, 'report'), {
    title: `Study ${summary.study}${summary.quick ? ' (quick)' : ''}`,
    summary: {
      config: info.study,
      seeds: { root: info.study.seed, toys: info.toySeeds },
      N: { toys: summary.toys.recorded, ...Object.fromEntries(info.study.points.map((p) => [`events/${p.label}`, p.events])) },
      backend: info.backend,
      version: info.version,
      criteria: summary.criteria.map((c) => ({
        name: `${c.criterion.metric}(${c.criterion.estimator}${c.criterion.relativeTo ? `/${c.criterion.relativeTo}` : ''}) @ ${c.point}`,
        value: fmt(c.value),
        threshold: `${c.criterion.op} ${c.criterion.threshold}`,
        pass: c.pass,
      })),
      headline,
    },
    plots: [],
  });
}
