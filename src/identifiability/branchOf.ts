/**
 * Which branch of the exact symmetry ε ↔ 1 − ε (f(φ1, φ2) = f(−φ1, −φ2), eq. 3) a set of rates lies on.
 * The physical branch is ε < ½ for every electron; "mixed" means values on both sides, which no consistent
 * solution of the symmetry produces and signals a failed or degenerate fit. Values exactly ½ sit on both
 * branches and are not counted; non-finite values (unconstrained bins) are ignored; "none" if nothing is left.
 */
export type Branch = 'low' | 'high' | 'mixed' | 'none';

export function branchOf(eps: ArrayLike<number>): Branch {
  let below = 0;
  let above = 0;
  for (let k = 0; k < eps.length; k++) {
    const e = eps[k]!;
    if (!Number.isFinite(e)) continue;
    if (e < 0.5) below++;
    else if (e > 0.5) above++;
  }
  if (below > 0 && above > 0) return 'mixed';
  if (above > 0) return 'high';
  if (below > 0) return 'low';
  return 'none';
}
