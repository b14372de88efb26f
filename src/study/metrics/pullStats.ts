/**
 * Pull distribution summary: mean and width (standard deviation) with their standard errors, and the
 * coverage of the ±1σ and ±1.96σ intervals with binomial errors.
 *
 * Errors (Gaussian pulls): σ(mean) = s/√n, σ(width) = s/√(2(n−1)); coverage p̂ ± √(p̂(1−p̂)/n). A pull is
 * (estimate − truth) / reported error; non-finite pulls (error 0 or missing) are counted in `invalid`, not used.
 */
export const Z68 = 1;
/** Two-sided 95 % quantile of the standard normal. */
export const Z95 = 1.959963984540054;
/** P(|Z| < 1) for a standard normal. */
export const P68 = 0.6826894921370859;

export interface PullStats {
  n: number;
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

export function pullStats(pulls: ArrayLike<number>): PullStats {
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
    if (a < Z68) in68++;
    if (a < Z95) in95++;
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
