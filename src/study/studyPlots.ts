/**
 * The plots of a study's report, built from the stored results alone (DIR/study.json, toys.jsonl,
 * summary.json): nothing is rerun, so `qmisid report DIR` gives the same plots as the run did.
 *
 * Which plots a study shows follows what it is for (PLOT_SETS); a study file of another name gets the set
 * its shape suggests (one point: the closure set; several toys: pulls and coverage; several points: the
 * bias scan). A plot whose data are missing or unusable is left out and named in `leftOut` with the reason,
 * so the report says what it does not show instead of failing as a whole.
 *
 * Conventions: per-bin numbers come from the summary (means over the toys that succeeded); per-toy views
 * (ε curves, losses, the ensemble in the degeneracy plane, the fit's graph) come from the first toy whose
 * estimator succeeded, and say so; histograms (m_ee spectra, SC closure) are summed over the toys.
 */
import { QmisidError } from '../errors.js';
import {
  closurePlot,
  coveragePlot,
  degeneracyPlot,
  epsilonCurvePlot,
  identifiabilityPlot,
  lossCurvePlot,
  massSpectraPlot,
  pullPlot,
  ratioMapPlot,
  scalingPlot,
  scanPlot,
  type EpsErrorPoint,
  type Plot,
  type ScanRow,
} from '../report/index.js';
import { slug } from '../report/slug.js';
import type { ProfileVariable } from './metrics/profiles.js';
import { P68, studentTAbsQuantile, Z95 } from './metrics/pullStats.js';
import type { ResolvedEstimator } from './resolveStudy.js';
import type { StudyReportData } from './studyReportData.js';
import type { EstimatorKind } from './studySchema.js';
import type { EstimatorSummary, BinSummary } from './summarizeEstimator.js';
import { finite, type EstimatorRecord, type PointRecord } from './toyRecord.js';

export type PlotSet = 'closure' | 'coverage' | 'scaling' | 'degeneracy' | 'scan' | 'substructure';

/** What each shipped study shows (see docs/studies.md, "Outputs"). */
export const PLOT_SETS: Record<string, PlotSet[]> = {
  closure: ['closure'],
  coverage: ['coverage'],
  'bias-vs-n': ['scaling'],
  degeneracy: ['degeneracy'],
  'flip-smearing': ['scan'],
  background: ['scan'],
  'selection-bias': ['scan'],
  substructure: ['substructure'],
};

export interface StudyPlots {
  plots: Plot[];
  /** Plot id → why it was left out. */
  leftOut: Record<string, string>;
}

const SERIES: Record<EstimatorKind, string> = {
  binned: 'binned fit',
  binnedFolded: 'folded binned fit',
  truthMatched: 'truth-matched',
  phi: 'φ-trainer',
  oracle: 'oracle',
  reachTarget: 'reachable target',
  external: 'external',
  onnx: 'ONNX φ',
};

interface Ctx {
  data: StudyReportData;
  eta: number[];
  pt: number[];
  nPt: number;
  out: Plot[];
  leftOut: Record<string, string>;
}

export function studyPlots(data: StudyReportData): StudyPlots {
  const { study } = data.info;
  const ctx: Ctx = { data, eta: study.binning.eta, pt: study.binning.pt, nPt: study.binning.pt.length - 1, out: [], leftOut: {} };
  const sets = PLOT_SETS[study.name] ?? defaultSets(data);
  for (const set of sets) {
    if (set === 'closure') closureSet(ctx, study.points[0]!.label);
    else if (set === 'coverage') coverageSet(ctx);
    else if (set === 'scaling') scalingSet(ctx);
    else if (set === 'degeneracy') degeneracySet(ctx);
    else if (set === 'scan') scanSet(ctx);
    else substructureSet(ctx);
  }
  return { plots: ctx.out, leftOut: ctx.leftOut };
}

function defaultSets(data: StudyReportData): PlotSet[] {
  const sets: PlotSet[] = [];
  if (data.info.study.points.length === 1) sets.push('closure');
  else sets.push('scan');
  if (data.info.study.toys >= 5) sets.push('coverage');
  return sets;
}

/** Build one plot; a data problem (a builder's DataError, or data absent) leaves it out with the reason. */
function add(ctx: Ctx, id: string, build: () => Plot | string): void {
  try {
    const p = build();
    if (typeof p === 'string') ctx.leftOut[id] = p;
    else ctx.out.push({ ...p, id });
  } catch (err) {
    if (!(err instanceof QmisidError)) throw err;
    ctx.leftOut[id] = err.message;
  }
}

function estimatorsOf(ctx: Ctx, label: string): ResolvedEstimator[] {
  return ctx.data.info.study.points.find((p) => p.label === label)?.estimators ?? [];
}

/** The estimator of a kind to draw in the shared-series plots: the one named after the kind, else the first. */
function ofKind(ctx: Ctx, label: string, kind: EstimatorKind): string | undefined {
  const all = estimatorsOf(ctx, label).filter((e) => e.kind === kind && !e.sidebandSubtraction);
  return (all.find((e) => e.name === kind) ?? all[0])?.name;
}

function summaryOf(ctx: Ctx, label: string, name: string): EstimatorSummary | undefined {
  return ctx.data.summary.points.find((p) => p.label === label)?.estimators[name];
}

/** First toy whose point record has estimator `name` with status ok (or the first toy with the point). */
function firstOk(ctx: Ctx, label: string, name?: string): { toy: number; point: PointRecord; rec?: EstimatorRecord } | undefined {
  for (const r of ctx.data.records) {
    if (r.status !== 'ok') continue;
    const point = r.points.find((p) => p.label === label);
    if (!point) continue;
    if (name == null) return { toy: r.toy, point };
    const rec = point.estimators[name];
    if (rec?.status === 'ok') return { toy: r.toy, point, rec };
  }
  return undefined;
}

function okPoints(ctx: Ctx, label: string): PointRecord[] {
  return ctx.data.records.filter((r) => r.status === 'ok').flatMap((r) => r.points.filter((p) => p.label === label));
}

const toyNote = (ctx: Ctx, toy: number) => (ctx.data.records.length > 1 ? `, toy ${toy} of ${ctx.data.records.length}` : '');
const pointNote = (ctx: Ctx, label: string) => (ctx.data.info.study.points.length > 1 ? ` [${label}]` : '');

// ---------------------------------------------------------------------------------------------------------
// ε curves

/** Per-bin estimate integrated over the other binning axis, electron-weighted (errors added in quadrature). */
function coarseProfile(ctx: Ctx, point: PointRecord, rec: EstimatorRecord, variable: 'pt' | 'abseta'): EpsErrorPoint[] {
  const edges = variable === 'pt' ? ctx.pt : ctx.eta;
  const out: EpsErrorPoint[] = [];
  for (let s = 0; s < edges.length - 1; s++) {
    let n = 0;
    let sum = 0;
    let v = 0;
    const bins = variable === 'pt' ? ctx.eta.slice(1).map((_, i) => i * ctx.nPt + s) : ctx.pt.slice(1).map((_, j) => s * ctx.nPt + j);
    for (const k of bins) {
      const c = point.count[k] ?? 0;
      const e = finite(rec.eps[k]);
      if (!(c > 0) || !Number.isFinite(e)) continue;
      const err = finite(rec.err[k]);
      n += c;
      sum += c * e;
      v += Number.isFinite(err) ? (c * err) ** 2 : 0;
    }
    if (n > 0) {
      const lo = edges[s]!;
      const hi = edges[s + 1]!;
      out.push({ x: variable === 'pt' ? Math.sqrt(lo * hi) : (lo + hi) / 2, eps: sum / n, err: Math.sqrt(v) / n, xlo: lo, xhi: hi });
    }
  }
  return out;
}

function profilePoints(
  edges: readonly number[],
  eps: readonly (number | null)[],
  count?: readonly number[],
  lo?: readonly (number | null)[],
  hi?: readonly (number | null)[],
) {
  const out: { x: number; eps: number; lo: number; hi: number }[] = [];
  for (let b = 0; b < eps.length; b++) {
    const e = finite(eps[b]);
    if (!Number.isFinite(e) || (count && !(count[b]! > 0))) continue;
    const l = lo ? finite(lo[b]) : e;
    const h = hi ? finite(hi[b]) : e;
    const a = edges[b]!;
    const z = edges[b + 1]!;
    out.push({
      x: a > 0 && z / a > 1.5 ? Math.sqrt(a * z) : (a + z) / 2,
      eps: e,
      lo: Number.isFinite(l) ? l : e,
      hi: Number.isFinite(h) ? h : e,
    });
  }
  return out;
}

function epsCurve(ctx: Ctx, label: string, variable: ProfileVariable): void {
  const id = `eps-vs-${variable}${ctx.data.info.study.points.length > 1 ? `-${slug(label)}` : ''}`;
  add(ctx, id, () => {
    const first = firstOk(ctx, label);
    const prof = first?.point.profiles?.[variable];
    if (!first || !prof) return 'no ε profile in the toy records (records written before profiles were stored)';
    const { point, toy } = first;
    const est = (kind: EstimatorKind) => {
      const name = ofKind(ctx, label, kind);
      return name && point.estimators[name]?.status === 'ok' ? point.estimators[name] : undefined;
    };
    const phi = est('phi');
    const oracle = est('oracle');
    const binned = est('binned');
    const tm = est('truthMatched');
    const prof2 = (r: EstimatorRecord | undefined) => r?.profiles?.[variable];
    const p = prof2(phi);
    const o = prof2(oracle);
    const coarse = variable !== 'phi';
    const other = variable === 'pt' ? '|η|' : 'pT';
    return epsilonCurvePlot({
      variable,
      slice: `mean over the window's signal electrons in each ${variable === 'phi' ? 'φ' : variable === 'pt' ? 'pT' : '|η|'} slice${variable === 'phi' ? ' (all pT, |η|)' : ` (all ${other})`}${toyNote(ctx, toy)}${pointNote(ctx, label)}`,
      truth: profilePoints(prof.edges, prof.truth, prof.count),
      ...(p ? { phi: profilePoints(prof.edges, p.eps, prof.count, p.lo, p.hi) } : {}),
      ...(o ? { oracle: profilePoints(prof.edges, o.eps, prof.count) } : {}),
      ...(binned
        ? coarse
          ? { binned: coarseProfile(ctx, point, binned, variable) }
          : { binned: profilePoints(prof.edges, binned.profiles?.[variable]?.eps ?? [], prof.count) }
        : {}),
      ...(tm && coarse
        ? {
            truthMatched: coarseProfile(ctx, point, tm, variable).map((q) => ({
              ...q,
              x: q.x * (variable === 'pt' ? 1.04 : 1) + (variable === 'abseta' ? 0.03 : 0),
            })),
          }
        : {}),
      caption:
        variable === 'phi'
          ? 'Truth ε against the azimuth: a network given φ should follow the raised sector; the binned fit (no φ in its binning) can only show the average.'
          : `Estimators should follow the truth line within their errors (φ-trainer band: min–max of the ensemble members; binned points: the fit's bins, x bars = bin width, averaged over ${other} with the electron counts).`,
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Closure study set

function ratioMap(ctx: Ctx, label: string, name: string): void {
  const est = estimatorsOf(ctx, label).find((e) => e.name === name);
  if (!est) return;
  add(ctx, `ratio-map-${slug(name)}${ctx.data.info.study.points.length > 1 ? `-${slug(label)}` : ''}`, () => {
    const s = summaryOf(ctx, label, name);
    if (!s || s.bins.length === 0) return `no successful ${name} toy`;
    const cells = s.bins.map((b: BinSummary) => {
      const i = Math.floor(b.bin / ctx.nPt);
      const j = b.bin % ctx.nPt;
      const ok = b.used && Number.isFinite(b.estimate) && b.truth > 0;
      return {
        etaLo: ctx.eta[i]!,
        etaHi: ctx.eta[i + 1]!,
        ptLo: ctx.pt[j]!,
        ptHi: ctx.pt[j + 1]!,
        ratio: ok ? b.estimate / b.truth : null,
        ...(ok && Number.isFinite(b.residualErr) ? { err: b.residualErr / b.truth } : {}),
      };
    });
    return ratioMapPlot({
      estimator: `${SERIES[est.kind]} (${name})${pointNote(ctx, label)}`,
      cells,
      naMeaning: 'empty, or fewer than 5 expected flips',
      caption: `Mean estimate / mean truth per bin over ${s.toys - Object.values(s.failures).reduce((a, b) => a + b, 0)} toy(s); want 1 within the printed error everywhere; "n/a" marks bins expecting fewer than 5 flips per toy (left out of every metric).`,
    });
  });
}

function massSpectra(ctx: Ctx, label: string): void {
  add(ctx, `mass-spectra${ctx.data.info.study.points.length > 1 ? `-${slug(label)}` : ''}`, () => {
    const pts = okPoints(ctx, label).filter((p) => p.mass);
    if (pts.length === 0) return 'no m_ee spectra in the toy records';
    const edges = pts[0]!.mass!.edges;
    const oc = edges.slice(1).map((_, b) => pts.reduce((a, p) => a + p.mass!.oc[b]!, 0));
    const sc = edges.slice(1).map((_, b) => pts.reduce((a, p) => a + p.mass!.sc[b]!, 0));
    const plot = massSpectraPlot({
      edges,
      oc,
      sc,
      title: `OC and SC m_ee spectra${pointNote(ctx, label)}`,
      caption: `Selected events (window and sidebands, ${pts.length} toy(s) summed), each spectrum normalised to unit area: the SC peak sits lower and is wider because a flipped electron loses energy; the facts give the SC − OC mean shift.`,
    });
    return plot;
  });
}

function closurePanels(ctx: Ctx, label: string, name: string, variables: readonly ('pt' | 'eta' | 'm_ee')[] = ['pt', 'eta', 'm_ee']): void {
  const est = estimatorsOf(ctx, label).find((e) => e.name === name);
  if (!est) return;
  for (const v of variables) {
    add(ctx, `closure-${slug(name)}-${v.replace('_', '')}${ctx.data.info.study.points.length > 1 ? `-${slug(label)}` : ''}`, () => {
      const hs = okPoints(ctx, label)
        .map((p) => p.estimators[name])
        .filter((r): r is EstimatorRecord => r?.status === 'ok' && r.closureHist != null)
        .map((r) => r.closureHist![v]);
      if (hs.length === 0) return `no closure histograms for ${name}`;
      const edges = hs[0]!.edges;
      const sum = (f: (h: (typeof hs)[number]) => (number | null)[]) =>
        edges.slice(1).map((_, b) => hs.reduce((a, h) => a + finite(f(h)[b]), 0));
      const observed = sum((h) => h.observed);
      const predicted = sum((h) => h.predicted);
      const variance = sum((h) => h.variance);
      // Stored per bin: the total χ² variance k·P + Σ_OC (w·r)², and the prediction's part Σ_OC (w·r)².
      const predVar = sum((h) => h.predictedVariance ?? []);
      const predictedErr = predVar.map((v2) => Math.sqrt(Math.max(v2, 0)));
      const expectedVariance = variance.map((v2, b) => Math.max(v2 - predVar[b]!, 0));
      const observedErr = observed.map((o) => Math.sqrt(Math.max(o, 0)));
      return closurePlot({
        variable: v,
        edges,
        predicted,
        predictedErr,
        observed,
        observedErr,
        expectedVariance,
        title: `SC closure in ${v === 'm_ee' ? 'm_ee' : v === 'pt' ? 'pT' : 'η'}: ${SERIES[est.kind]} (${name})${pointNote(ctx, label)}`,
        caption:
          v === 'm_ee'
            ? "OC events weighted by ε₁₂/(1 − ε₁₂) (eq. 1) against the observed SC: a ratio dipping above the peak and rising below it is the flipped electron's energy loss, which a rate alone cannot move."
            : `OC events weighted by ε₁₂/(1 − ε₁₂) (eq. 1) against the observed SC, ${v === 'pt' ? 'pT' : 'η'} filled per electron: the ratio should sit at 1 within errors with χ²/ndf ≈ 1 (estimator uncertainty not included).`,
      });
    });
  }
}

function lossCurves(ctx: Ctx, label: string, name: string): void {
  if (!estimatorsOf(ctx, label).some((e) => e.name === name)) return;
  add(ctx, `loss-${slug(name)}${ctx.data.info.study.points.length > 1 ? `-${slug(label)}` : ''}`, () => {
    const first = firstOk(ctx, label, name);
    const members = first?.rec?.members;
    if (!first || !members?.length) return `no loss curves stored for ${name}`;
    const rows = members.flatMap((m, mi) =>
      m.train.flatMap((t, e) => {
        const tr = finite(t);
        const va = finite(m.val[e]);
        return Number.isFinite(tr) ? [{ member: mi, epoch: e + 1, train: tr, ...(Number.isFinite(va) ? { val: va } : {}) }] : [];
      }),
    );
    return lossCurvePlot({
      rows,
      title: `Training and validation loss: ${name}${pointNote(ctx, label)}`,
      caption: `Pair cross-entropy per epoch for each of the ${members.length} ensemble member(s)${toyNote(ctx, first.toy)}: both curves should fall and flatten together; a validation curve turning up while training falls is over-training.`,
    });
  });
}

function identifiability(ctx: Ctx, label: string): void {
  const name = ofKind(ctx, label, 'binned');
  if (!name) return;
  add(ctx, `identifiability${ctx.data.info.study.points.length > 1 ? `-${slug(label)}` : ''}`, () => {
    const first = firstOk(ctx, label, name) ?? firstAny(ctx, label, name);
    const g = first?.rec?.graph;
    if (!first || !g) return 'no pairing graph stored for the binned fit';
    const touched = new Set<number>();
    for (const [i, j] of g.edges) touched.add(i).add(j);
    const bins = g.component.map((_, k) => k).filter((k) => touched.has(k));
    const comps = [...new Set(bins.map((k) => g.component[k]!))];
    const compNo = new Map(comps.map((c, i) => [c, i + 1]));
    const ptLabel = ctx.pt
      .slice(1)
      .map((hi, j) => `${j + 1} = ${ctx.pt[j]}–${hi}`)
      .join(', ');
    const empty = g.component.length - bins.length;
    const nodes = bins.map((k) => {
      const i = Math.floor(k / ctx.nPt);
      const j = k % ctx.nPt;
      return { id: String(k), label: String(k), x: (ctx.eta[i]! + ctx.eta[i + 1]!) / 2, y: j + 1, component: compNo.get(g.component[k]!)! };
    });
    return identifiabilityPlot({
      nodes,
      edges: g.edges.filter(([i, j]) => i !== j).map(([i, j]) => ({ source: String(i), target: String(j) })),
      components: comps.length,
      bipartite: g.bipartite.length > 0,
      flatDirections: g.flatDirections,
      yTitle: `pT bin (${ptLabel} GeV)`,
      notes: `${g.edges.filter(([i, j]) => i === j).length} bins pair with themselves (odd cycles of length 1)${empty ? `; ${empty} bin(s) with no events left out (unconstrained, not degenerate)` : ''}${toyNote(ctx, first.toy)}`,
      title: `Identifiability graph of the binned fit${pointNote(ctx, label)}`,
    });
  });
}

function firstAny(ctx: Ctx, label: string, name: string): { toy: number; point: PointRecord; rec?: EstimatorRecord } | undefined {
  for (const r of ctx.data.records) {
    const point = r.points.find((p) => p.label === label);
    const rec = point?.estimators[name];
    if (point && rec && rec.status !== 'failed') return { toy: r.toy, point, rec };
  }
  return undefined;
}

function closureSet(ctx: Ctx, label: string): void {
  epsCurve(ctx, label, 'pt');
  epsCurve(ctx, label, 'abseta');
  for (const kind of ['phi', 'binned'] as const) {
    const name = ofKind(ctx, label, kind);
    if (name) ratioMap(ctx, label, name);
  }
  massSpectra(ctx, label);
  // The method in all three variables; the binned fit in η, where the closure criterion compares the two
  // (in pT and m_ee both show the same flipped-electron energy loss).
  const phiName = ofKind(ctx, label, 'phi');
  if (phiName) closurePanels(ctx, label, phiName);
  const binnedName = ofKind(ctx, label, 'binned');
  if (binnedName) closurePanels(ctx, label, binnedName, phiName ? ['eta'] : ['pt', 'eta', 'm_ee']);
  const phi = ofKind(ctx, label, 'phi');
  if (phi) lossCurves(ctx, label, phi);
  identifiability(ctx, label);
}

// ---------------------------------------------------------------------------------------------------------
// Coverage

function pullsOf(ctx: Ctx, label: string, name: string): number[] {
  const s = summaryOf(ctx, label, name);
  if (!s) return [];
  const used = new Set(s.bins.filter((b) => b.used).map((b) => b.bin));
  const out: number[] = [];
  for (const p of okPoints(ctx, label)) {
    const rec = p.estimators[name];
    if (rec?.status !== 'ok') continue;
    for (const k of used) {
      const e = finite(rec.eps[k]);
      const t = finite(p.truth[k]);
      const s2 = finite(rec.err[k]);
      if (Number.isFinite(e) && Number.isFinite(t) && s2 > 0) out.push((e - t) / s2);
    }
  }
  return out;
}

function coverageSet(ctx: Ctx): void {
  for (const point of ctx.data.info.study.points) {
    const label = point.label;
    const rows: { estimator: string; level: number; covered: number; n: number }[] = [];
    for (const e of point.estimators) {
      const pulls = pullsOf(ctx, label, e.name);
      const s = summaryOf(ctx, label, e.name);
      add(ctx, `pulls-${slug(e.name)}${ctx.data.info.study.points.length > 1 ? `-${slug(label)}` : ''}`, () => {
        if (pulls.length < 2 || !s)
          return `${e.name}: fewer than two pulls (no per-bin errors: ${e.kind === 'phi' || e.kind === 'oracle' ? 'a single-member ensemble has none' : 'no successful toy'})`;
        const m = s.metrics;
        const fit = [m.pullMean, m.pullMeanErr, m.pullWidth, m.pullWidthErr].every((x) => x != null && Number.isFinite(x))
          ? { mean: m.pullMean!, meanErr: m.pullMeanErr!, sigma: m.pullWidth!, sigmaErr: m.pullWidthErr! }
          : undefined;
        const failed = Object.values(s.failures).reduce((a, b) => a + b, 0);
        return pullPlot({
          label: `${SERIES[e.kind]} (${e.name})${pointNote(ctx, label)}`,
          pulls,
          ...(fit ? { fit } : {}),
          failed,
          caption: `(ε̂ − truth)/σ̂ for every toy and every bin expecting ≥ 5 flips (${pulls.length} pulls); the Gaussian is the maximum-likelihood fit (sample mean and width): want μ ≈ 0 and σ ≈ 1 within the quoted errors — σ > 1 means the reported errors are too small.`,
        });
      });
      if (pulls.length > 0) {
        // Ensemble errors are K-member spreads: Student-t intervals with K − 1 degrees of freedom (summary errDof).
        const dof = s?.metrics.errDof;
        const t = dof != null && Number.isFinite(dof) && dof >= 1;
        const z68 = t ? studentTAbsQuantile(P68, dof) : 1;
        const z95 = t ? studentTAbsQuantile(0.95, dof) : Z95;
        const name = t ? `${e.name} (t, ${dof} dof)` : e.name;
        rows.push({ estimator: name, level: 0.6827, covered: pulls.filter((p) => Math.abs(p) < z68).length, n: pulls.length });
        rows.push({ estimator: name, level: 0.95, covered: pulls.filter((p) => Math.abs(p) < z95).length, n: pulls.length });
      }
    }
    add(ctx, `coverage${ctx.data.info.study.points.length > 1 ? `-${slug(label)}` : ''}`, () =>
      rows.length === 0
        ? 'no estimator has per-bin errors'
        : coveragePlot({
            rows,
            caption:
              'Fraction of (toy, bin) intervals ε̂ ± σ̂ (and ± 1.96 σ̂) that contain the truth, with Wilson 68 % errors: each bar should reach its dashed nominal line; short bars mean under-estimated errors. Ensemble errors (a K-member spread) use the Student-t quantiles with K − 1 degrees of freedom instead of 1 and 1.96.',
          }),
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Bias versus N, and versus a scan variable

/**
 * The pooled relative bias of the summary (summarizeEstimator: bins weighted by their expected flips) and its
 * standard error: the number the criteria judge. An unweighted mean over bins would let a sparse bin with a
 * large relative bias dominate (issue 11: +6 ± 3.6 % unweighted where the pooled metric gave +1.0 ± 0.6 %).
 */
function pooledBias(s: EstimatorSummary): { bias: number; err: number } {
  return { bias: s.metrics.pooledRelBias ?? NaN, err: s.metrics.pooledRelBiasErr ?? NaN };
}

function scalingSet(ctx: Ctx): void {
  add(ctx, 'scaling-vs-n', () => {
    const rows = [];
    for (const point of ctx.data.info.study.points) {
      for (const e of point.estimators) {
        const s = summaryOf(ctx, point.label, e.name);
        if (!s) continue;
        const { bias, err } = pooledBias(s);
        const rel = s.bins
          .filter((b) => b.used && Number.isFinite(b.sigma) && b.truth > 0)
          .map((b) => b.sigma / b.truth)
          .sort((a, b) => a - b);
        if (!Number.isFinite(bias) || rel.length === 0) continue;
        const sigma = rel[rel.length >> 1]!;
        const okToys = s.toys - Object.values(s.failures).reduce((a, b) => a + b, 0);
        rows.push({
          estimator: e.name,
          n: point.events,
          bias,
          biasErr: err,
          sigma,
          ...(okToys > 1 ? { sigmaErr: sigma / Math.sqrt(2 * (okToys - 1)) } : {}),
        });
      }
    }
    if (rows.length === 0) return 'no point has a bin expecting ≥ 5 flips';
    return scalingPlot({
      rows,
      biasTitle: 'pooled relative bias (bins weighted by expected flips, dimensionless)',
      spreadTitle: 'median over bins of σ(ε̂)/ε · √N',
      nTitle: 'truth Z→ee events per toy N (log scale)',
      caption: `Bias should scatter around 0 within its error at every N, and σ·√N stay flat (σ = spread over ${ctx.data.records.length} toys); bias that persists at large N is the estimator's, not statistics'.`,
    });
  });
}

function scanSet(ctx: Ctx): void {
  const points = ctx.data.info.study.points;
  const names = [...new Set(points.flatMap((p) => p.estimators.map((e) => e.name)))];
  const rows = (f: (s: EstimatorSummary) => { value: number; err?: number }): ScanRow[] =>
    points.flatMap((p) =>
      names.flatMap((n) => {
        const s = summaryOf(ctx, p.label, n);
        if (!s) return [];
        const v = f(s);
        return Number.isFinite(v.value)
          ? [{ point: p.label, estimator: n, value: v.value, ...(v.err != null && Number.isFinite(v.err) ? { err: v.err } : {}) }]
          : [];
      }),
    );
  add(ctx, 'bias-scan', () => {
    const r = rows((s) => {
      const b = pooledBias(s);
      return { value: b.bias, err: b.err };
    });
    if (r.length === 0) return 'no estimator has a bin expecting ≥ 5 flips';
    return scanPlot({
      rows: r,
      yTitle: 'pooled relative bias (bins weighted by expected flips, dimensionless)',
      reference: 0,
      id: 'bias-scan',
      title: `Relative bias across the ${ctx.data.info.study.name} scan`,
      caption:
        'Pooled relative bias over the bins expecting ≥ 5 flips (each bin weighted by its expected flips; the pooledRelBias metric of the criteria) with its standard error: how far each estimator drifts from 0 as the scanned effect grows, and whether the mitigation (window, sideband subtraction) brings it back.',
    });
  });
  add(ctx, 'bias-over-sigma-scan', () => {
    const r = rows((s) => ({ value: s.metrics.maxAbsBiasOverSigma ?? NaN }));
    if (r.length === 0) return 'no estimator has a bin expecting ≥ 5 flips';
    return scanPlot({
      rows: r,
      yTitle: 'max over bins |bias|/σ (dimensionless)',
      id: 'bias-over-sigma-scan',
      title: `Largest bias in units of σ across the ${ctx.data.info.study.name} scan`,
      caption: "The worst bin's |⟨ε̂ − ε⟩|/σ (σ = spread over toys): values above 3–4 are a bias the errors do not cover.",
    });
  });
  massSpectra(ctx, points[0]!.label);
  if (points.length > 1) massSpectra(ctx, points[points.length - 1]!.label);
}

// ---------------------------------------------------------------------------------------------------------
// Degeneracy and substructure

function degeneracySet(ctx: Ctx): void {
  const split = 1.37;
  for (const point of ctx.data.info.study.points) {
    const label = point.label;
    for (const e of point.estimators.filter((x) => x.kind === 'phi' || x.kind === 'oracle')) {
      add(ctx, `degeneracy-${slug(e.name)}-${slug(label)}`, () => {
        const first = firstAny(ctx, label, e.name);
        const members = first?.rec?.members;
        if (!first || !members?.length) return `no ensemble members stored for ${e.name}`;
        const p = first.point;
        // Bins A (barrel) and B (endcap): the most populated of each side, in the most populated pT bin.
        const nEta = ctx.eta.length - 1;
        const byPt = ctx.pt
          .slice(1)
          .map((_, j) => Array.from({ length: nEta }, (__, i) => p.count[i * ctx.nPt + j] ?? 0).reduce((a, b) => a + b, 0));
        const j = byPt.indexOf(Math.max(...byPt));
        const side = (barrel: boolean) => {
          let best = -1;
          for (let i = 0; i < nEta; i++) {
            const inSide = barrel ? ctx.eta[i + 1]! <= split : ctx.eta[i]! >= split;
            const k = i * ctx.nPt + j;
            if (inSide && (best < 0 || (p.count[k] ?? 0) > (p.count[best] ?? 0))) best = k;
          }
          return best;
        };
        const A = side(true);
        const B = side(false);
        if (A < 0 || B < 0) return 'the binning has no bin entirely below or above |η| = 1.37';
        const name = (k: number) => {
          const i = Math.floor(k / ctx.nPt);
          return `|η| ${ctx.eta[i]}–${ctx.eta[i + 1]}, pT ${ctx.pt[j]}–${ctx.pt[j + 1]} GeV`;
        };
        const rows = members
          .map((m, mi) => ({ member: mi, epsA: finite(m.eps[A]), epsB: finite(m.eps[B]) }))
          .filter((m) => Number.isFinite(m.epsA) && Number.isFinite(m.epsB));
        const ratio = first.rec!.diagnostics.tradeoffRatio;
        const plot = degeneracyPlot({
          members: rows,
          truth: { epsA: finite(p.truth[A]), epsB: finite(p.truth[B]) },
          labelA: `ε_A: barrel bin ${name(A)} (log scale)`,
          labelB: `ε_B: endcap bin ${name(B)} (log scale)`,
          title: `Ensemble members in the (ε_A, ε_B) plane: ${e.name} [${label}]`,
          caption:
            label.includes('bipartite') || point.pairing.topology === 'barrelEndcap'
              ? 'Barrel–endcap pairs only fix ε_A + ε_B (eq. 5): members are expected to spread along the curve through the truth — that spread is the degeneracy the fit flags.'
              : 'With every topology the pair rates fix both bins: members should sit together on the truth point, not spread along the eq. 5 curve.',
        });
        return {
          ...plot,
          facts: {
            ...(plot.facts ?? {}),
            'trade-off ratio sd(ε̄_A − ε̄_B)/sd(ε̄_A + ε̄_B), |η| split 1.37': typeof ratio === 'number' ? Number(ratio.toPrecision(3)) : 'n/a',
          },
        };
      });
    }
    identifiability(ctx, label);
  }
}

function substructureSet(ctx: Ctx): void {
  const label = ctx.data.info.study.points[0]!.label;
  epsCurve(ctx, label, 'phi');
  epsCurve(ctx, label, 'abseta');
  add(ctx, 'mse-comparison', () => {
    const rows: ScanRow[] = [];
    for (const p of ctx.data.info.study.points) {
      for (const e of p.estimators) {
        const s = summaryOf(ctx, p.label, e.name);
        const v = s?.metrics.mse;
        if (v != null && Number.isFinite(v) && v > 0) rows.push({ point: p.label, estimator: e.name, value: v });
      }
    }
    if (rows.length === 0) return 'no per-electron MSE recorded';
    return scanPlot({
      rows,
      yTitle: 'per-electron MSE ⟨(ε̂ − ε_truth)²⟩ (dimensionless)',
      logY: true,
      id: 'mse-comparison',
      title: 'Per-electron MSE to the truth ε',
      caption:
        'Lower is better: the network given the azimuth should beat both the (pT, |η|) binning and the same network without the azimuth.',
    });
  });
  const phi = ofKind(ctx, label, 'phi');
  if (phi) lossCurves(ctx, label, phi);
}
