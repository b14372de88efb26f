/**
 * The resampled null: a false-alarm rate for a criterion whose verdicts are too large for this machine to run
 * enough of them (issue 10, item 4). A study of 50 toys a verdict gives 2–4 verdicts from 100–200 null toys:
 * "0 of 4" bounds the rate only below 37 %. The null toys hold more than that, though: the criterion's value
 * has a distribution over verdicts, and the toys let us estimate it.
 *
 * Two models, each for the metrics it fits, and only there (no other criterion gets a resampled null):
 *
 *   normal — a metric that is a mean over the verdict's pulls or toys (coverage, a pooled bias over its error,
 *     a pull-width ratio): D verdicts of T toys are drawn with replacement from the N null toys the criterion
 *     is judged on, the criterion's value computed on each (the same code as a real verdict); the value's mean
 *     m and sd s over the draws give z = (distance from m to the threshold, on the alarm side)/s and the rate
 *     Φ(−z). Its interval: the pool's mean is known to s·√(T/N) and its sd to a relative 1/√(2N), so
 *     rateHi = Φ(−(z − √(T/N))/(1 + 1/√(2N))), rateLo = Φ(−(z + √(T/N))/(1 − 1/√(2N))). A normal tail is an
 *     assumption (a mean over ~300 pulls is close to normal; its far tail is where it matters), said so where
 *     the rate is shown.
 *   binomial — a failure rate (the fraction of a verdict's toys whose estimator failed): with k failed toys of
 *     the N, the verdict's count is Binomial(T, p); the rate is P(count/T beyond the threshold) at p = k/N and
 *     at the ends of p's Clopper–Pearson 68.27 % interval.
 *
 * The resampled rate is a second measurement beside the direct one (failures in disjoint verdicts), never in
 * place of it: a weak direct calibration whose resampled rate has its 68 % upper end within the budget is
 * "calibrated on the resampled null"; one whose resampled lower end lies above the budget has FAILED (the
 * threshold sits too close to where the null puts the value); otherwise it stays weak.
 */
import { binomialCdf, clopperPearson, normalCdf } from '../../stats/index.js';
import { createRng, type Seed } from '../../rng.js';
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
/** Verdicts drawn for the normal model (the sd's own draw-to-draw error is then 1/√(2D) = 3.5 %, below the pool's). */
export const RESAMPLED_DRAWS = 400;

export interface ResampledNull {
  model: 'normal' | 'binomial';
  /** Null toys resampled: the toys the criterion is judged on; toys a verdict. */
  pool: number;
  verdictToys: number;
  /** normal: verdicts drawn, the value's mean and sd over them, and the threshold's distance on the alarm side. */
  draws?: number;
  mean?: number;
  sd?: number;
  z?: number;
  /** binomial: toys of the pool whose estimator failed. */
  failedToys?: number;
  rate: number;
  rateLo: number;
  rateHi: number;
}

export function resampledModel(c: Criterion): ResampledNull['model'] | null {
  if (MEAN_METRICS.has(c.metric)) return 'normal';
  // A failure-rate criterion that fires on too many failures (not one asserting failures).
  if (FAILURE_METRICS.has(c.metric) && (c.op === '<' || c.op === '<=')) return 'binomial';
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
  const xs: number[] = [];
  for (let d = 0; d < draws; d++) {
    const group = Array.from({ length: T }, () => pool[Math.min(N - 1, Math.floor(rng.uniform() * N))]!);
    const v = value(group);
    if (Number.isFinite(v)) xs.push(v);
  }
  // A value that is undefined in most draws (too few pulls) is not resampled.
  if (xs.length < draws / 2) return null;
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
  if (!(sd > 0)) return null;
  const z = (alarmBelow(c, alarmIsPass) ? mean - c.threshold : c.threshold - mean) / sd;
  const shift = Math.sqrt(T / N);
  const sdRel = 1 / Math.sqrt(2 * N);
  return {
    model: 'normal',
    pool: N,
    verdictToys: T,
    draws: xs.length,
    mean,
    sd,
    z,
    rate: normalCdf(-z),
    rateLo: normalCdf(-(z + shift) / Math.max(1 - sdRel, 0.5)),
    rateHi: normalCdf(-(z - shift) / (1 + sdRel)),
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
  return { model: 'binomial', pool, verdictToys: T, failedToys, rate: alarm(failedToys / pool), rateLo: alarm(lo), rateHi: alarm(hi) };
}

const pct = (x: number): string => (x < 1e-4 ? '< 0.01 %' : `${(100 * x).toPrecision(2)} %`);

/** One line for the calibration table, the terminal and the report. */
export function resampledNullText(r: ResampledNull): string {
  const T = r.verdictToys;
  return r.model === 'normal'
    ? `resampled null: ${r.draws} verdicts of ${T} drawn from ${r.pool} null toys, value ${r.mean!.toPrecision(4)} ± ${r.sd!.toPrecision(2)}, threshold ${r.z!.toFixed(1)} sd away: rate ${pct(r.rate)} [${pct(r.rateLo)}, ${pct(r.rateHi)}] (normal tail)`
    : `resampled null: ${r.failedToys} of ${r.pool} null toys failed; a verdict of ${T} toys alarms at rate ${pct(r.rate)} [${pct(r.rateLo)}, ${pct(r.rateHi)}] (binomial)`;
}
