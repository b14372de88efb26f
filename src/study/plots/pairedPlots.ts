/**
 * Report plots of a paired data/MC study (docs/studies.md, "Paired studies"), from the resolved study and its
 * summary alone (plot names `scaleFactors` and `scYield`):
 *   scale factors  SF/SF_true − 1 per bin (mean over toys ± its standard error) for every SF pair at the
 *                  nominal point; the SF pulls pooled over bins and toys per pair; the coverage of the SF
 *                  intervals with Wilson errors; the systematic shifts (variation − nominal, same toys) per bin,
 *                  with the table of nominal SF ± stat and every shift;
 *   SC yield       per scan point and estimator the mean pull (P − S)/SE of the predicted SC yield with its
 *                  error 1/√toys, and the per-toy rejection rate at α = 1 % — the mismodelling study's view.
 */
import { coveragePlot, pullPlot, scanPlot, type Plot, type ScanRow } from '../../report/index.js';
import { slug } from '../../report/slug.js';
import { Binning } from '../../binning/Binning.js';
import type { ResolvedStudy } from '../resolveStudy.js';
import type { StudySummary } from '../summarizeStudy.js';
import { P68, studentTAbsQuantile, Z95 } from '../metrics/pullStats.js';

type Add = (id: string, build: () => Plot | string) => void;

const fmt = (x: number | null | undefined, d = 3): string => (x == null || !Number.isFinite(x) ? '—' : x.toFixed(d));

export function scaleFactorPlots(study: ResolvedStudy, summary: StudySummary, add: Add): void {
  const sf = summary.scaleFactors;
  if (!sf || !study.paired) {
    add('sf-ratio', () => 'not a paired study (no scale factors)');
    return;
  }
  const binning = Binning.fromEdges(study.binning.eta, study.binning.pt);
  const nominal = sf.points.find((p) => p.label === sf.nominal);
  add('sf-ratio', () => {
    const rows: ScanRow[] = [];
    for (const [name, e] of Object.entries(nominal?.estimators ?? {}))
      for (const b of e.bins)
        if (b.used && Number.isFinite(b.sf) && b.trueSf > 0)
          rows.push({
            point: binning.label(b.bin),
            estimator: name,
            value: b.sf / b.trueSf - 1,
            err: b.meanErr / b.trueSf / Math.sqrt(Math.max(1, b.n)),
          });
    if (rows.length === 0) return 'no bin expects ≥ 5 flips in both samples';
    return scanPlot({
      rows,
      id: 'sf-ratio',
      title: `Data/MC scale factors against the truth [${sf.nominal}]`,
      yTitle: 'mean SF / true SF − 1 (dimensionless)',
      xTitle: '(|η|, pT) bin',
      reference: 0,
      caption: `Mean over ${summary.toys.recorded} toys of SF/SF_true − 1 per bin (bins expecting ≥ 5 flips in both samples), error bars the mean reported SF error / √toys: each estimator's SF should scatter around 0 within them, up to the mean of a ratio's own excess ≈ (σ_MC/ε_MC)² (the truth-matched SF shows it too; the pooled criterion removes it). SF = ε̂(data)/ε̂(MC), SF_true = ratio of the samples' truth references.`,
    });
  });
  const rows: { estimator: string; level: number; covered: number; n: number }[] = [];
  for (const [name, e] of Object.entries(nominal?.estimators ?? {})) {
    const pulls = e.pulls;
    const m = e.metrics;
    add(`sf-pulls-${slug(name)}`, () =>
      pulls.length < 2
        ? `${name}: fewer than two SF pulls`
        : pullPlot({
            label: `SF ${name} (data ${e.data} / MC ${e.mc})`,
            pulls,
            fit: { mean: m.sfPullMean!, meanErr: m.sfPullMeanErr!, sigma: m.sfPullWidth!, sigmaErr: m.sfPullWidthErr! },
            failed: e.failures,
            caption: `(SF − SF_true)/σ(SF) over every toy and used bin (${pulls.length} pulls); σ(SF) = SF·√((σ_d/ε_d)² + (σ_m/ε_m)²). Want μ ≈ 0, σ ≈ 1.`,
          }),
    );
    if (pulls.length > 0) {
      const dof = m.sfErrDof;
      const t = dof != null && Number.isFinite(dof) && dof >= 1;
      const z68 = t ? studentTAbsQuantile(P68, dof) : 1;
      const z95 = t ? studentTAbsQuantile(0.95, dof) : Z95;
      rows.push({ estimator: name, level: 0.6827, covered: pulls.filter((p) => Math.abs(p) < z68).length, n: pulls.length });
      rows.push({ estimator: name, level: 0.95, covered: pulls.filter((p) => Math.abs(p) < z95).length, n: pulls.length });
    }
  }
  add('sf-coverage', () =>
    rows.length === 0
      ? 'no SF pulls'
      : coveragePlot({
          rows,
          id: 'sf-coverage',
          title: `Coverage of the scale-factor intervals [${sf.nominal}]`,
          caption:
            'Fraction of (toy, bin) SF intervals ±1σ and ±1.96σ that contain the true SF, with Wilson errors; each bar should reach its nominal line.',
        }),
  );
  add('sf-systematics', () => {
    const srows: ScanRow[] = [];
    for (const s of sf.systematics)
      s.shift.forEach((v, k) => {
        const st = s.statErr[k];
        if (v != null && st != null && st > 0 && nominal?.estimators[s.estimator]?.bins[k]?.used)
          srows.push({
            point: binning.label(k),
            estimator: `${s.estimator} @ ${s.variation}`,
            value: v / st,
            err: (s.shiftErr[k] ?? 0) / st,
          });
      });
    if (srows.length === 0) return 'no variation point';
    const names = Object.keys(nominal?.estimators ?? {});
    const table = {
      columns: [
        'bin',
        ...names.map((n) => `${n}: SF ± stat (true)`),
        ...sf.systematics.map((s) => `${s.estimator} @ ${s.variation}: shift ± err`),
      ],
      rows: [...new Set(srows.map((r) => r.point))].map((lab) => {
        const k = [...Array(binning.size).keys()].find((i) => binning.label(i) === lab)!;
        return [
          lab,
          ...names.map((n) => {
            const b = nominal!.estimators[n]!.bins[k]!;
            return `${fmt(b.sf)} ± ${fmt(b.meanErr)} (${fmt(b.trueSf)})`;
          }),
          ...sf.systematics.map((s) => `${fmt(s.shift[k])} ± ${fmt(s.shiftErr[k])}`),
        ];
      }),
    };
    return {
      ...scanPlot({
        rows: srows,
        id: 'sf-systematics',
        title: 'Systematic variations of the scale factors',
        yTitle: 'mean (SF_variation − SF_nominal) / σ_stat(SF) (dimensionless)',
        xTitle: '(|η|, pT) bin',
        reference: 0,
        caption: `Shift of the SF under each variation, in the same toys (window and sidebands: the same events re-selected; background: the same events with the fake pairs dropped or doubled), mean over toys in units of the nominal's mean statistical error; the table gives the nominal SF ± stat (true SF) and each shift ± its standard error over ${summary.toys.recorded} toys.`,
      }),
      table,
    };
  });
}

export function scYieldPlots(summary: StudySummary, add: Add): void {
  const rows: ScanRow[] = [];
  const rej: ScanRow[] = [];
  for (const p of summary.points) {
    for (const [name, e] of Object.entries(p.estimators)) {
      const m = e.metrics;
      if (m.scYieldPull == null || !Number.isFinite(m.scYieldPull)) continue;
      rows.push({ point: p.label, estimator: name, value: m.scYieldPull, err: m.scYieldPullErr! });
      rej.push({ point: p.label, estimator: name, value: m.scYieldRejectRate! });
    }
  }
  add('sc-yield-pull', () =>
    rows.length === 0
      ? 'no SC yield recorded (not a paired study)'
      : scanPlot({
          rows,
          id: 'sc-yield-pull',
          title: 'Predicted against observed SC yield',
          yTitle: 'mean (P − S)/√Var over toys (dimensionless)',
          reference: 0,
          caption:
            "P = Σ ε12 over the sample's window events, S = its SC events, Var = Σ ε12(1 − ε12) + the ensemble spread of P; error bars 1/√toys. 0 means the estimator predicts the SC yield within its error; positive = over-predicted.",
        }),
  );
  add('sc-yield-reject', () =>
    rej.length === 0
      ? 'no SC yield recorded (not a paired study)'
      : scanPlot({
          rows: rej,
          id: 'sc-yield-reject',
          title: 'Per-toy rejection rate of the SC-yield test (|pull| > 2.576)',
          yTitle: 'fraction of toys rejected at α = 1 % (dimensionless)',
          reference: 0.01,
          caption:
            'Where the estimator is right this is the false-alarm rate (expected 1 %); where the sample is mismodelled it is the power of the single-toy test.',
        }),
  );
}
