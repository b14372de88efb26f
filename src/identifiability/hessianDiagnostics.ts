/**
 * Eigen-decomposition of the Hessian of −ln L at the minimum, to find directions the data do not constrain.
 *
 * Raw eigenvalues mix scales (a bin with ε ~ 1e-5 has curvature ~N/ε, one with ε ~ 1e-2 much less), so the
 * flatness test uses the diagonally scaled Hessian S = D^{-1/2} H D^{-1/2}, D = diag(H): S has unit diagonal,
 * its eigenvalues lie in [0, K] and do not depend on the units of ε. A direction is flagged flat when
 * λ_S / λ_S,max < threshold (default 1e-8). An exact flat direction of the likelihood (bipartite pairing,
 * see pairingGraph) gives λ_S at rounding level (≲1e-12); an identified one with a weakly populated odd cycle
 * is still ~ (events on that cycle)/(events in the component) ≫ 1e-8 for any sample a fit is run on.
 * A bin with zero curvature (D_kk ≤ 0) is flat on its own.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export interface HessianDirection {
  /** Eigenvalue of the scaled Hessian S. */
  eigenvalue: number;
  /** λ_S / λ_S,max. */
  relative: number;
  /** Unit direction in ε space (D^{-1/2} v, normalised), largest component positive, indexed like the input. */
  direction: number[];
  /** e.g. "bin 3 (|η| …) up, bin 5 (|η| …) down". */
  description: string;
}

export interface HessianDiagnostics {
  /** Bin number of each row/direction component. */
  bins: number[];
  /** Eigenvalues of H itself, ascending. */
  eigenvalues: number[];
  /** Eigenvalues of the scaled Hessian S, ascending. */
  scaledEigenvalues: number[];
  /** The few smallest directions (ascending), flagged or not. */
  smallest: HessianDirection[];
  /** Directions below the threshold. */
  flat: HessianDirection[];
  threshold: number;
}

export interface HessianDiagnosticsOptions {
  threshold?: number;
  /** How many of the smallest directions to describe. */
  nSmallest?: number;
  /** Bin number of each row of H (when H is a sub-matrix over some bins); default 0..K-1. */
  bins?: readonly number[];
}

// Components of at least a quarter of the largest, largest first, at most six named ("+ n more" after).
function describe(direction: number[], labels: readonly string[] | undefined, bins: readonly number[]): string {
  const max = Math.max(...direction.map(Math.abs));
  const big = direction
    .map((v, k) => ({ v, k }))
    .filter(({ v }) => Math.abs(v) >= 0.25 * max)
    .sort((a, b) => Math.abs(b.v) - Math.abs(a.v));
  const parts = big
    .slice(0, 6)
    .map(
      ({ v, k }) =>
        `bin ${bins[k]}${labels?.[bins[k]!] ? ` (${labels[bins[k]!]})` : ''} ${v > 0 ? 'up' : 'down'}${Math.abs(v) < 0.5 * max ? ' (less)' : ''}`,
    );
  return parts.join(', ') + (big.length > 6 ? `, + ${big.length - 6} more` : '');
}

/** H as rows (K×K, symmetric); labels[b] names bin b (b from opts.bins when given). */
export function hessianDiagnostics(
  H: readonly (readonly number[])[],
  labels?: readonly string[],
  opts: HessianDiagnosticsOptions = {},
): HessianDiagnostics {
  const threshold = opts.threshold ?? 1e-8;
  const nSmallest = opts.nSmallest ?? 3;
  const K = H.length;
  const bins = opts.bins ?? Array.from({ length: K }, (_, k) => k);
  if (K === 0) return { bins: [...bins], eigenvalues: [], scaledEigenvalues: [], smallest: [], flat: [], threshold };
  const Hm = new Matrix(H.map((r) => [...r]));
  const raw = new EigenvalueDecomposition(Hm, { assumeSymmetric: true }).realEigenvalues.slice().sort((a, b) => a - b);
  const d = H.map((r, k) => r[k]!);
  const scale = d.map((x) => (x > 0 ? 1 / Math.sqrt(x) : 0));
  const S = new Matrix(K, K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) S.set(i, j, i === j ? (d[i]! > 0 ? 1 : 0) : H[i]![j]! * scale[i]! * scale[j]!);
  }
  const evd = new EigenvalueDecomposition(S, { assumeSymmetric: true });
  const lam = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  const order = lam.map((_, q) => q).sort((a, b) => lam[a]! - lam[b]!);
  const lamMax = Math.max(lam[order[K - 1]!]!, Number.MIN_VALUE);
  const dirs: HessianDirection[] = order.map((q) => {
    // Zero-curvature bins have scale 0; their flat direction is the unit vector itself.
    let v = Array.from({ length: K }, (_, k) => V.get(k, q) * (d[k]! > 0 ? scale[k]! : 1));
    const norm = Math.hypot(...v) || 1;
    v = v.map((x) => x / norm);
    const big = v.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
    if (big < 0) v = v.map((x) => -x);
    return { eigenvalue: lam[q]!, relative: lam[q]! / lamMax, direction: v, description: describe(v, labels, bins) };
  });
  return {
    bins: [...bins],
    eigenvalues: raw,
    scaledEigenvalues: order.map((q) => lam[q]!),
    smallest: dirs.slice(0, Math.min(nSmallest, K)),
    flat: dirs.filter((x) => x.relative < threshold),
    threshold,
  };
}
