/**
 * Which branch a trained φ is on. f(φ1, φ2) = f(−φ1, −φ2) (note §1.2), so the loss cannot tell ε from 1 − ε.
 * Charge flips are rare, so the physical solution has ε < ½ for almost every electron: we call a solution
 * "physical" when the median of φ over all electrons is negative, "mirror" otherwise, and report the fraction
 * of electrons with ε > ½ beside it. The median is unweighted so negative sideband weights cannot move it.
 */
export type BranchName = 'physical' | 'mirror';

export interface BranchReport {
  branch: BranchName;
  medianPhi: number;
  meanPhi: number;
  /** Fraction of electrons with φ > 0, i.e. ε > ½. */
  fracEpsAboveHalf: number;
  /** True when a mirror solution was negated (φ → −φ) after training. The fields above describe the result. */
  flipped: boolean;
}

export function assessBranch(phi: Float32Array, flipped = false): BranchReport {
  const n = phi.length;
  if (n === 0) return { branch: 'physical', medianPhi: NaN, meanPhi: NaN, fracEpsAboveHalf: NaN, flipped };
  const sorted = Float32Array.from(phi).sort();
  const medianPhi = n % 2 ? sorted[(n - 1) / 2]! : 0.5 * (sorted[n / 2 - 1]! + sorted[n / 2]!);
  let sum = 0;
  let above = 0;
  for (let i = 0; i < n; i++) {
    sum += phi[i]!;
    if (phi[i]! > 0) above++;
  }
  return { branch: medianPhi < 0 ? 'physical' : 'mirror', medianPhi, meanPhi: sum / n, fracEpsAboveHalf: above / n, flipped };
}
