/**
 * The verdict section of a study report (issue 10): per scan point one plot of the relative bias per bin
 * against the reachable target (mean over toys, ± its standard error) for every estimator, with the migration
 * (reachable − model target)/model drawn beside it as physics; and its table with the numbers behind every
 * verdict: expected flips, both targets, bias ± error, the per-bin p-value, pull mean, the minimal detectable
 * bias, and the interval each estimator's pulls use. When a calibration is stored, a second table gives the
 * measured power per bin against ±20 % and the bins a criterion cannot judge.
 */
import { calibrationStatusText } from './verdict/studyCalibration.js';
import type { Plot } from '../report/plot.js';
import { VEGA_LITE_SCHEMA, plotConfig } from '../report/plotTheme.js';
import { Binning } from '../binning/Binning.js';
import type { StudyReportData } from './studyReportData.js';

const r3 = (x: number | null | undefined): number | string => (x == null || !Number.isFinite(x) ? 'n/a' : Number(x.toPrecision(3)));
const pct = (x: number | null | undefined): string => (x == null || !Number.isFinite(x) ? 'n/a' : `${(100 * x).toFixed(1)}`);

export function verdictPlots(data: StudyReportData): Plot[] {
  const { summary, info } = data;
  const binning = Binning.fromEdges(info.study.binning.eta, info.study.binning.pt);
  const plots: Plot[] = [];
  for (const p of summary.points) {
    const rows: Record<string, unknown>[] = [];
    const table: (string | number | boolean)[][] = [];
    const intervals: string[] = [];
    let migration: Record<string, unknown>[] = [];
    for (const [name, e] of Object.entries(p.estimators)) {
      const v = e.verdict?.reachable;
      if (!v) continue;
      intervals.push(`${name}: ${v.interval}; bias test from ${v.test === 'spread' ? 'the spread over toys' : 'the reported errors'}`);
      migration = v.bins
        .filter((b) => b.judged && Number.isFinite(b.migration))
        .map((b) => ({
          bin: binning.label(b.bin),
          value: 100 * b.migration,
          lo: 100 * b.migration,
          hi: 100 * b.migration,
          series: 'migration (reachable - model)/model',
        }));
      for (const b of v.bins) {
        if (!b.judged) continue;
        rows.push({
          bin: binning.label(b.bin),
          value: 100 * b.relBias,
          lo: 100 * (b.relBias - b.relBiasErr),
          hi: 100 * (b.relBias + b.relBiasErr),
          series: name,
        });
        table.push([
          name,
          binning.label(b.bin),
          r3(b.expectedFlips),
          r3(b.modelTarget),
          r3(b.reachableTarget),
          pct(b.migration),
          `${pct(b.relBias)} ± ${pct(b.relBiasErr)}`,
          r3(b.p),
          `${r3(b.pullMean)} ± ${r3(b.pullMeanErr)}`,
          pct(b.mdb),
        ]);
      }
    }
    if (!rows.length) continue;
    const values = [...migration, ...rows];
    const many = summary.points.length > 1;
    plots.push({
      id: `verdict-bias${many ? `-${p.label.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}` : ''}`,
      title: `Bias per bin against the reachable target${many ? ` (${p.label})` : ''}`,
      caption:
        'Mean relative bias over the toys (± its standard error) against P(flip | reco bin, selection); the migration points are the gap between that reachable target and the mean truth epsilon of the bin: physics, not an estimator bias. Bins expecting fewer than 5 flips per toy are not judged.',
      spec: {
        $schema: VEGA_LITE_SCHEMA,
        config: plotConfig,
        width: 520,
        height: 280,
        data: { values },
        layer: [
          {
            mark: { type: 'rule' },
            encoding: {
              y: { field: 'bin', type: 'nominal', title: 'bin (|eta|, pT)' },
              x: { field: 'lo', type: 'quantitative', title: 'relative bias [%]' },
              x2: { field: 'hi' },
              color: { field: 'series', type: 'nominal', title: null },
            },
          },
          {
            mark: { type: 'point', filled: true },
            encoding: {
              y: { field: 'bin', type: 'nominal' },
              x: { field: 'value', type: 'quantitative' },
              color: { field: 'series', type: 'nominal' },
              shape: { field: 'series', type: 'nominal' },
              yOffset: { field: 'series', type: 'nominal' },
            },
          },
        ],
      } as Plot['spec'],
      facts: Object.fromEntries(intervals.map((s, i) => [`pulls ${i + 1}`, s])),
      table: {
        columns: [
          'estimator',
          'bin',
          'expected flips / toy',
          'model target',
          'reachable target',
          'migration [%]',
          'bias [%] vs reachable',
          'p (bin)',
          'pull mean',
          'MDB [%] (alpha 1 %, power 0.9)',
        ],
        rows: table,
      },
    });
  }
  const cal = summary.criteria.filter((c) => c.calibration);
  if (cal.length) {
    const rows: (string | number | boolean)[][] = [];
    for (const c of cal) {
      const k = c.calibration!;
      rows.push([
        `${c.criterion.metric}(${c.criterion.estimator}) @ ${c.point}`,
        `${k.failures}/${k.groups} = ${pct(k.rate)} % [${pct(k.rateLo)}, ${pct(k.rateHi)}]`,
        k.budget != null ? `${pct(k.budget)} %` : 'none',
        calibrationStatusText(k),
        Object.entries(k.power)
          .map(([d, pw]) => `${d}: ${pct(pw)} %`)
          .join('; ') || 'n/a',
        k.unjudgedBins?.length ? k.unjudgedBins.join('; ') : 'none',
      ]);
    }
    plots.push({
      id: 'verdict-calibration',
      title: 'Measured false-alarm rate and power of each criterion',
      caption:
        'False alarms: groups of null toys (the study size) failing the criterion, with the 68 % Clopper-Pearson interval; power: fraction of the same groups failing with a known defect injected into the stored estimator output.',
      spec: {
        $schema: VEGA_LITE_SCHEMA,
        config: plotConfig,
        width: 420,
        height: 40 + 18 * cal.length,
        data: {
          values: cal.map((c) => ({
            criterion: `${c.criterion.metric}(${c.criterion.estimator})`,
            rate: 100 * c.calibration!.rate,
            budget: 100 * (c.calibration!.budget ?? NaN),
          })),
        },
        layer: [
          {
            mark: { type: 'bar' },
            encoding: {
              y: { field: 'criterion', type: 'nominal', title: null },
              x: { field: 'rate', type: 'quantitative', title: 'measured false-alarm rate [%]' },
            },
          },
          {
            mark: { type: 'tick', color: 'black', thickness: 2 },
            encoding: { y: { field: 'criterion', type: 'nominal' }, x: { field: 'budget', type: 'quantitative' } },
          },
        ],
      } as Plot['spec'],
      table: {
        columns: [
          'criterion',
          'false alarms',
          'budget',
          'calibration',
          'power',
          'bins it cannot judge (>= 100 flips, +-20 %, power < 0.9)',
        ],
        rows,
      },
    });
  }
  return plots;
}
