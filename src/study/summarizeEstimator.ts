/**
 * Metrics of one estimator at one scan point, over the toys. Definitions (bin k, toy t, truth τ_tk = mean
 * truth ε of the bin's signal electrons in that toy, estimate ε̂_tk with reported error σ̂_tk):
 *   residual r = ε̂ − τ, relative bias ⟨r⟩/⟨τ⟩, pull (ε̂ − τ)/σ̂,
 *   pooled relative bias: mean over toys of the relative residuals of the used bins weighted by their expected
 *     flips, its standard error (reported errors, else the spread over toys) and their ratio,
 *   σ_k = spread of ε̂ over toys (one toy: the mean reported error), bias/σ = ⟨r⟩/σ_k,
 *   σ·√N relative = σ_k·√N_window/⟨τ⟩ (flat in N for a 1/√N estimator), medianRelSigma = median of σ_k/⟨τ_k⟩,
 *   coverage: fraction of (toy, bin) with |pull| < 1 (expect 68.3 %) or < 1.96 (95 %); for errors that are a
 *     K-member sample spread (record.errDof = K − 1) the Student-t quantiles t_{K−1} replace 1 and 1.96, and
 *     pullWidthRatio = pullWidth / √(ν/(ν − 2)) is the pull width relative to that of t_ν (1 when honest).
 * Scalars pool or take extremes over the bins expecting at least `minFlips` flips per toy.
 * Failed estimator records (and failed toys) count in `failureRate` and are left out of every other metric.
 */
import { chiSquareSf, mean as ssMean, median as ssMedian, normalCdf, sampleStandardDeviation } from '../stats/index.js';
import { pooledResiduals } from './metrics/pooledResiduals.js';
import { pullStats, type PullStats } from './metrics/pullStats.js';
import type { SummedClosure } from './metrics/summedSpectra.js';
import type { ShownEstimatorToy } from './metrics/shownToy.js';
import type { EstimatorVerdict } from './verdict/estimatorVerdict.js';
import { finite, type EstimatorRecord, type PointRecord } from './toyRecord.js';

export interface BinSummary {
  bin: number;
  truth: number;
  estimate: number;
  residual: number;
  residualErr: number;
  relBias: number;
  sigma: number;
  biasOverSigma: number;
  meanErr: number;
  pull: PullStats;
  count: number;
  used: boolean;
}

export interface EstimatorSummary {
  toys: number;
  failures: Record<string, number>;
  metrics: Record<string, number>;
  bins: BinSummary[];
  diagnostics: Record<string, number>;
  /** Every finite pull of the used bins over the toys (the sample behind pullMean, pullWidth, coverage68/95). */
  pulls: number[];
  /** For the report (summarizeStudy adds them): closure histograms summed over the toys, and the toy it shows. */
  closureHist?: SummedClosure;
  shown?: ShownEstimatorToy;
  /** Multi-toy verdict statistics against both targets and the binning-free scan (summarizeStudy adds it). */
  verdict?: EstimatorVerdict;
}

export interface SummarizeOptions {
  /**
   * Bins expecting fewer flips per toy (mean electrons × mean truth ε) are left out of the scalar metrics:
   * with a handful of flips a relative bias or a Gaussian pull means little. Default 5.
   */
  minFlips?: number;
}

// simple-statistics throws on an empty sample; here an empty (or one-toy) bin shows as NaN in the summary.
function mean(xs: readonly number[]): number {
  return xs.length ? ssMean(xs as number[]) : NaN;
}

function sd(xs: readonly number[]): number {
  return xs.length >= 2 ? sampleStandardDeviation(xs as number[]) : NaN;
}

/** Median of the finite entries (NaN when none). */
function median(xs: readonly number[]): number {
  const v = xs.filter(Number.isFinite);
  return v.length ? ssMedian(v) : NaN;
}

/**
 * `points`: this scan point's record from every toy (undefined where the toy failed before reaching it).
 */
export function summarizeEstimator(
  name: string,
  points: readonly (PointRecord | undefined)[],
  opts: SummarizeOptions = {},
): EstimatorSummary {
  const minFlips = opts.minFlips ?? 5;
  const failures: Record<string, number> = {};
  const ok: { rec: EstimatorRecord; point: PointRecord }[] = [];
  const produced: EstimatorRecord[] = [];
  for (const p of points) {
    const rec = p?.estimators[name];
    const status = rec?.status ?? 'failed';
    if (status !== 'ok') failures[status] = (failures[status] ?? 0) + 1;
    if (rec && p && status === 'ok') ok.push({ rec, point: p });
    if (rec && status !== 'failed') produced.push(rec);
  }
  const toys = points.length;
  const K = ok[0]?.rec.eps.length ?? 0;
  const bins: BinSummary[] = [];
  const allPulls: number[] = [];
  const nWindow = mean(ok.map((o) => o.point.window));
  // Degrees of freedom of the reported errors (ensembles: K − 1); the smallest if toys differ.
  const dofs = ok.map(({ rec }) => rec.errDof).filter((d): d is number => d != null && d >= 1);
  const dof = dofs.length ? Math.min(...dofs) : Infinity;
  for (let k = 0; k < K; k++) {
    const est: number[] = [];
    const res: number[] = [];
    const tr: number[] = [];
    const pulls: number[] = [];
    const errs: number[] = [];
    const counts: number[] = [];
    for (const { rec, point } of ok) {
      const e = finite(rec.eps[k]);
      const t = finite(point.truth[k]);
      counts.push(point.count[k] ?? 0);
      if (!Number.isFinite(e) || !Number.isFinite(t)) continue;
      est.push(e);
      tr.push(t);
      res.push(e - t);
      const s = finite(rec.err[k]);
      if (Number.isFinite(s)) errs.push(s);
      pulls.push(s > 0 ? (e - t) / s : NaN);
    }
    const count = mean(counts);
    const truth = mean(tr);
    const residual = mean(res);
    const spread = sd(est);
    const meanErr = mean(errs);
    const sigma = Number.isFinite(spread) ? spread : meanErr;
    const pull = pullStats(pulls, dof);
    const used = est.length > 0 && truth > 0 && count * truth >= minFlips;
    if (used) for (const p of pulls) allPulls.push(p);
    bins.push({
      bin: k,
      truth,
      estimate: mean(est),
      residual,
      residualErr: Number.isFinite(spread) ? spread / Math.sqrt(est.length) : meanErr,
      relBias: residual / truth,
      sigma,
      biasOverSigma: residual / sigma,
      meanErr,
      pull,
      count,
      used,
    });
  }
  const used = bins.filter((b) => b.used);
  const absMax = (f: (b: BinSummary) => number): number => {
    const v = used.map(f).filter(Number.isFinite);
    return v.length ? Math.max(...v.map(Math.abs)) : NaN;
  };
  const pooled = pullStats(allPulls, dof);
  // Signed relative bias pooled over the used bins: per toy, r_t = Σ_k w_k (ε̂_tk − τ_tk)/⟨τ_k⟩ / Σ_k w_k with
  // a-priori weights w_k = expected flips per toy (⟨N_k⟩·⟨τ_k⟩, ∝ the inverse variance of a counted rate,
  // fixed before looking at the estimates), then the mean over toys. Its standard error comes from the
  // reported errors when every toy has them (σ_t² = Σ w_k² σ̂_tk²/⟨τ_k⟩² / (Σw)², asymptotic), else from the
  // spread of r_t over toys (then the ratio follows Student t with toys − 1 dof). A global shift (background
  // SC pairs taken for flips) shows here at a precision the per-bin |bias| averages would bury in noise.
  const { rt, vt } = pooledResiduals(
    ok,
    used.map((b) => ({ bin: b.bin, weight: b.count * b.truth, scale: b.truth })),
    (point, b) => finite(point.truth[b.bin]),
    (rec, b) => {
      const s = finite(rec.err[b.bin]);
      return s > 0 ? ((b.weight * s) / b.scale) ** 2 : NaN;
    },
  );
  const pooledRelBias = mean(rt);
  const fromErrors = vt.length > 0 && vt.every(Number.isFinite);
  const pooledRelBiasErr = fromErrors ? Math.sqrt(vt.reduce((a, b) => a + b, 0)) / vt.length : sd(rt) / Math.sqrt(rt.length);
  const chi2ndf = ok.map(({ rec }) => {
    const c = rec.closure;
    const ndf = c.pt.ndf + c.eta.ndf + c.m_ee.ndf;
    return ndf > 0 ? (c.pt.chi2 + c.eta.chi2 + c.m_ee.chi2) / ndf : NaN;
  });
  const metrics: Record<string, number> = {
    failureRate: toys > 0 ? (toys - ok.length) / toys : NaN,
    meanAbsRelBias: mean(used.map((b) => Math.abs(b.relBias)).filter(Number.isFinite)),
    pooledRelBias,
    pooledRelBiasErr,
    pooledRelBiasOverErr: pooledRelBias / pooledRelBiasErr,
    maxAbsRelBias: absMax((b) => b.relBias),
    maxAbsBiasOverSigma: absMax((b) => b.biasOverSigma),
    maxAbsPullMean: absMax((b) => b.pull.mean),
    maxAbsPullWidthDev: absMax((b) => b.pull.width - 1),
    pullWidthMean: mean(used.map((b) => b.pull.width).filter(Number.isFinite)),
    pullMean: pooled.mean,
    pullMeanErr: pooled.meanErr,
    pullWidth: pooled.width,
    pullWidthErr: pooled.widthErr,
    pullWidthRatio: pooled.widthRatio,
    pullWidthRatioErr: pooled.widthErr / (pooled.width / pooled.widthRatio),
    errDof: dof === Infinity ? NaN : dof,
    coverage68: pooled.coverage68,
    coverage68Err: pooled.coverage68Err,
    coverage95: pooled.coverage95,
    coverage95Err: pooled.coverage95Err,
    mse: mean(ok.map(({ rec }) => finite(rec.electron.mse)).filter(Number.isFinite)),
    mseReach: mean(ok.map(({ rec }) => finite(rec.electron.mseReach ?? null)).filter(Number.isFinite)),
    sigmaSqrtNRel: median(used.map((b) => (b.sigma * Math.sqrt(nWindow)) / b.truth)),
    medianRelSigma: median(used.map((b) => b.sigma / b.truth)),
    closureChi2Ndf: mean(chi2ndf.filter(Number.isFinite)),
    closureChi2NdfPt: closureOne(ok, 'pt'),
    closureChi2NdfEta: closureOne(ok, 'eta'),
    closureChi2NdfMee: closureOne(ok, 'm_ee'),
    ...featureClosureMetrics(ok),
    phiKappaRms: mean(ok.map(({ rec }) => finite(rec.electron.phiKappaRms)).filter(Number.isFinite)),
    flaggedFraction: produced.length ? produced.filter((r) => r.diagnostics.flagged === true).length / produced.length : NaN,
    physicalBranchFraction: produced.length ? produced.filter((r) => r.status !== 'unphysicalBranch').length / produced.length : NaN,
    binsUsed: used.length,
  };
  Object.assign(metrics, scYieldMetrics(ok));
  // Numeric and boolean diagnostics: mean over the toys that produced them.
  const diag: Record<string, number[]> = {};
  for (const r of produced) {
    for (const [key, v] of Object.entries(r.diagnostics)) {
      const x = typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' ? v : NaN;
      if (Number.isFinite(x)) (diag[key] ??= []).push(x);
    }
  }
  const diagnostics: Record<string, number> = {};
  for (const [key, xs] of Object.entries(diag)) diagnostics[key] = mean(xs);
  return { toys, failures, metrics, bins, diagnostics, pulls: allPulls.filter(Number.isFinite) };
}

/** Per-toy test of the SC yield at α = 1 % two-sided: |pull| above this rejects. */
export const SC_YIELD_Z = 2.5758293035489004;

/**
 * SC-yield metrics (records of paired studies only; metrics/scYield.ts), over the toys whose estimator
 * succeeded: pull_t = (P_t − S_t)/σ_t with σ_t² = Var_t (Bernoulli + training; positive: over-predicted),
 * scYieldPull = mean pull, scYieldP = 2(1 − Φ(|Σ pull_t|/√(T + (Σ s_t)²))) — the two-sided p-value of "no
 * bias beyond the stated error" — where s_t = σ_sys,t/σ_t is a calibrated systematic that is the same in every
 * toy (verdict/yieldSystematics.ts; 0 without one, and the statistic is Σ pull_t/√T),
 * scYieldPullErr = √(T + (Σ s_t)²)/T, scYieldRejectRate = fraction of toys with |pull_t|/√(1 + s_t²) > 2.576
 * (the single-toy test at α = 1 %: its false-alarm rate where the estimator is right, its power where it is
 * not), scYieldRatio = mean P/S.
 * Absent (no keys) when no record carries an SC yield, so unpaired summaries are unchanged.
 */
function scYieldMetrics(ok: readonly { rec: EstimatorRecord }[]): Record<string, number> {
  const ys = ok.map(({ rec }) => rec.scYield).filter((y): y is NonNullable<EstimatorRecord['scYield']> => y != null);
  if (ys.length === 0) return {};
  const tested = ys
    .map((y) => {
      const sigma = Math.sqrt(y.variance + y.trainVariance);
      return { pull: (y.predicted - y.observed) / sigma, sys: ((y.systematicRel ?? 0) * Math.abs(y.predicted)) / sigma };
    })
    .filter((t) => Number.isFinite(t.pull) && Number.isFinite(t.sys));
  const pulls = tested.map((t) => t.pull);
  const T = pulls.length;
  // The systematic is one error shared by every toy: it adds (Σ s_t)² to the variance of Σ pull_t.
  const sysSum = tested.reduce((a, t) => a + t.sys, 0);
  const sumSd = Math.sqrt(T + sysSum * sysSum);
  const z = T > 0 ? pulls.reduce((a, b) => a + b, 0) / sumSd : NaN;
  return {
    scYieldRatio: mean(ys.map((y) => y.predicted / y.observed).filter(Number.isFinite)),
    scYieldObserved: mean(ys.map((y) => y.observed)),
    scYieldPredicted: mean(ys.map((y) => y.predicted)),
    scYieldPull: mean(pulls),
    scYieldPullErr: T > 0 ? sumSd / T : NaN,
    scYieldPullWidth: sd(pulls),
    scYieldP: 2 * (1 - normalCdf(Math.abs(z))),
    scYieldRejectRate: T > 0 ? tested.filter((t) => Math.abs(t.pull) / Math.hypot(1, t.sys) > SC_YIELD_Z).length / T : NaN,
    scYieldToys: T,
  };
}

function closureOne(ok: readonly { rec: EstimatorRecord }[], v: 'pt' | 'eta' | 'm_ee'): number {
  return mean(ok.map(({ rec }) => (rec.closure[v].ndf > 0 ? rec.closure[v].chi2 / rec.closure[v].ndf : NaN)).filter(Number.isFinite));
}

/**
 * Latent-model feature closure: closureChi2Ndf_<feature> (mean over toys of χ²/ndf) per feature present,
 * closureChi2NdfFeatureMax, the worst feature (both descriptive), and closureFeatureP, the family-wise p-value
 * of the closure over the features: per toy the exact null's min-p over the features (metrics/closureNull.ts),
 * combined over the T toys by Fisher's method, −2 Σ ln p_t against χ²(2T) (toys are independent; for T = 1 it
 * is the toy's p). A criterion `closureFeatureP > α` has a false-alarm rate ≤ α for the true rates up to the
 * null's Monte Carlo error, whatever the features' tails (the χ² law's p-value it replaces false-alarmed in 2
 * of 20 toys at α = 0.01; docs/electrons.md §4.2). NaN without features, or for records made before the null.
 */
function featureClosureMetrics(ok: readonly { rec: EstimatorRecord }[]): Record<string, number> {
  const per: Record<string, number[]> = {};
  const ps: number[] = [];
  let missing = false;
  for (const { rec } of ok) {
    if (!rec.featureClosure) continue;
    for (const [f, c] of Object.entries(rec.featureClosure)) if (c.ndf > 0) (per[f] ??= []).push(c.chi2 / c.ndf);
    if (rec.featureClosureP != null && rec.featureClosureP > 0) ps.push(rec.featureClosureP);
    else missing = true;
  }
  const out: Record<string, number> = {};
  let worst = NaN;
  for (const [f, xs] of Object.entries(per)) {
    out[`closureChi2Ndf_${f}`] = mean(xs);
    if (!(worst >= out[`closureChi2Ndf_${f}`]!)) worst = out[`closureChi2Ndf_${f}`]!;
  }
  out.closureChi2NdfFeatureMax = worst;
  out.closureFeatureP = ps.length > 0 && !missing ? chiSquareSf(-2 * ps.reduce((a, p) => a + Math.log(p), 0), 2 * ps.length) : NaN;
  return out;
}

/** Per-bin MSE over toys (residual² averaged), for relative efficiencies between estimators. */
export function binMse(name: string, points: readonly (PointRecord | undefined)[]): number[] {
  const K = points.find((p) => p)?.truth.length ?? 0;
  const out: number[] = [];
  for (let k = 0; k < K; k++) {
    const r2: number[] = [];
    for (const p of points) {
      const rec = p?.estimators[name];
      if (!p || !rec || rec.status !== 'ok') continue;
      const d = finite(rec.eps[k]) - finite(p.truth[k]);
      if (Number.isFinite(d)) r2.push(d * d);
    }
    out.push(mean(r2));
  }
  return out;
}
