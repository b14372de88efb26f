/**
 * Which branch of the exact symmetry ε ↔ 1 − ε (f(φ1, φ2) = f(−φ1, −φ2), eq. 3) a set of rates lies on.
 * The physical branch is ε < ½ for the BULK: it is decided on the median, not on every value, because a
 * sub-population may truly sit above ½ (with features that move on a flip, the reachable target
 * P(flip | features) exceeds ½ for strongly tagged flips while nearly every electron stays far below;
 * docs/electrons.md). "mixed" means no clear bulk — at least `mixedFraction` of the values on each side — which
 * no consistent solution produces and signals a failed or degenerate fit. Values exactly ½ sit on both branches
 * and are not counted; non-finite values (unconstrained bins) are ignored; "none" if nothing is left.
 */
export type Branch = 'low' | 'high' | 'mixed' | 'none';

export interface BranchCount {
  branch: Branch;
  /** Values below and above ½ (finite, ≠ ½). */
  below: number;
  above: number;
}

export function branchCount(eps: ArrayLike<number>, mixedFraction = 0.25): BranchCount {
  let below = 0;
  let above = 0;
  for (let k = 0; k < eps.length; k++) {
    const e = eps[k]!;
    if (!Number.isFinite(e)) continue;
    if (e < 0.5) below++;
    else if (e > 0.5) above++;
  }
  const n = below + above;
  let branch: Branch;
  if (n === 0) branch = 'none';
  else if (Math.min(below, above) >= mixedFraction * n) branch = 'mixed';
  else branch = below > above ? 'low' : 'high'; // the side holding the median
  return { branch, below, above };
}

export function branchOf(eps: ArrayLike<number>, mixedFraction = 0.25): Branch {
  return branchCount(eps, mixedFraction).branch;
}
