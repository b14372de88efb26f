/**
 * Statistics for the property suite: false-alarm bookkeeping and whitening of correlated residuals.
 * Distributions (Student-t tolerances) and descriptive statistics come from src/stats.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';

/** Two-sided P(|Z| > 4) for a standard normal: the per-check false-alarm rate of a 4σ check. */
export const P_4SIGMA = 6.334248366623996e-5;

/** Probability that at least one of n independent checks at per-check rate p fires (≈ n·p when small). */
export function familyWise(n: number, p = P_4SIGMA): number {
  return 1 - (1 - p) ** n;
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
