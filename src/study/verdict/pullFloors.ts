/**
 * The pull floors of issue 10: over ≥ 100 toys, the pooled pull mean within 0.1 of 0 and the width within 0.1
 * of 1 for every estimator whose errors claim to be Gaussian; for the others, the report says which and why.
 *
 * Pulls are those of the verdicts (summarizeVerdict.ts) against the reachable target R (here from the reference
 * sample and the toys' own flip bookkeeping together, see below): (ε̂ − R)/√(σ̂² + σ_R²)
 * with σ̂ the side of the estimator's interval facing the target (profile likelihood for the binned fit,
 * Wilson for the truth-matched rates, the ensemble sd as a normal score of t_ν for a network) — and, for an
 * estimator that also reports a symmetric error beside its interval (the binned fit's inverse Hessian), the
 * same pulls with that error. They are pooled over the toys and over the bins of one class:
 *
 *   flips ≥ 25 expected per toy: every interval used here claims to be Gaussian there (asymptotic likelihood,
 *     binomial → normal, a mean of 16 or 6 bootstrap members). Pass/fail against the floors, with the standard
 *     errors s/√n (mean) and s/√(2(n − 1)) (width) stated; judged only with ≥ 100 toys.
 *   5 ≤ flips < 25: Poisson regime. No interval claims a Gaussian pull there (a Poisson count's Hessian error
 *     shrinks with a downward fluctuation; a profile or Wilson interval is asymmetric and its one-sided pulls are
 *     skewed): reported, not judged.
 *
 * and over the detector regions: all bins, barrel (|η| < 1.37), endcap (|η| > 1.52), so that a network's
 * smoothing bias (dense barrel, sparse endcap) shows where it lives.
 *
 * A network's ensemble sd is variance only: it says how far one toy's estimate strays from the mean estimate,
 * not how far that mean is from the target (the smoothing bias all members share). So for a network the pulls
 * against the target are reported and not judged — their mean is the smoothing bias in units of the error —
 * and its one claim, the variance, is judged on the pulls about the bin's mean over the toys (with the bare sd
 * when a calibration has scaled it: the factor of errorScales.ts aims at coverage of the target, a different
 * claim, judged there on held-out toys).
 */
import type { Binning } from '../../binning/Binning.js';
import { finite, type EstimatorRecord, type PointRecord, type Resampling } from '../toyRecord.js';
import type { PointReference } from './referenceTargets.js';
import type { Criterion } from '../studySchema.js';
import { pointDetections } from './pointDetections.js';
import { quantile, studentTCdf, studentTQuantile } from '../../stats/index.js';
import { MIN_FLIPS_REPORTED, MIN_FLIPS_SPREAD, normalScore, errorAtTarget } from './summarizeVerdict.js';

const P68 = 0.6826894921370859;

/** The issue's floors: |pull mean| ≤ 0.1, |pull width − 1| ≤ 0.1, over at least 100 toys. */
export const PULL_FLOOR_MEAN = 0.1;
export const PULL_FLOOR_WIDTH = 0.1;
export const PULL_FLOOR_TOYS = 100;
const BARREL_MAX = 1.37;
const ENDCAP_MIN = 1.52;

export type PullRegion = 'all' | 'barrel' | 'endcap';
export type FlipClass = '>=25' | '5-25';

export interface PullFloor {
  point: string;
  estimator: string;
  /** Which error the pulls use. */
  interval: string;
  flips: FlipClass;
  region: PullRegion;
  /** Whether this interval claims Gaussian pulls in this class of bins, and why (not). */
  claimsGaussian: boolean;
  /**
   * An ensemble's rows: how its members were made, as the records state it ('unstated' when they do not, or
   * disagree). Absent on other estimators' rows and on rows stored before the records said it.
   */
  resampling?: Resampling | 'unstated';
  why: string;
  toys: number;
  bins: number;
  pulls: number;
  mean: number | null;
  meanErr: number | null;
  width: number | null;
  widthErr: number | null;
  coverage68: number | null;
  coverage68Err: number | null;
  /**
   * true: within both floors; false: outside one by more than 2 standard errors; null: not judged (no Gaussian
   * claim, fewer than 100 toys, no pulls) or not resolved (outside by less than 2 standard errors).
   */
  pass: boolean | null;
  verdict: string;
}

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Whether `point` carries the defect a detection of `estimator` is built on: the estimator has a criterion with
 * a `nullPoint` (a point-specific detection) and this point is none of its null points. The studies built so
 * (background's fakes, flip-smearing's energy loss, selection-bias's flip response, mismodelling's shifted
 * features, degeneracy's pairing) scan that one defect over every point but the clean null one, so at each of
 * them the estimator's pulls against the target measure it. A `detects` criterion (a comparison of
 * estimators or closures, at every point) does not count.
 */
export function atDefectPoint(criteria: readonly Criterion[], point: string, estimator: string): boolean {
  const mine = pointDetections(criteria, estimator);
  return mine.length > 0 && !mine.some((c) => c.nullPoint === point);
}

export function regionOf(binning: Binning, k: number): PullRegion | null {
  const { iEta } = binning.coordinates(k);
  const lo = binning.etaEdges[iEta]!;
  const hi = binning.etaEdges[iEta + 1]!;
  if (hi <= BARREL_MAX) return 'barrel';
  if (lo >= ENDCAP_MIN) return 'endcap';
  return null;
}

interface ErrorKind {
  interval: string;
  error: (rec: EstimatorRecord, k: number, e: number, g: number) => number;
  /**
   * 'target': pulls (ε̂ − R)/σ̂, the claim that the error covers the estimator's whole miss. 'toyMean': pulls
   * about the bin's mean estimate over the toys, (ε̂ − ⟨ε̂⟩)/σ̂·√(T/(T − 1)), the claim that the error is the
   * estimate's scatter. A network ensemble's sd makes only the second claim: it is variance only, blind to the
   * network's smoothing bias (⟨ε̂⟩ − R), which the 'target' row's pull mean then measures in units of σ̂.
   */
  centre: 'target' | 'toyMean';
}

/** The verdict of a row outside a floor by less than 2 standard errors (pullFloorReading reads it). */
export const NOT_RESOLVED = 'not resolved: outside the floor by less than 2 standard errors (more toys or bins needed)';

/** The label's ending that marks an ensemble's variance claim (the bare sd about the toys' mean). */
const ABOUT_TOY_MEAN = ", about the toys' mean";

function errorKinds(sample: EstimatorRecord | undefined, dof: number): ErrorKind[] {
  if (!sample) return [];
  const hasInterval = sample.errLo != null && sample.errHi != null;
  const ensemble = dof !== Infinity;
  const primary: ErrorKind = {
    interval: sample.interval ?? (ensemble ? `ensemble sd (Student t, ${dof} dof, as normal scores)` : 'reported symmetric error'),
    error: errorAtTarget,
    centre: 'target',
  };
  if (ensemble) {
    // The variance claim is the bare ensemble sd's: a calibration's factor (errorScales.ts) is taken back out.
    const bare: ErrorKind = {
      interval: `ensemble sd (Student t, ${dof} dof, as normal scores)${ABOUT_TOY_MEAN}`,
      error: (rec, k, e, g) => errorAtTarget(rec, k, e, g) / (rec.errFactors?.[k] ?? 1),
      centre: 'toyMean',
    };
    return [primary, bare];
  }
  // The binned fit reports its inverse-Hessian error beside the profile interval: both are judged.
  const symmetric: ErrorKind = { interval: 'inverse Hessian (symmetric)', error: (rec, k) => finite(rec.err[k]), centre: 'target' };
  return hasInterval && !/wilson/i.test(sample.interval ?? '') ? [primary, symmetric] : [primary];
}

export function pullFloors(
  point: string,
  name: string,
  points: readonly (PointRecord | undefined)[],
  reference: PointReference | undefined,
  binning: Binning,
  /**
   * The records the variance claim of a network is judged on, when they differ from `points`: a calibration
   * judges a scaled network's other rows on the toys its factor was not fitted on, while the bare sd's scatter
   * about the toys' mean involves no factor and may use every null toy.
   */
  barePoints?: readonly (PointRecord | undefined)[],
  /**
   * Set when this point carries a defect built in for a detection of this estimator (atDefectPoint): its pulls
   * against the target measure that defect, by design, so those rows are reported, not judged. An ensemble's
   * variance claim (about the toys' mean) involves no target and is still judged.
   */
  carriesDefect = false,
): PullFloor[] {
  const okOf = (pts: readonly (PointRecord | undefined)[]) => {
    const out: { rec: EstimatorRecord; point: PointRecord }[] = [];
    for (const p of pts) {
      const rec = p?.estimators[name];
      if (rec && p && rec.status === 'ok') out.push({ rec, point: p });
    }
    return out;
  };
  const ok = okOf(points);
  const okBare = barePoints ? okOf(barePoints) : ok;
  const T = ok.length;
  const dofs = ok.map(({ rec }) => rec.errDof).filter((d): d is number => d != null && d >= 1);
  const dof = dofs.length ? Math.min(...dofs) : Infinity;
  const stated = new Set(ok.map(({ rec }) => rec.errResampling));
  const resampling: Resampling | 'unstated' = stated.size === 1 ? ([...stated][0] ?? 'unstated') : 'unstated';
  const K = ok[0]?.rec.eps.length ?? 0;
  // Per bin: target, its error and the expected flips per toy. The target is the reachable rate of the
  // reference sample and of the toys' own flip bookkeeping together: with a reference of 10 toys' size alone,
  // its fluctuation shifts every toy's pull alike (by ~0.3/√bins), which no number of toys averages away; with
  // T toys added it is √(1 + T/scale) smaller. (A toy's own flips then enter its target with weight ~1/(T +
  // scale): negligible for T ≥ 100.) The target's error stays in every pull and in the pull mean's error.
  const withFlips = ok.every(({ point: pt }) => pt.flips != null);
  const bins = Array.from({ length: K }, (_, k) => {
    const count = T ? ok.reduce((a, { point: pt }) => a + (pt.count[k] ?? 0), 0) / T : NaN;
    let n = reference ? finite(reference.count[k]) : NaN;
    let f = reference ? finite(reference.flips[k]) : NaN;
    if (withFlips && Number.isFinite(n)) {
      for (const { point: pt } of ok) {
        n += pt.count[k] ?? 0;
        f += pt.flips![k] ?? 0;
      }
    }
    const r = n > 0 ? f / n : NaN;
    const rErr = n > 0 ? Math.sqrt(Math.max(f, 1) * Math.max(1 - r, 0)) / n : NaN;
    return { k, r, rErr, flips: count * r, region: regionOf(binning, k) };
  });
  const out: PullFloor[] = [];
  // An estimator that reports no error (the oracle) claims nothing: no rows.
  const hasErrors = ok.some(({ rec }) => rec.err.some((e) => Number.isFinite(finite(e))));
  for (const kind of hasErrors ? errorKinds(ok[0]?.rec, dof) : []) {
    const pool = kind.centre === 'toyMean' ? okBare : ok;
    const poolToys = pool.length;
    for (const flips of ['>=25', '5-25'] as const) {
      for (const region of ['all', 'barrel', 'endcap'] as const) {
        const sel = bins.filter(
          (b) =>
            Number.isFinite(b.r) &&
            b.r > 0 &&
            (flips === '>=25' ? b.flips >= MIN_FLIPS_REPORTED : b.flips >= MIN_FLIPS_SPREAD && b.flips < MIN_FLIPS_REPORTED) &&
            (region === 'all' || b.region === region),
        );
        if (!sel.length) continue;
        const z: number[] = [];
        // The target's error is common to every pull of a bin: its share c_k = σ_R²/(σ̂² + σ_R²) adds
        // Σ_k (n_k/n)² c_k to the variance of the pooled mean.
        const common: { n: number; c: number }[] = [];
        const about = kind.centre === 'toyMean';
        for (const b of sel) {
          let nk = 0;
          let ck = 0;
          // About the toys' mean: the mean takes one degree of freedom, and the target's error is not in it.
          const es = about ? pool.map(({ rec }) => finite(rec.eps[b.k])).filter(Number.isFinite) : [];
          const centre = about ? es.reduce((a, x) => a + x, 0) / es.length : b.r;
          const dfScale = about ? (es.length > 1 ? Math.sqrt(es.length / (es.length - 1)) : NaN) : 1;
          for (const { rec } of pool) {
            const e = finite(rec.eps[b.k]);
            if (!Number.isFinite(e)) continue;
            const s = kind.error(rec, b.k, e, about ? centre : b.r);
            const g2 = !about && Number.isFinite(b.rErr) ? b.rErr * b.rErr : 0;
            const tot = Math.sqrt(s * s + g2);
            if (!(Number.isFinite(s) && tot > 0 && Number.isFinite(dfScale))) continue;
            z.push(normalScore(((e - centre) / tot) * dfScale, dof));
            nk++;
            ck += g2 / (tot * tot);
          }
          if (nk) common.push({ n: nk, c: ck / nk });
        }
        const n = z.length;
        const commonVar = n ? common.reduce((a, { n: nk, c }) => a + (nk / n) ** 2 * c, 0) : NaN;
        const mean = n ? z.reduce((a, x) => a + x, 0) / n : NaN;
        const width = n > 1 ? Math.sqrt(z.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : NaN;
        const in68 = z.filter((x) => Math.abs(x) < 1).length;
        const cov = n ? in68 / n : NaN;
        // A variance-only error claims nothing about the miss from the target: that row is reported (its pull
        // mean is the smoothing bias in units of σ̂), and the variance claim is judged about the toys' mean.
        const varianceOnly = dof !== Infinity && kind.centre === 'target';
        const calibrated = pool.some(({ rec }) => rec.errFactors != null);
        const defectRow = carriesDefect && kind.centre === 'target';
        const claimsGaussian = flips === '>=25' && !varianceOnly && !defectRow;
        const why =
          flips !== '>=25'
            ? 'Poisson regime (5-25 expected flips per toy): asymmetric, fluctuation-dependent errors; reported, not judged'
            : defectRow
              ? 'this point carries the defect a criterion detects in this estimator: its pulls against the target measure that defect, by design; reported, not judged'
              : varianceOnly
                ? calibrated
                  ? `a ${dof + 1}-member ensemble sd x a factor fitted on null toys is calibrated for 68 % coverage of the target (errorScales), not for Gaussian pulls: the smoothing bias it covers is a per-bin offset (this row's pull mean), not noise; reported, not judged (the bare sd's variance claim is judged about the toys' mean)`
                  : `a ${dof + 1}-member ensemble sd is variance only: it omits the network's smoothing bias, whose size in units of the error is this row's pull mean; reported, not judged (the variance claim is judged about the toys' mean)`
                : dof !== Infinity
                  ? `a ${dof + 1}-member ensemble sd, t_${dof} as normal scores, judged as the scatter of the estimate about its mean over the toys (the mean is 0 by construction; the width is the test)`
                  : 'asymptotic: at least 25 expected flips per toy';
        let pass: boolean | null = null;
        let verdict: string;
        if (!claimsGaussian)
          verdict = defectRow
            ? 'not judged (a defect point)'
            : varianceOnly && flips === '>=25'
              ? `not judged (${calibrated ? 'coverage-calibrated' : 'variance-only'} error)`
              : 'not judged (no Gaussian claim)';
        else if (n < 2) verdict = 'not judged (no pulls)';
        else if (poolToys < PULL_FLOOR_TOYS) verdict = `not judged (${poolToys} toys < ${PULL_FLOOR_TOYS})`;
        else {
          // Outside a floor by more than 2 standard errors: the errors are shown not to meet it. Outside by
          // less: the measurement cannot tell (its error is as large as the floor), said as such.
          const meanOff = Math.abs(mean) - PULL_FLOOR_MEAN;
          const widthOff = Math.abs(width - 1) - PULL_FLOOR_WIDTH;
          const meanErr = Math.sqrt((width * width) / n + commonVar);
          const widthErr = width / Math.sqrt(2 * (n - 1));
          if (meanOff <= 0 && widthOff <= 0) {
            pass = true;
            verdict = 'pass';
          } else if (meanOff > 2 * meanErr || widthOff > 2 * widthErr) {
            pass = false;
            verdict = 'FAIL';
          } else verdict = NOT_RESOLVED;
        }
        out.push({
          point,
          estimator: name,
          interval: kind.interval,
          flips,
          region,
          claimsGaussian,
          ...(dof !== Infinity ? { resampling } : {}),
          why,
          toys: poolToys,
          bins: sel.length,
          pulls: n,
          mean: num(mean),
          meanErr: num(Math.sqrt((width * width) / n + commonVar)),
          width: num(width),
          widthErr: num(width / Math.sqrt(2 * (n - 1))),
          coverage68: num(cov),
          coverage68Err: num(Math.sqrt((cov * (1 - cov)) / n)),
          pass,
          verdict,
        });
      }
    }
  }
  return out;
}

/**
 * Stored null-toy rows of an ensemble made before the records said how its members were made take it from this
 * run's rows of the same point and estimator: the calibration is the study file's own (loadCalibration: beside
 * it, same name and size), so its members were made as this run's are. Rows that state it keep theirs.
 */
export function withResampling(stored: readonly PullFloor[], thisRun: readonly PullFloor[]): PullFloor[] {
  return stored.map((f) => {
    if (f.resampling != null) return f;
    const mine = thisRun.find((g) => g.point === f.point && g.estimator === f.estimator && g.resampling != null);
    return mine ? { ...f, resampling: mine.resampling } : f;
  });
}

export const fx = (x: number | null, d = 3): string => (x == null ? 'n/a' : x.toFixed(d));

/** One line per floor row, as the report and the terminal print it. */
export function pullFloorLabel(f: PullFloor, many: boolean): string {
  return `${many ? `${f.point} / ` : ''}${f.estimator} / ${f.interval} / flips ${f.flips} / ${f.region}`;
}

export function pullFloorText(f: PullFloor, source: string): string {
  const reading = pullFloorReading(f);
  return (
    `${f.claimsGaussian ? 'claims Gaussian' : 'no Gaussian claim'}: pull mean ${fx(f.mean)} ± ${fx(f.meanErr)}, width ${fx(f.width)} ± ${fx(f.widthErr)}, ` +
    `cov68 ${fx(f.coverage68)} ± ${fx(f.coverage68Err)}; ${f.pulls} pulls, ${f.bins} bins, ${f.toys} toys (${source}): ${f.verdict}` +
    (f.claimsGaussian ? '' : ` — ${f.why}`) +
    (reading ? ` — ${reading}` : '')
  );
}

/**
 * What an ensemble's variance claim that did not pass says about its error, in the report beside the verdict
 * (issue 10: where errors that claim to be Gaussian do not meet the floor, the report says so and why). Read
 * from the row's numbers when it is shown, so stored calibrations need no re-run; the explanation depends on
 * how the members were made, which the row carries when the records stated it. Empty for every other row.
 *
 * Bootstrap members differ by their resampled events and by their own training (initialisation, batch
 * order). Their spread carries both; the mean of K members keeps the first and averages the second down by
 * K, so the spread is wider than the scatter of the mean from toy to toy, and the width falls below 1.
 * Members that are not resampled share the events: their spread misses the sampling variance, which the
 * mean keeps, so the width rises above 1 unless their training noise outweighs it.
 */
export function pullFloorReading(f: Pick<PullFloor, 'interval' | 'claimsGaussian' | 'pass' | 'verdict' | 'width' | 'resampling'>): string {
  // Only a claim the floor judged and did not pass (failed, or not resolved): not one it could not judge.
  const unresolved = f.pass == null && f.verdict === NOT_RESOLVED;
  if (!f.claimsGaussian || !(f.pass === false || unresolved) || f.width == null || !f.interval.endsWith(ABOUT_TOY_MEAN)) return '';
  const over = f.width < 1;
  // Not resolved: the width may be right; the reading says which way it leans and why it would.
  const verb = (v: string): string => (unresolved ? `may ${v}` : `${v}s`);
  const head = over
    ? `width below 1: the ensemble error ${verb('over-cover')}`
    : `width above 1: the ensemble error ${verb('under-cover')}`;
  switch (f.resampling) {
    case 'bootstrap':
      return over
        ? `${head}. The members differ by their resampled events and by their own training noise (initialisation, batch order); the mean of the members averages the training noise away, their spread keeps it`
        : `${head}: bootstrap members scatter less than their mean does from toy to toy (a sampling variance the resampling does not reproduce, or members too alike)`;
    case 'none':
      return over
        ? `${head}: the members are not resampled, and their training noise alone outweighs the scatter of their mean from toy to toy`
        : `${head}: the members are not resampled, so their spread misses the sampling variance that their mean carries from toy to toy (bootstrap members would hold it)`;
    default:
      return over
        ? `${head}: the members spread more than their mean scatters from toy to toy (how they were made is not stated, so the reason is not given)`
        : `${head}: the members spread less than their mean scatters from toy to toy (how they were made is not stated, so the reason is not given)`;
  }
}

/**
 * A network's ensemble error is variance only. Its calibrated error (issue 10, item 7): per region, the factor s
 * by which the error must grow for its 68.27 % t_ν interval to cover 68.27 % of the pulls, measured on the first half of the toys
 * (sorted by toy index) against the reachable target, and checked on the second half: coverage of the 68.27 %
 * t_ν interval and pull width there, before and after σ → s·σ. Over bins with ≥ 5 expected flips per toy.
 */
export interface ErrorInflation {
  point: string;
  estimator: string;
  region: PullRegion;
  fitToys: number;
  testToys: number;
  bins: number;
  scale: number | null;
  scaleErr: number | null;
  before: { width: number | null; coverage68: number | null; coverage68Err: number | null };
  after: { width: number | null; coverage68: number | null; coverage68Err: number | null };
}

export function errorInflation(
  point: string,
  name: string,
  points: readonly (PointRecord | undefined)[],
  reference: PointReference | undefined,
  binning: Binning,
  /** Fit on the records of points[0, split) and check on the rest (default: the first half of the ok records). */
  split?: number,
): ErrorInflation[] {
  const ok: EstimatorRecord[] = [];
  let inFit = 0;
  points.forEach((p, i) => {
    const rec = p?.estimators[name];
    if (!rec || !p || rec.status !== 'ok') return;
    ok.push(rec);
    if (split != null && i < split) inFit++;
  });
  const dofs = ok.map((r) => r.errDof).filter((d): d is number => d != null && d >= 1);
  if (!reference || !dofs.length || ok.length < 4) return [];
  const dof = Math.min(...dofs);
  // The factor is set by the 68.27 % quantile of |pull| against that of |t_ν| (the interval the criteria use):
  // a width would be dominated by the tails of a t with few degrees of freedom (ν = 3: the sd of t_3 barely
  // exists), a quantile is not.
  const tq = studentTQuantile(0.5 + P68 / 2, dof);
  const countOf = (k: number): number => {
    let c = 0;
    let n = 0;
    for (const p of points) {
      if (p?.estimators[name]?.status !== 'ok') continue;
      c += p.count[k] ?? 0;
      n++;
    }
    return n ? c / n : NaN;
  };
  const K = ok[0]!.eps.length;
  const half = split != null ? inFit : Math.floor(ok.length / 2);
  const out: ErrorInflation[] = [];
  for (const region of ['all', 'barrel', 'endcap'] as const) {
    const sel: number[] = [];
    for (let k = 0; k < K; k++) {
      const r = finite(reference.reachable[k]);
      if (!(r > 0) || !(countOf(k) * r >= MIN_FLIPS_SPREAD)) continue;
      if (region !== 'all' && regionOf(binning, k) !== region) continue;
      sel.push(k);
    }
    if (!sel.length) continue;
    const raw = (recs: EstimatorRecord[]): number[] => {
      const u: number[] = [];
      for (const rec of recs) {
        for (const k of sel) {
          const e = finite(rec.eps[k]);
          const r = finite(reference.reachable[k]);
          const rErr = finite(reference.reachableErr[k]);
          const s = finite(rec.err[k]);
          const tot = Math.sqrt(s * s + (Number.isFinite(rErr) ? rErr * rErr : 0));
          if (Number.isFinite(e) && tot > 0) u.push((e - r) / tot);
        }
      }
      return u;
    };
    const sd = (xs: number[]): number => {
      const m = xs.reduce((a, x) => a + x, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
    };
    const fit = raw(ok.slice(0, half));
    const test = raw(ok.slice(half));
    if (fit.length < 2 || test.length < 2) continue;
    const scale = quantile(fit.map(Math.abs), P68) / tq;
    // Standard error of a sample quantile, √(p(1 − p)/n)/f(q), with f the density of |u| = s·|t_ν| at q.
    const h = 1e-4;
    const dens = (2 * (studentTCdf(tq + h, dof) - studentTCdf(tq - h, dof))) / (2 * h) / scale;
    const scaleErr = Math.sqrt((P68 * (1 - P68)) / fit.length) / dens / tq;
    const judge = (u: number[], s: number) => {
      const z = u.map((x) => normalScore(x / s, dof));
      const c = z.filter((x) => Math.abs(x) < 1).length / z.length;
      return { width: num(sd(z)), coverage68: num(c), coverage68Err: num(Math.sqrt((c * (1 - c)) / z.length)) };
    };
    out.push({
      point,
      estimator: name,
      region,
      fitToys: half,
      testToys: ok.length - half,
      bins: sel.length,
      scale: num(scale),
      scaleErr: num(scaleErr),
      before: judge(test, 1),
      after: judge(test, Number.isFinite(scale) && scale > 0 ? scale : 1),
    });
  }
  return out;
}

export function errorInflationText(x: ErrorInflation): string {
  return (
    `variance-only ensemble error; needs x${fx(x.scale, 2)} ± ${fx(x.scaleErr, 2)} (measured on toys 1-${x.fitToys}, ${x.bins} bins >= 5 flips); ` +
    `on the other ${x.testToys} toys: cov68 ${fx(x.before.coverage68)} ± ${fx(x.before.coverage68Err)} -> ${fx(x.after.coverage68)} ± ${fx(x.after.coverage68Err)}, ` +
    `pull width ${fx(x.before.width)} -> ${fx(x.after.width)} (normal scores)`
  );
}
