/**
 * The damped Newton minimiser of an ε objective (−ln L as a function of the per-bin ε with analytic
 * derivatives), shared by the standard binned fit (fitBinned) and the forward-folded fit (fitFolded).
 *
 * Steps: damped Newton in θ = logit(2ε) → Hessian of −ln L in ε space → covariance (ΔlnL = ½) and sandwich
 * covariance → identifiability (pairing graph + Hessian eigen-diagnostics) → branch.
 *
 * Why Newton: K ≤ ~40 and the gradient and Hessian are analytic and cheap (one pass over ≤ K(K+1)/2 pairs),
 * so a Newton step costs a K×K Cholesky and converges quadratically to machine precision in ~10 steps —
 * far tighter than a quasi-Newton's ftol stop, which matters when comparing errors at 1e-5. Damping
 * (Levenberg–Marquardt on the diagonal) and a backtracking line search keep it descending where the Hessian
 * is indefinite far from the minimum or singular (flat directions).
 *
 * Why θ = logit(2ε), i.e. ε = ½ sigmoid(θ): it keeps every ε in (0, ½), the physical branch of the exact
 * symmetry ε ↔ 1 − ε (eq. 3), so the fit lands on ε < ½ by construction and reports it (`branch`).
 */

import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { branchOf, type Branch } from '../identifiability/branchOf.js';
import { hessianDiagnostics, type HessianDiagnostics } from '../identifiability/hessianDiagnostics.js';
import { pairingGraphFromEdges, describeFlatComponent, type PairingGraph } from '../identifiability/pairingGraph.js';
import type { NllDerivatives } from './binnedLikelihood.js';

export type BinStatus = 'fitted' | 'zero' | 'empty' | 'flat';

export interface BinnedFitOptions {
  /** Bin labels for reports (length K). */
  labels?: readonly string[];
  /** Newton iteration limit (default 200). */
  maxIterations?: number;
  /** Relative scaled-Hessian eigenvalue below which a direction is flat (default 1e-8, see hessianDiagnostics). */
  flatThreshold?: number;
  /** Starting ε per bin (default: half the same-charge fraction of the bin's pairs). */
  start?: ArrayLike<number>;
  /** Name of the data source, for error messages. */
  source?: string;
}

export interface BinnedFitResult {
  status: 'converged' | 'failed';
  reason?: string;
  K: number;
  labels: string[];
  /** Fitted ε per bin; NaN for an empty bin. */
  eps: Float64Array;
  /** Inverse-Hessian error (ΔlnL = ½); one-sided for `zero` bins; NaN for `empty` and `flat` bins. */
  err: Float64Array;
  /** Sandwich error (correct for weighted events); same conventions as `err`. */
  errSandwich: Float64Array;
  /** Inverse Hessian (K×K); pseudo-inverse over the identified directions when some are flat. */
  cov: number[][];
  covSandwich: number[][];
  /** Hessian of −ln L in ε space at the result (K×K; rows of non-fitted bins are 0). */
  hessian: number[][];
  binStatus: BinStatus[];
  iterations: number;
  /** −ln L = Σ_pairs (N p − S ln p) at the result (no constant). */
  nll: number;
  /** ∂(−ln L)/∂ε per bin (positive at `zero` bins: the boundary is the maximum). */
  gradient: Float64Array;
  /** Euclidean norm of the gradient over the fitted bins. */
  gradientNorm: number;
  branch: Branch;
  identifiability: {
    /**
     * Every populated component of the pairing graph has an odd cycle and the Hessian has no flat direction.
     * Empty bins (no events: e.g. the crack when the selection removes it) do not clear it; see emptyBins.
     */
    identifiable: boolean;
    /** Populated bipartite components of the pairing graph (each leaves one exactly flat direction). */
    bipartiteComponents: number;
    /** Bins without any events: unconstrained, reported apart from the identifiability alarm. */
    emptyBins: number[];
    graph: PairingGraph;
    hessian: HessianDiagnostics;
    /** One line per problem: bipartite components (flat pattern from the colouring), flat Hessian directions. */
    notes: string[];
  };
  counts: {
    nEvents: number;
    sumW: number;
    pairs: number;
    droppedPairs: { i: number; j: number; n: number }[];
    clampedPairs: { i: number; j: number; s: number }[];
    /** Filled by fitBinnedTable: events/electrons outside the binning (dropped). */
    eventsOutside?: number;
    electronsOutside?: number;
  };
}

// ε = ½ sigmoid(θ), computed without overflow for any θ.
function epsOf(theta: number): number {
  return theta >= 0 ? 0.5 / (1 + Math.exp(-theta)) : (0.5 * Math.exp(theta)) / (1 + Math.exp(theta));
}

function thetaOf(eps: number): number {
  return Math.log((2 * eps) / (1 - 2 * eps));
}

function sub(full: Float64Array, K: number, idx: readonly number[]): Matrix {
  const m = idx.length;
  const out = new Matrix(m, m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) out.set(a, b, full[idx[a]! * K + idx[b]!]!);
  return out;
}

/**
 * −ln L as a function of the per-bin ε with its analytic derivatives: what the Newton minimiser, the
 * covariance and the identifiability report need. The binned fit (binnedLikelihood) is one; the forward-folded
 * fit (foldedLikelihood) another. A bin the caller marks `empty` holds NaN and must not enter the likelihood.
 */
export interface EpsObjective {
  K: number;
  nll(eps: Float64Array): number;
  /** `withMeat`: also the sandwich meat (the minimiser asks for it only at the result, where it may be costly). */
  derivatives(eps: Float64Array, withMeat?: boolean): NllDerivatives;
  /** Populated bin pairs: the edges of the pairing graph. */
  edges: [number, number][];
}

/**
 * Minimise an ε objective (steps 3–5 above): damped Newton in θ = logit(2ε) from `start` (ε per bin; NaN for
 * empty bins, 0 for bins fixed at zero), covariance and sandwich, identifiability, branch. `binStatus` gives
 * the starting roles ('fitted' | 'zero' | 'empty') and is updated in place.
 */
export function fitEpsObjective(
  obj: EpsObjective,
  binStatus: BinStatus[],
  start: Float64Array,
  counts: BinnedFitResult['counts'],
  opts: BinnedFitOptions = {},
): BinnedFitResult {
  const K = obj.K;
  const labels = opts.labels ? [...opts.labels] : Array.from({ length: K }, (_, k) => `bin ${k}`);
  const maxIter = opts.maxIterations ?? 200;
  const eps = Float64Array.from(start);
  let free = binStatus.flatMap((s, k) => (s === 'fitted' ? [k] : []));
  let theta = Float64Array.from(free, (k) => thetaOf(eps[k]!));
  const setEps = (th: Float64Array, into: Float64Array): void => {
    free.forEach((k, a) => (into[k] = epsOf(th[a]!)));
  };
  // NaN for empty bins never enters the likelihood: it only reads bins with kept pairs.
  let status: BinnedFitResult['status'] = 'converged';
  let reason: string | undefined;
  let nll = obj.nll(eps);
  let iterations = 0;
  if (!Number.isFinite(nll)) {
    status = 'failed';
    reason = `−ln L not finite at the start (${nll})`;
  }

  // 3. Damped Newton in θ. A bin driven below ε = 1e-10 with ∂(−ln L)/∂ε > 0 has its maximum on the boundary
  //    ε = 0 (θ would run to −∞ one unit per step): it is fixed there (status 'zero') and the rest refitted.
  let mu = 0;
  let converged = free.length === 0;
  const trial = new Float64Array(K);
  while (status === 'converged' && !converged && iterations < maxIter) {
    iterations++;
    const d = obj.derivatives(eps);
    const atBoundary = free.filter((k) => eps[k]! < 1e-10 && d.grad[k]! > 0);
    if (atBoundary.length > 0) {
      for (const k of atBoundary) {
        binStatus[k] = 'zero';
        eps[k] = 0;
      }
      free = free.filter((k) => binStatus[k] === 'fitted');
      theta = Float64Array.from(free, (k) => thetaOf(eps[k]!));
      nll = obj.nll(eps);
      mu = 0;
      converged = free.length === 0;
      continue;
    }
    const m = free.length;
    const g = new Float64Array(m);
    const H = new Matrix(m, m);
    for (let a = 0; a < m; a++) {
      const ka = free[a]!;
      const ea = eps[ka]!;
      const ja = ea * (1 - 2 * ea); // dε/dθ
      g[a] = d.grad[ka]! * ja;
      for (let b = 0; b <= a; b++) {
        const kb = free[b]!;
        const eb = eps[kb]!;
        const v = d.hess[ka * K + kb]! * ja * (eb * (1 - 2 * eb));
        H.set(a, b, v);
        H.set(b, a, v); // exactly symmetric: the Cholesky refuses anything else
      }
      // Chain-rule term g_ε · d²ε/dθ², with d²ε/dθ² = dε/dθ (1 − 4ε).
      H.set(a, a, H.get(a, a) + d.grad[ka]! * ja * (1 - 4 * ea));
    }
    // Solve (H + μ diag|H|) δ = −g, raising μ until the matrix is positive definite.
    let step: Float64Array | undefined;
    for (let tries = 0; tries < 60; tries++) {
      const A = H.clone();
      for (let a = 0; a < m; a++) A.set(a, a, H.get(a, a) + mu * Math.max(Math.abs(H.get(a, a)), 1e-12));
      const chol = new CholeskyDecomposition(A);
      if (chol.isPositiveDefinite()) {
        const x = chol.solve(Matrix.columnVector(Array.from(g, (v) => -v)));
        step = Float64Array.from({ length: m }, (_, a) => x.get(a, 0));
        if (step.every(Number.isFinite)) break;
      }
      step = undefined;
      mu = mu === 0 ? 1e-10 : mu * 10;
    }
    if (!step) {
      status = 'failed';
      reason = `no positive-definite damped Newton system at iteration ${iterations}`;
      break;
    }
    const decrement = -step.reduce((s, v, a) => s + v * g[a]!, 0);
    const maxStep = step.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
    if (decrement < 1e-20 * Math.max(1, Math.abs(nll)) || maxStep < 1e-12) {
      converged = true;
      break;
    }
    // Backtracking line search (Armijo). In the quadratic regime the expected decrease is below the
    // rounding of −ln L, so the full step is taken as it is (Newton's own convergence guarantee).
    const roundoff = 1e-13 * Math.max(1, Math.abs(nll));
    let t = 1;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      const th = Float64Array.from(theta, (v, a) => v + t * step![a]!);
      trial.set(eps);
      setEps(th, trial);
      const f = obj.nll(trial);
      if (Number.isFinite(f) && (f <= nll - 1e-4 * t * decrement || (decrement < roundoff && f <= nll + roundoff))) {
        theta.set(th);
        eps.set(trial);
        nll = f;
        accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) {
      if (decrement < 1e3 * roundoff) {
        converged = true; // no representable improvement left
        break;
      }
      mu = mu === 0 ? 1e-6 : mu * 10;
      continue;
    }
    mu = t === 1 ? (mu < 1e-12 ? 0 : mu / 10) : mu;
  }
  if (status === 'converged' && !converged) {
    status = 'failed';
    reason = `iteration limit ${maxIter} reached`;
  }
  const nearHalf = free.filter((k) => eps[k]! > 0.5 - 1e-9);
  if (status === 'converged' && nearHalf.length > 0) {
    status = 'failed';
    reason = `ε at the ½ boundary for bins ${nearHalf.join(', ')} (same-charge fraction ≥ ½?)`;
  }

  // 4. Curvature and covariance in ε space.
  const fin = obj.derivatives(eps, true);
  nll = fin.nll;
  const Hf = sub(fin.hess, K, free);
  const Mf = sub(fin.meat, K, free);
  const hessDiag = hessianDiagnostics(Hf.to2DArray(), labels, { threshold: opts.flatThreshold ?? 1e-8, bins: free });
  const covFree = symmetric(hessDiag.flat.length === 0 ? inverseSpd(Hf) : pseudoInverseScaled(Hf, hessDiag.threshold));
  const covSFree = symmetric(covFree.mmul(Mf).mmul(covFree));
  for (const dir of hessDiag.flat) {
    dir.direction.forEach((v, a) => {
      if (Math.abs(v) > 0.01) binStatus[free[a]!] = 'flat';
    });
  }
  // 5a. The pairing graph decides identifiability whatever the minimiser did. In a populated bipartite
  //     component only u_i + u_j (u = ln(1 − 2ε)) is measured (pairingGraph.ts), so every bin of it is 'flat'
  //     with NaN errors — also when Newton slid one of its bins to ε = 0 and pinned it there, after which the
  //     Hessian over the remaining bins has no flat direction left and would report precise, arbitrary values.
  const graph = pairingGraphFromEdges(K, obj.edges);
  const bipartite = graph.components.filter((c) => c.bipartite && !c.empty);
  const pinnedInBipartite: number[] = [];
  for (const c of bipartite) {
    for (const b of c.bins) {
      if (binStatus[b] === 'zero') pinnedInBipartite.push(b);
      if (binStatus[b] !== 'empty') binStatus[b] = 'flat';
    }
  }
  const err = new Float64Array(K).fill(NaN);
  const errSandwich = new Float64Array(K).fill(NaN);
  const cov = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const covSandwich = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  free.forEach((ka, a) =>
    free.forEach((kb, b) => {
      // A flat bin's row of the (pseudo-)inverse describes one arbitrary point of its valley: NaN, not a number.
      const flat = binStatus[ka] === 'flat' || binStatus[kb] === 'flat';
      cov[ka]![kb] = flat ? NaN : covFree.get(a, b);
      covSandwich[ka]![kb] = flat ? NaN : covSFree.get(a, b);
    }),
  );
  for (let k = 0; k < K; k++) {
    if (binStatus[k] === 'fitted') {
      err[k] = Math.sqrt(Math.max(cov[k]![k]!, 0));
      errSandwich[k] = Math.sqrt(Math.max(covSandwich[k]![k]!, 0));
    } else if (binStatus[k] === 'zero') {
      // ΔlnL = ½ along ε_k with −ln L linear in ε_k at the boundary: δ = ½ / slope.
      const slope = fin.grad[k]!;
      err[k] = slope > 0 && Number.isFinite(slope) ? 0.5 / slope : NaN;
      errSandwich[k] = err[k]!;
      cov[k]![k] = err[k]! * err[k]!;
      covSandwich[k]![k] = cov[k]![k]!;
    }
  }
  const hessian = Array.from({ length: K }, (_, i) =>
    Array.from({ length: K }, (_, j) =>
      binStatus[i] !== 'empty' && binStatus[j] !== 'empty' && binStatus[i] !== 'zero' && binStatus[j] !== 'zero' ? fin.hess[i * K + j]! : 0,
    ),
  );
  const gradientNorm = Math.hypot(...free.map((k) => fin.grad[k]!));

  // 5. Identifiability: the pairing graph and the Hessian must tell the same story. A bin with no events is
  //    unconstrained but harms nothing else (it is 'empty', listed in emptyBins); the headline flag is about
  //    populated components only, so it stays an alarm with the crack bins empty in every default fit.
  const notes: string[] = [];
  for (const c of graph.components) {
    if (c.empty) notes.push(`empty: ${describeFlatComponent(c, labels)}`);
    else if (c.bipartite) notes.push(`bipartite pairing, flat direction: ${describeFlatComponent(c, labels)}`);
  }
  if (pinnedInBipartite.length > 0)
    notes.push(
      `bins ${pinnedInBipartite.join(', ')} slid to ε = 0 along a bipartite flat direction: the value is the minimiser's, not the data's`,
    );
  for (const f of hessDiag.flat) notes.push(`flat Hessian direction (λ/λmax = ${f.relative.toExponential(2)}): ${f.description}`);
  const emptyBins = graph.components.filter((c) => c.empty).map((c) => c.bins[0]!);
  return {
    status,
    ...(reason != null ? { reason } : {}),
    K,
    labels,
    eps,
    err,
    errSandwich,
    cov,
    covSandwich,
    hessian,
    binStatus,
    iterations,
    nll,
    gradient: Float64Array.from(fin.grad, (v, k) => (binStatus[k] === 'empty' ? 0 : v)),
    gradientNorm,
    branch: branchOf(eps),
    identifiability: {
      identifiable: bipartite.length === 0 && hessDiag.flat.length === 0,
      bipartiteComponents: bipartite.length,
      emptyBins,
      graph,
      hessian: hessDiag,
      notes,
    },
    counts,
  };
}

// (A + Aᵀ)/2: solves and products leave rounding-level asymmetry that downstream Cholesky calls reject.
function symmetric(A: Matrix): Matrix {
  return A.clone().add(A.transpose()).mul(0.5);
}

function inverseSpd(H: Matrix): Matrix {
  const m = H.rows;
  if (m === 0) return new Matrix(0, 0);
  const chol = new CholeskyDecomposition(H);
  if (chol.isPositiveDefinite()) return chol.solve(Matrix.eye(m, m));
  return pseudoInverseScaled(H, 0);
}

// Pseudo-inverse in the diagonally scaled space: the covariance of the identified combinations.
function pseudoInverseScaled(H: Matrix, threshold: number): Matrix {
  const m = H.rows;
  const s = Array.from({ length: m }, (_, a) => (H.get(a, a) > 0 ? 1 / Math.sqrt(H.get(a, a)) : 0));
  const S = new Matrix(m, m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) S.set(a, b, H.get(a, b) * s[a]! * s[b]!);
  const evd = new EigenvalueDecomposition(S, { assumeSymmetric: true });
  const lam = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  const lmax = Math.max(...lam);
  const out = new Matrix(m, m);
  lam.forEach((l, q) => {
    if (!(l > Math.max(threshold, 1e-14) * lmax)) return;
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) out.set(a, b, out.get(a, b) + (V.get(a, q) * V.get(b, q) * s[a]! * s[b]!) / l);
  });
  return out;
}
