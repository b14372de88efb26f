/**
 * The resampled null: a false-alarm rate for a criterion whose verdicts are too large for this machine to run
 * enough of them (issue 10, item 4). A study of 50 toys a verdict gives 2–4 verdicts from 100–200 null toys:
 * "0 of 4" bounds the rate only below 37 %. The null toys hold more than that, though: the criterion's value
 * has a distribution over verdicts, and the toys let us estimate it.
 *
 * Two models, each for the metrics it fits, and only there (no other criterion gets one):
 *
 *   normal — a metric that is a mean over the verdict's pulls or toys (coverage, a pooled bias over its error,
 *     a pull-width ratio), in verdicts of at least MIN_NORMAL_TOYS toys (a mean of 4 toys over an error from
 *     their own spread follows Student t, whose tail a normal fit understates): D verdicts of T toys are drawn
 *     with replacement from the N null toys the criterion is judged on, the criterion's value computed on each
 *     (the same code as a real verdict); the value's mean m and sd s over the draws give the signed distance
 *     z = (m − threshold)/s on the alarm side (negative: the null's mean is already past it) and the tail
 *     Φ(−z). A draw whose value is undefined is what a real verdict would do with it: an alarm for a criterion
 *     (a verdict that cannot be judged fails), none for a detection; with a share f of them the rate is
 *     f + (1 − f)Φ(−z), resp. (1 − f)Φ(−z). Its bounds: the pool's mean is known to s·√(T/N) and its sd to a
 *     relative 1/√(2N) (both moved against the rate, linearly): at k units of both,
 *     Φ(−(z ∓ k√(T/N))/(1 ± k/√(2N))) — k = 1 for the 68 % interval printed, k = 1.645 for the one-sided 95 %
 *     lower bound a FAILED status needs (as the direct rate's). The normal tail is the model: the draws that
 *     cross the threshold are counted too, and where they are more than the model's upper end allows, the model
 *     is said not to fit and nothing is claimed from it.
 *   binomial — a failure rate (the fraction of a verdict's toys whose estimator failed, on the estimator's own,
 *     not relative to another, and not a detection): with k failed toys of the N, the verdict's count is
 *     Binomial(T, p); the rate is P(count/T beyond the threshold) at p = k/N, at the ends of p's
 *     Clopper–Pearson 68.27 % interval, and at its one-sided 95 % lower bound.
 *
 * The model's rate is a second measurement beside the direct one (failures in disjoint verdicts), never in its
 * place: a weak direct calibration whose model rate has its 68 % upper end within the budget is "calibrated on
 * the resampled null"; one whose one-sided 95 % lower bound lies above the budget has FAILED (the threshold
 * sits where the null puts the value); otherwise it stays weak.
 */
import { binomialCdf, clopperPearson, mean, normalCdf, normalQuantile, sampleStandardDeviation } from '../../stats/index.js';
import { createRng, type Seed } from '../../rng.js';
import { compare } from '../evaluateCriteria.js';
import { ratePct } from './ratePct.js';
import type { Criterion } from '../studySchema.js';
import type { ToyRecord } from '../toyRecord.js';

/** Metrics that are a mean over the verdict's pulls or toys: the normal model. */
const MEAN_METRICS = new Set([
  'coverage68',
  'coverage95',
  'pullWidthRatio',
  'pooledRelBiasOverErr',
  'sfCoverage68',
  'sfCoverage95',
  'sfPooledRelBiasOverErr',
]);
/** The fraction of a verdict's toys whose estimator failed: the binomial model. */
const FAILURE_METRICS = new Set(['failureRate', 'sfFailureRate']);
/** Verdicts drawn for the normal model (the sd's own draw-to-draw error is then 1/√(2D) = 3.5 %). */
const RESAMPLED_DRAWS = 400;
/** The normal model needs verdicts of at least this many toys (the shipped large verdicts have 50). */
const MIN_NORMAL_TOYS = 20;
/** One-sided 95 %: the bound a FAILED status rests on, as for the direct rate. */
const Z95 = normalQuantile(0.95);

export interface ResampledNull {
  model: 'normal' | 'binomial';
  /** Null toys the model rests on (the toys the criterion is judged on) and toys a verdict. */
  pool: number;
  verdictToys: number;
  /** normal: verdicts drawn, those whose value was undefined, and those that raised the alarm. */
  draws?: number;
  undefinedDraws?: number;
  alarms?: number;
  /** normal: the value's mean and sd over the defined draws, and the threshold's signed distance (alarm side). */
  mean?: number;
  sd?: number;
  z?: number;
  /** normal: false when more draws crossed the threshold than the model's upper end allows (nothing claimed). */
  fits?: boolean;
  /** binomial: toys of the pool whose estimator failed. */
  failedToys?: number;
  rate: number;
  /** The 68.27 % interval, and the one-sided 95 % lower bound a FAILED status needs. */
  rateLo: number;
  rateHi: number;
  rateLo95: number;
}

export function resampledModel(c: Criterion, verdictToys: number): ResampledNull['model'] | null {
  if (MEAN_METRICS.has(c.metric)) return verdictToys >= MIN_NORMAL_TOYS ? 'normal' : null;
  // A failure rate of the estimator's own that fires on too many failures (not a ratio, not a detection).
  if (FAILURE_METRICS.has(c.metric) && (c.op === '<' || c.op === '<=') && c.relativeTo == null && c.nullPoint == null && c.detects == null)
    return 'binomial';
  return null;
}

/** Whether the alarm is the value falling below the threshold (else above it). */
function alarmBelow(c: Criterion, alarmIsPass: boolean): boolean {
  const passAbove = c.op === '>' || c.op === '>=';
  return alarmIsPass ? !passAbove : passAbove;
}

/**
 * The normal model. `value(group)` is the criterion's value on one verdict made of `group` (the caller's
 * evaluation, the same as a real verdict's). `alarmIsPass`: a detection, whose false alarm is a pass.
 */
export function resampleNormal(
  c: Criterion,
  pool: readonly ToyRecord[],
  T: number,
  value: (group: ToyRecord[]) => number,
  alarmIsPass: boolean,
  seed: Seed,
  draws = RESAMPLED_DRAWS,
): ResampledNull | null {
  const N = pool.length;
  if (N < 2 * T) return null;
  const rng = createRng(seed);
  const below = alarmBelow(c, alarmIsPass);
  const xs: number[] = [];
  let alarms = 0;
  for (let d = 0; d < draws; d++) {
    const group = Array.from({ length: T }, () => pool[Math.min(N - 1, Math.floor(rng.uniform() * N))]!);
    const v = value(group);
    if (Number.isFinite(v)) xs.push(v);
    // As a real verdict: compare() fails an undefined value.
    const pass = compare(v, c.op, c.threshold);
    if (alarmIsPass ? pass : !pass) alarms++;
  }
  if (xs.length < 2) return null;
  const m = mean(xs);
  const sd = sampleStandardDeviation(xs);
  if (!(sd > 0)) return null;
  const z = (below ? m - c.threshold : c.threshold - m) / sd;
  // An undefined value: a real verdict's alarm (a criterion) or not (a detection).
  const f = (draws - xs.length) / draws;
  const withUndefined = (tail: number): number => (alarmIsPass ? (1 - f) * tail : f + (1 - f) * tail);
  const shift = Math.sqrt(T / N);
  const sdRel = 1 / Math.sqrt(2 * N);
  // k > 0 moves against an alarm (lower rate), k < 0 towards it: the mean by k pool errors, and the sd by k
  // relative errors in the direction that does the same to this side of the tail.
  const at = (k: number): number => {
    const d = z + k * shift;
    const scale = d * k > 0 ? Math.max(1 - Math.abs(k) * sdRel, 0.5) : 1 + Math.abs(k) * sdRel;
    return withUndefined(normalCdf(-d / scale));
  };
  const rateHi = at(-1);
  // The draws' own count against the model: more crossings than its upper end allows, beyond their binomial
  // scatter (the count's 68 % Clopper–Pearson lower end above it), and the normal tail does not describe them.
  const fits = !(clopperPearson(alarms, draws, 0.6827)[0] > rateHi);
  return {
    model: 'normal',
    pool: N,
    verdictToys: T,
    draws,
    undefinedDraws: draws - xs.length,
    alarms,
    mean: m,
    sd,
    z,
    fits,
    rate: at(0),
    rateLo: at(1),
    rateHi,
    rateLo95: at(Z95),
  };
}

/** The binomial model: `failedToys` of the `pool` null toys failed; a verdict of T toys alarms above `c.threshold`. */
export function resampleBinomial(c: Criterion, pool: number, T: number, failedToys: number): ResampledNull {
  // The verdict passes while count/T op threshold: the largest passing count k* (op '<=': ⌊thr·T⌋; '<': the
  // largest count strictly below thr·T), and P(alarm) = 1 − P(count ≤ k*).
  const x = c.threshold * T;
  const kPass = c.op === '<=' ? Math.floor(x + 1e-9) : Math.ceil(x - 1e-9) - 1;
  const alarm = (p: number): number => (kPass < 0 ? 1 : kPass >= T ? 0 : 1 - binomialCdf(kPass, T, p));
  const [lo, hi] = clopperPearson(failedToys, pool, 0.6827);
  const lo95 = clopperPearson(failedToys, pool, 0.9)[0];
  return {
    model: 'binomial',
    pool,
    verdictToys: T,
    failedToys,
    rate: alarm(failedToys / pool),
    rateLo: alarm(lo),
    rateHi: alarm(hi),
    rateLo95: alarm(lo95),
  };
}

/** How the texts name the model: the normal fit rests on resampled verdicts, the binomial on the toys' count. */
export function resampledLabel(r: ResampledNull): string {
  return r.model === 'normal' ? 'resampled null' : 'binomial null';
}

/** Whether the model's rate is a measurement (a binomial always; a normal fit where the draws agree with it). */
export function resampledUsable(r: ResampledNull): boolean {
  return r.model === 'binomial' || r.fits === true;
}

/** One line for the calibration table, the terminal and the report. */
export function resampledNullText(r: ResampledNull): string {
  const T = r.verdictToys;
  const rates = `rate ${ratePct(r.rate)} [${ratePct(r.rateLo)}, ${ratePct(r.rateHi)}], one-sided 95 % lower bound ${ratePct(r.rateLo95)}`;
  if (r.model === 'binomial')
    return `binomial null: ${r.failedToys} of ${r.pool} null toys failed; a verdict of ${T} toys alarms at ${rates}`;
  const undef = r.undefinedDraws ? `, ${r.undefinedDraws} undefined (counted as a real verdict counts them)` : '';
  const fit = r.fits
    ? ''
    : ` — the normal model does NOT fit: ${r.alarms} of ${r.draws} draws crossed the threshold, more than its upper end allows; nothing claimed`;
  return (
    `resampled null: ${r.draws} verdicts of ${T} drawn from ${r.pool} null toys${undef}, value ${r.mean!.toPrecision(4)} ± ${r.sd!.toPrecision(2)}, ` +
    `threshold ${r.z!.toFixed(1)} sd away on the alarm side, ${r.alarms} draws crossed it: ${rates} (normal tail)${fit}`
  );
}
