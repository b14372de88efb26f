/**
 * Student's t with an integer number of degrees of freedom ν, for the intervals of an error that is itself a
 * sample standard deviation: a K-member ensemble's spread s has ν = K − 1, and (ε̂ − τ)/s follows t_ν rather
 * than N(0, 1) (width √(ν/(ν − 2)), heavier tails). Coverage of the ensemble errors is therefore counted with
 * the t quantiles, not with 1 and 1.96.
 *
 * P(|T| < t) for integer ν from the closed finite series (Abramowitz & Stegun 26.7.3–4), θ = atan(t/√ν):
 *   ν odd:  (2/π)·[θ + sin θ·(cos θ + (2/3) cos³θ + … + (2·4⋯(ν−3))/(1·3⋯(ν−2)) cos^(ν−2) θ)]  (ν = 1: 2θ/π)
 *   ν even: sin θ·[1 + (1/2) cos²θ + (1·3)/(2·4) cos⁴θ + … + (1·3⋯(ν−3))/(2·4⋯(ν−2)) cos^(ν−2) θ]
 * and the quantile by bisection (the function is monotonic; 100 halvings reach double precision).
 */
import { ConfigError } from '../../errors.js';

/** P(|T_ν| < t), t ≥ 0. ν = Infinity gives the normal value. */
export function studentTAbsCdf(t: number, nu: number): number {
  if (!(t > 0)) return 0;
  if (nu === Infinity) return erf(t / Math.SQRT2);
  const theta = Math.atan(t / Math.sqrt(nu));
  const s = Math.sin(theta);
  const c = Math.cos(theta);
  const c2 = c * c;
  if (nu % 2 === 1) {
    if (nu === 1) return (2 * theta) / Math.PI;
    let term = c;
    let sum = c;
    for (let k = 3; k <= nu - 2; k += 2) {
      term *= (c2 * (k - 1)) / k;
      sum += term;
    }
    return (2 / Math.PI) * (theta + s * sum);
  }
  let term = 1;
  let sum = 1;
  for (let k = 2; k <= nu - 2; k += 2) {
    term *= (c2 * (k - 1)) / k;
    sum += term;
  }
  return s * sum;
}

/** t with P(|T_ν| < t) = prob (two-sided interval half-width in units of s). */
export function studentTAbsQuantile(prob: number, nu: number): number {
  if (!(prob > 0 && prob < 1)) throw new ConfigError('prob', prob, 'a probability in (0, 1)');
  if (!(nu === Infinity || (Number.isInteger(nu) && nu >= 1))) throw new ConfigError('dof', nu, 'a positive integer or Infinity');
  let lo = 0;
  let hi = 1;
  while (studentTAbsCdf(hi, nu) < prob) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTAbsCdf(mid, nu) < prob) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Width (standard deviation) of t_ν: √(ν/(ν − 2)), Infinity for ν ≤ 2, 1 for the normal. */
export function studentTWidth(nu: number): number {
  if (nu === Infinity) return 1;
  return nu > 2 ? Math.sqrt(nu / (nu - 2)) : Infinity;
}

/**
 * erf(x), x ≥ 0, by its Maclaurin series. The alternating terms cost about x²/ln 10 digits, so the series
 * is used up to x = 4.5 (≥ 8 correct digits); beyond, 1 − erf(x) < 2·10⁻¹⁰ and 1 is returned.
 */
function erf(x: number): number {
  if (x > 4.5) return 1;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
