/**
 * Statistics for the property suite: false-alarm bookkeeping, Student-t tail quantiles for tolerances built
 * from a handful of toys, and whitening of correlated residuals.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';

/** Two-sided P(|Z| > 4) for a standard normal: the per-check false-alarm rate of a 4σ check. */
export const P_4SIGMA = 6.334248366623996e-5;

/** Probability that at least one of n independent checks at per-check rate p fires (≈ n·p when small). */
export function familyWise(n: number, p = P_4SIGMA): number {
  return 1 - (1 - p) ** n;
}

// ln Γ(x), Lanczos (g = 7, n = 9), |relative error| < 1e-13 for x > 0.
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

// Continued fraction of the regularised incomplete beta function (modified Lentz).
function betaCf(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaCf(a, b, x)) / a : 1 - (front * betaCf(b, a, 1 - x)) / b;
}

/** Upper tail P(T > t) of Student's t with ν degrees of freedom, t ≥ 0. */
export function tSurvival(t: number, nu: number): number {
  return 0.5 * incompleteBeta(nu / (nu + t * t), nu / 2, 0.5);
}

/** The t with P(T > t) = p (ν dof), by bisection: e.g. tQuantileUpper(P_4SIGMA / 2, ν) is the "4σ" of a t test. */
export function tQuantileUpper(p: number, nu: number): number {
  let lo = 0;
  let hi = 1;
  while (tSurvival(hi, nu) > p) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (tSurvival(mid, nu) > p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Whitened residuals z = L⁻¹ r with cov = L Lᵀ: independent standard normals when r ~ N(0, cov).
 * cov is given as rows over the same entries as r.
 */
export function whiten(r: readonly number[], cov: readonly (readonly number[])[]): number[] {
  const chol = new CholeskyDecomposition(new Matrix(cov.map((row) => [...row])));
  if (!chol.isPositiveDefinite()) throw new Error('whiten: covariance not positive definite');
  const L = chol.lowerTriangularMatrix;
  const z: number[] = [];
  for (let i = 0; i < r.length; i++) {
    let s = r[i]!;
    for (let j = 0; j < i; j++) s -= L.get(i, j) * z[j]!;
    z.push(s / L.get(i, i));
  }
  return z;
}

/** Sample mean and standard deviation (n − 1). */
export function meanSd(xs: readonly number[]): { mean: number; sd: number; n: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  return { mean, sd, n };
}
