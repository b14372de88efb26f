/**
 * Pull distribution summary: mean and width (standard deviation) with their standard errors, and the
 * coverage of the ±1σ and ±1.96σ intervals with binomial errors.
 *
 * Errors (Gaussian pulls): σ(mean) = s/√n, σ(width) = s/√(2(n−1)); coverage p̂ ± √(p̂(1−p̂)/n). A pull is
 * (estimate − truth) / reported error; non-finite pulls (error 0 or missing) are counted in `invalid`, not used.
 *
 * `dof`: degrees of freedom of the reported errors (Infinity for asymptotic errors such as the Hessian; K − 1
 * for the spread of a K-member ensemble). The 68.27 % and 95 % intervals are then ±t_dof·σ̂ with the
 * Student-t quantiles instead of ±1 and ±1.96, and `widthRatio` = width / √(dof/(dof − 2)) compares the pull
 * width with the width of t_dof (1 for honest errors whatever dof).
 */
import { ConfigError } from '../../errors.js';
import { studentTQuantile, studentTStandardDeviation } from '../../stats/index.js';

export const Z68 = 1;
/** Two-sided 95 % quantile of the standard normal. */
export const Z95 = 1.959963984540054;
/** P(|Z| < 1) for a standard normal. */
export const P68 = 0.6826894921370859;

/** t with P(|T_ν| < t) = prob: the half-width of the central interval, the upper (1 + prob)/2 quantile. */
export function studentTAbsQuantile(prob: number, dof: number): number {
  if (!(prob > 0 && prob < 1)) throw new ConfigError('prob', prob, 'a probability in (0, 1)');
  if (!(dof === Infinity || dof > 0)) throw new ConfigError('dof', dof, 'a positive number of degrees of freedom or Infinity');
  return studentTQuantile((1 + prob) / 2, dof);
}

export interface PullStats {
  n: number;
  dof: number;
  /** Interval half-widths used for the coverage, in units of the reported error. */
  z68: number;
  z95: number;
  widthRatio: number;
  invalid: number;
  mean: number;
  meanErr: number;
  width: number;
  widthErr: number;
  coverage68: number;
  coverage68Err: number;
  coverage95: number;
  coverage95Err: number;
}

export function pullStats(pulls: ArrayLike<number>, dof = Infinity): PullStats {
  const z68 = dof === Infinity ? Z68 : studentTAbsQuantile(P68, dof);
  const z95 = dof === Infinity ? Z95 : studentTAbsQuantile(0.95, dof);
  let n = 0;
  let invalid = 0;
  let sum = 0;
  let in68 = 0;
  let in95 = 0;
  for (let i = 0; i < pulls.length; i++) {
    const p = pulls[i]!;
    if (!Number.isFinite(p)) {
      invalid++;
      continue;
    }
    n++;
    sum += p;
    const a = Math.abs(p);
    if (a < z68) in68++;
    if (a < z95) in95++;
  }
  const mean = n > 0 ? sum / n : NaN;
  let ss = 0;
  for (let i = 0; i < pulls.length; i++) {
    const p = pulls[i]!;
    if (Number.isFinite(p)) ss += (p - mean) * (p - mean);
  }
  const width = n > 1 ? Math.sqrt(ss / (n - 1)) : NaN;
  const c68 = n > 0 ? in68 / n : NaN;
  const c95 = n > 0 ? in95 / n : NaN;
  return {
    n,
    dof,
    z68,
    z95,
    widthRatio: width / studentTStandardDeviation(dof),
    invalid,
    mean,
    meanErr: n > 0 ? width / Math.sqrt(n) : NaN,
    width,
    widthErr: n > 1 ? width / Math.sqrt(2 * (n - 1)) : NaN,
    coverage68: c68,
    coverage68Err: n > 0 ? Math.sqrt((c68 * (1 - c68)) / n) : NaN,
    coverage95: c95,
    coverage95Err: n > 0 ? Math.sqrt((c95 * (1 - c95)) / n) : NaN,
  };
}
