/**
 * Multi-toy statistics with standard errors, and p-values whose false-alarm rate is stated (issue 10, items 2–3).
 * One estimator at one scan point, against one target (referenceTargets.ts), over the T toys that returned ok.
 *
 * Per bin k (toy t, estimate ε̂_tk, target g_tk with its own error σ_g,k — the reference sample's for the
 * reachable target, 0 for the per-toy model target):
 *   d_tk = ε̂_tk − g_tk, mean bias d̄_k with standard error
 *     T ≥ SPREAD_MIN_TOYS (30): √(s_k²/T + σ_g²) from the spread s_k over toys — no reported error is trusted; the
 *       statistic d̄/SE follows Student t with Welch–Satterthwaite ν = (s²/T + σ_g²)² / ((s²/T)²/(T − 1));
 *     fewer toys: √(Σ_t σ̂_tk²/T² + σ_g²) from the reported errors at the target (errorAtTarget), normal —
 *       valid only if the errors are honest, which the measured null checks.
 *   Two-sided p_k; the family-wise p over the m judged bins (enough expected flips, see MIN_FLIPS_*) is Šidák's
 *   p_FW = 1 − (1 − min_k p_k)^m. The criterion `biasP > α` then has false-alarm rate ≤ α for independent
 *   bins (bins share events through pairs: the measured null says what it is). With T toys the error of d̄
 *   falls as 1/√T, so more toys add power.
 *   pulls (ε̂ − g)/√(σ̂_g² + σ_g²), σ̂_g = the reported error at the target (errorAtTarget: an asymmetric interval,
 *   Wilson for truth-matched rates or profile likelihood for the binned fit, read as a linearly varying
 *   variance; a symmetric error as it is); ensemble errors (errDof = ν) are mapped to
 *   normal scores Φ⁻¹(F_tν(pull)) first, so every pull is N(0, 1) when the error is honest.
 *   pull mean ± s/√n, width ± s/√(2(n − 1)); coverage of |z| < 1 and < 1.96 with binomial errors.
 * Pooled over the judged bins: relative bias Σ_k w_k d_tk/g_k / Σ w_k (w_k = expected flips), per toy, then
 *   as above (spread over toys, or reported errors with fewer toys); the pull mean (z = mean·√n, normal),
 *   the pull width (Σz² ~ χ²_n, two-sided), the coverages (exact binomial, two-sided).
 */
import { binomialCdf, chiSquareCdf, normalCdf, normalQuantile, studentTCdf } from '../../stats/index.js';
import { finite, type EstimatorRecord, type PointRecord } from '../toyRecord.js';
import { pooledResiduals } from '../metrics/pooledResiduals.js';
import type { PointReference, TargetKind } from './referenceTargets.js';

/**
 * From this many toys on, the bias test uses the spread over toys instead of the reported errors. Below it
 * the t quantiles of a spread with few degrees of freedom cost most of the power (at T = 5 and a Šidák level
 * of 10⁻³ the t₄ critical value is 8.6 instead of 3.3): the test then relies on the reported errors, and
 * their honesty is what the measured null checks.
 */
export const SPREAD_MIN_TOYS = 30;

/**
 * Bins judged: expected flips per toy at least MIN_FLIPS_SPREAD (spread test: the mean over ≥ 30 toys is
 * near-Gaussian) or MIN_FLIPS_REPORTED (reported-error test: one toy's pull must itself be Gaussian). Measured
 * on 100 null toys of closure --quick (binned fit, profile-likelihood intervals): bins of 8–21 expected flips
 * had pull widths 1.06–1.56 and gave 8 of the 9 family-wise false alarms at a 1 % budget; bins of ≥ 34 flips
 * had widths 0.77–1.06. Bins below the floor are listed as not judged.
 */
export const MIN_FLIPS_SPREAD = 5;
export const MIN_FLIPS_REPORTED = 25;

export interface BinVerdict {
  bin: number;
  /** Signal electrons per toy and expected flips per toy (electrons × target). */
  count: number;
  expectedFlips: number;
  target: number;
  targetErr: number;
  /** The other target (model ↔ reachable) and their relative gap (reachable − model)/model: migration. */
  modelTarget: number;
  reachableTarget: number;
  migration: number;
  toys: number;
  meanBias: number;
  meanBiasErr: number;
  relBias: number;
  relBiasErr: number;
  stat: number;
  dof: number;
  p: number;
  pullMean: number;
  pullMeanErr: number;
  pullWidth: number;
  pullWidthErr: number;
  coverage68: number;
  coverage68Err: number;
  /** Judged: expected flips ≥ MIN_FLIPS_SPREAD or MIN_FLIPS_REPORTED (the bins the family-wise tests run over). */
  judged: boolean;
  /**
   * Minimal detectable relative bias at the family-wise level α with power 0.9 for T toys:
   * (z_{1−α_bin/2} + z_{0.9})·SE/target, α_bin = 1 − (1 − α)^{1/m} (normal approximation).
   */
  mdb: number;
}

export interface VerdictSummary {
  target: TargetKind;
  /** Which interval the pulls use. */
  interval: string;
  test: 'spread' | 'reportedErrors';
  alpha: number;
  bins: BinVerdict[];
  metrics: Record<string, number>;
}

export interface VerdictOptions {
  minFlips?: number;
  /** Family-wise level for the minimal detectable bias column (default 0.01). */
  alpha?: number;
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
function sdev(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}
const twoSidedNormal = (z: number): number => (Number.isFinite(z) ? 2 * normalCdf(-Math.abs(z)) : NaN);
const twoSidedT = (t: number, nu: number): number =>
  Number.isFinite(t) ? (nu === Infinity || nu > 1e6 ? twoSidedNormal(t) : 2 * studentTCdf(-Math.abs(t), nu)) : NaN;
/** Exact two-sided binomial p (twice the smaller tail, capped at 1). */
function binomialTwoSided(k: number, n: number, p: number): number {
  if (!(n > 0)) return NaN;
  const lo = binomialCdf(k, n, p);
  const hi = k > 0 ? 1 - binomialCdf(k - 1, n, p) : 1;
  return Math.min(1, 2 * Math.min(lo, hi));
}
/** Šidák: family-wise p of the smallest of m independent p-values. */
export function sidak(pMin: number, m: number): number {
  if (!(m > 0) || !Number.isFinite(pMin)) return NaN;
  return -Math.expm1(m * Math.log1p(-Math.min(pMin, 1)));
}

/**
 * The error a pull against `target` divides by. A symmetric error is used as it is. An asymmetric interval
 * [ε̂ − σ₋, ε̂ + σ₊] (Wilson for truth-matched rates, profile likelihood for the binned fit) is read as a
 * variance that changes linearly with the parameter (Barlow, "Asymmetric errors", PHYSTAT 2003):
 *   V(g) = σ₊σ₋ + (σ₊ − σ₋)(g − ε̂),
 * which is σ₋² at the lower end, σ₊² at the upper one, and for a count is the Poisson variance at g, so the
 * pull is the score statistic (n − μ_g)/√μ_g. Extending the side's half-width linearly instead overstates a
 * deficit: 10 flips where 26 are expected gave z = −4.0 (p 8·10⁻⁵) against the score test's −3.1, and that
 * tail set the one-toy false-alarm rate of closure's bias test (3 in 100 null toys, all from such bins).
 * Where V would reach 0 (a target near zero below a clear excess) it is kept at 1 % of the smaller side².
 */
export function errorAtTarget(rec: EstimatorRecord, k: number, estimate: number, target: number): number {
  const lo = rec.errLo ? finite(rec.errLo[k]) : NaN;
  const hi = rec.errHi ? finite(rec.errHi[k]) : NaN;
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return finite(rec.err[k]);
  const v = Math.max(lo * hi + (hi - lo) * (target - estimate), 0.01 * Math.min(lo, hi) ** 2);
  // An interval with a zero side (no flips seen) has V = σ₊·g above it and nothing below it to go on.
  return v > 0 ? Math.sqrt(v) : target > estimate ? hi : lo;
}

/** A pull of an error with ν degrees of freedom as a normal score. */
export function normalScore(pull: number, dof: number): number {
  if (!Number.isFinite(pull) || dof === Infinity) return pull;
  const c = studentTCdf(pull, dof);
  // Far tails: keep the sign and a large magnitude instead of ±Infinity.
  return normalQuantile(Math.min(Math.max(c, 1e-300), 1 - 1e-16));
}

export function summarizeVerdict(
  name: string,
  points: readonly (PointRecord | undefined)[],
  target: TargetKind,
  reference: PointReference | undefined,
  opts: VerdictOptions = {},
): VerdictSummary {
  const alpha = opts.alpha ?? 0.01;
  const ok: { rec: EstimatorRecord; point: PointRecord }[] = [];
  for (const p of points) {
    const rec = p?.estimators[name];
    if (rec && p && rec.status === 'ok') ok.push({ rec, point: p });
  }
  const T = ok.length;
  const K = ok[0]?.rec.eps.length ?? points.find((p) => p)?.truth.length ?? 0;
  const dofs = ok.map(({ rec }) => rec.errDof).filter((d): d is number => d != null && d >= 1);
  const dof = dofs.length ? Math.min(...dofs) : Infinity;
  const useSpread = T >= SPREAD_MIN_TOYS;
  const minFlips = opts.minFlips ?? (useSpread ? MIN_FLIPS_SPREAD : MIN_FLIPS_REPORTED);
  const interval = describeInterval(ok[0]?.rec, dof);

  // Targets per bin: the reference when there is one; else (older runs) the pooled toys' own bookkeeping.
  const pooledFlips = (k: number): { r: number; rErr: number; m: number } => {
    let c = 0;
    let f = 0;
    let se = 0;
    for (const p of points) {
      if (!p) continue;
      const n = p.count[k] ?? 0;
      c += n;
      f += p.flips?.[k] ?? NaN;
      se += finite(p.truth[k]) * n;
    }
    return { r: f / c, rErr: Math.sqrt(Math.max(f, 1) * Math.max(1 - f / c, 0)) / c, m: se / c };
  };

  const bins: BinVerdict[] = [];
  const zAll: number[] = [];
  const zByBin: number[][] = [];
  for (let k = 0; k < K; k++) {
    const ref = reference
      ? { r: finite(reference.reachable[k]), rErr: finite(reference.reachableErr[k]), m: finite(reference.model[k]) }
      : pooledFlips(k);
    const counts = ok.map(({ point }) => point.count[k] ?? 0);
    const count = mean(counts);
    const d: number[] = [];
    const tg: number[] = [];
    const side: number[] = [];
    const z: number[] = [];
    const gErr = target === 'reachable' ? ref.rErr : 0;
    for (const { rec, point } of ok) {
      const e = finite(rec.eps[k]);
      const g = target === 'reachable' ? ref.r : finite(point.truth[k]);
      if (!Number.isFinite(e) || !Number.isFinite(g)) continue;
      d.push(e - g);
      tg.push(g);
      const s = errorAtTarget(rec, k, e, g);
      side.push(s);
      const tot = Math.sqrt(s * s + (Number.isFinite(gErr) ? gErr * gErr : 0));
      z.push(Number.isFinite(s) && tot > 0 ? normalScore((e - g) / tot, dof) : NaN);
    }
    const g = mean(tg);
    const n = d.length;
    const db = mean(d);
    const g2 = Number.isFinite(gErr) ? gErr * gErr : 0;
    let se: number;
    let nu: number;
    if (useSpread && n >= 2) {
      const s2 = sdev(d) ** 2 / n;
      se = Math.sqrt(s2 + g2);
      nu = s2 > 0 ? (s2 + g2) ** 2 / ((s2 * s2) / (n - 1)) : Infinity;
    } else {
      const rep = side.filter(Number.isFinite);
      se = rep.length === n && n > 0 ? Math.sqrt(rep.reduce((a, s) => a + s * s, 0) / (n * n) + g2) : NaN;
      // An ensemble's error is itself a K-member sd: its t quantiles (ν = K − 1) apply.
      nu = dof;
    }
    // An exact estimator (truth-matched rates against their own model) can have d ≡ 0: no bias, p = 1.
    const stat = se > 0 ? db / se : db === 0 ? 0 : NaN;
    const p = twoSidedT(stat, nu);
    const zf = z.filter(Number.isFinite);
    const pm = mean(zf);
    const pw = sdev(zf);
    const in68 = zf.filter((x) => Math.abs(x) < 1).length;
    const expectedFlips = count * g;
    const judged = n > 0 && g > 0 && expectedFlips >= minFlips;
    if (judged) {
      zAll.push(...zf);
      zByBin.push(zf);
    }
    bins.push({
      bin: k,
      count,
      expectedFlips,
      target: g,
      targetErr: gErr,
      modelTarget: ref.m,
      reachableTarget: ref.r,
      migration: (ref.r - ref.m) / ref.m,
      toys: n,
      meanBias: db,
      meanBiasErr: se,
      relBias: db / g,
      relBiasErr: se / g,
      stat,
      dof: nu,
      p,
      pullMean: pm,
      pullMeanErr: zf.length > 0 ? pw / Math.sqrt(zf.length) : NaN,
      pullWidth: pw,
      pullWidthErr: zf.length > 1 ? pw / Math.sqrt(2 * (zf.length - 1)) : NaN,
      coverage68: zf.length ? in68 / zf.length : NaN,
      coverage68Err: zf.length ? Math.sqrt(((in68 / zf.length) * (1 - in68 / zf.length)) / zf.length) : NaN,
      judged,
      mdb: NaN,
    });
  }
  const judged = bins.filter((b) => b.judged);
  const m = judged.length;
  const alphaBin = m > 0 ? -Math.expm1(Math.log1p(-alpha) / m) : NaN;
  const zCrit = normalQuantile(1 - alphaBin / 2) + normalQuantile(0.9);
  for (const b of judged) b.mdb = (zCrit * b.meanBiasErr) / b.target;
  const pMin = Math.min(...judged.map((b) => (Number.isFinite(b.p) ? b.p : 1)));
  const worst = judged.reduce<BinVerdict | undefined>((w, b) => (w == null || b.p < w.p ? b : w), undefined);

  // Pooled relative bias (a global scale).
  const wk = judged.map((b) => b.expectedFlips);
  const sw = wk.reduce((a, b) => a + b, 0);
  const { rt, vt } = pooledResiduals(
    ok,
    judged.map((b) => ({ bin: b.bin, weight: b.expectedFlips, scale: b.target, reachable: b.reachableTarget })),
    (point, b) => (target === 'reachable' ? b.reachable : finite(point.truth[b.bin])),
    (rec, b, e, g) => {
      const s = errorAtTarget(rec, b.bin, e, g);
      return (b.weight / b.scale) ** 2 * (s * s);
    },
  );
  // The targets' own errors enter the pooled bias as a common offset.
  const gPooled =
    judged.reduce((a, b, j) => a + ((wk[j]! * (Number.isFinite(b.targetErr) ? b.targetErr : 0)) / b.target) ** 2, 0) / (sw * sw);
  let pooledErr: number;
  let pooledDof: number;
  if (useSpread && rt.length >= 2) {
    const s2 = sdev(rt) ** 2 / rt.length;
    pooledErr = Math.sqrt(s2 + gPooled);
    pooledDof = s2 > 0 ? (s2 + gPooled) ** 2 / ((s2 * s2) / (rt.length - 1)) : Infinity;
  } else {
    pooledErr = vt.length && vt.every(Number.isFinite) ? Math.sqrt(vt.reduce((a, b) => a + b, 0) / (vt.length * vt.length) + gPooled) : NaN;
    pooledDof = dof;
  }
  const pooledBias = mean(rt);
  const pooledStat = pooledErr > 0 ? pooledBias / pooledErr : pooledBias === 0 ? 0 : NaN;

  const nz = zAll.length;
  const zMean = mean(zAll);
  const zWidth = sdev(zAll);
  const sumSq = zAll.reduce((a, x) => a + x * x, 0);
  const in68 = zAll.filter((x) => Math.abs(x) < 1).length;
  const in95 = zAll.filter((x) => Math.abs(x) < 1.959963984540054).length;
  const pullBinP = zByBin
    .map((zs) => (zs.length ? twoSidedNormal(zs.reduce((a, b) => a + b, 0) / Math.sqrt(zs.length)) : NaN))
    .filter(Number.isFinite);
  const metrics: Record<string, number> = {
    toys: T,
    binsJudged: m,
    biasP: sidak(pMin, m),
    biasMinP: pMin,
    biasWorstBin: worst?.bin ?? NaN,
    biasWorstRel: worst?.relBias ?? NaN,
    biasWorstRelErr: worst?.relBiasErr ?? NaN,
    pooledBias,
    pooledBiasErr: pooledErr,
    pooledBiasP: twoSidedT(pooledStat, pooledDof),
    pulls: nz,
    pullMean: zMean,
    pullMeanErr: nz > 0 ? zWidth / Math.sqrt(nz) : NaN,
    pullWidth: zWidth,
    pullWidthErr: nz > 1 ? zWidth / Math.sqrt(2 * (nz - 1)) : NaN,
    pullMeanP: sidak(Math.min(...pullBinP), pullBinP.length),
    pullWidthP: nz > 0 ? Math.min(1, 2 * Math.min(chiSquareCdf(sumSq, nz), 1 - chiSquareCdf(sumSq, nz))) : NaN,
    coverage68: nz ? in68 / nz : NaN,
    coverage68Err: nz ? Math.sqrt(((in68 / nz) * (1 - in68 / nz)) / nz) : NaN,
    coverage68P: binomialTwoSided(in68, nz, 0.6826894921370859),
    coverage95: nz ? in95 / nz : NaN,
    coverage95Err: nz ? Math.sqrt(((in95 / nz) * (1 - in95 / nz)) / nz) : NaN,
    coverage95P: binomialTwoSided(in95, nz, 0.95),
  };
  return { target, interval, test: useSpread ? 'spread' : 'reportedErrors', alpha, bins, metrics };
}

function describeInterval(rec: EstimatorRecord | undefined, dof: number): string {
  if (!rec) return 'none';
  if (rec.interval) return rec.interval;
  if (dof !== Infinity) return `ensemble sd (Student t, ${dof} dof, as normal scores)`;
  return 'reported symmetric error';
}
