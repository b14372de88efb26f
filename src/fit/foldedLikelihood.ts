/**
 * −ln L of the forward-folded charge-flip model (fitFolded.ts) and its analytic derivatives in ε space.
 *
 * Expected same-charge yield of reco cell c (an unordered bin pair in the fit window):
 *   μ_c = Σ_t V_t · h(ε_{a_t}, ε_{b_t})      over the migration triplets t = ((a, b) → c) of flipMigration,
 * a = bin of the flipped leg, b = the other leg. h is the probability that exactly that leg flips (eq. 1 split
 * by leg), per parent:
 *   parents 'all': h(x, y) = x (1 − y)
 *   parents 'oc':  h(x, y) = x (1 − y) / q(x, y),  q = (1 − x)(1 − y) + x y = 1 − p  (an OC event stands for
 *                  1/(1 − p) parents: it survived as OC either unflipped or flipped twice)
 * With R = 1 the two legs of a parent in cell (i, j) add up to N_ij (ε_i + ε_j − 2ε_iε_j): the binned model.
 *   −ln L = Σ_c [ μ_c − S_c ln μ_c ]
 * over the cells the folding reaches (μ_c > 0); a cell with observed S_c > 0 that no parent reaches carries no
 * information on ε and is left out (fitFolded counts it).
 *   ∂(−ln L) = Σ_c r_c ∇μ_c,  r_c = 1 − S_c/μ_c
 *   ∂²(−ln L) = Σ_c [ r_c ∇²μ_c + (S_c/μ_c²) ∇μ_c ∇μ_cᵀ ]
 *
 * Sandwich "meat": the events are points of a Poisson process, and each one enters both as a parent (through
 * μ) and as an observation (through S). Linearising the score around the truth (where r_c ≈ 0) gives the
 * influence of event e:
 *   u_e = Σ_c g_c α_{e,c},  g_c = ∇μ_c / μ_c,
 *   α_{e,c} = w_e Σ_ℓ h_ℓ(ε) n_{e,ℓ,c}/M  (as a parent: its share of μ_c)  −  w_e [e is a same-charge
 *             observation in c]
 * and M = Σ_e u_e u_eᵀ = Gᵀ (Σ_e α_e α_eᵀ) G with G the cells × K matrix of the g_c. For R = 1 and parents
 * 'all' this is the binned fit's w (1 − sc/p) ∇p.
 */
import type { NllDerivatives } from './binnedLikelihood.js';
import type { FlipMigration, ParentMode } from './flipMigration.js';

/** h and its first and second derivatives in (x, y) = (ε of the flipped leg, ε of the other leg). */
export interface ParentTerm {
  h: number;
  hx: number;
  hy: number;
  hxx: number;
  hxy: number;
  hyy: number;
}

export function parentTerm(mode: ParentMode, x: number, y: number): ParentTerm {
  // n = x (1 − y): n_x = 1 − y, n_y = −x, n_xy = −1, n_xx = n_yy = 0.
  const n = x * (1 - y);
  const nx = 1 - y;
  const ny = -x;
  if (mode === 'all') return { h: n, hx: nx, hy: ny, hxx: 0, hxy: -1, hyy: 0 };
  // u = 1/q with q = 1 − x − y + 2xy: q_x = 2y − 1, q_y = 2x − 1, q_xy = 2, q_xx = q_yy = 0.
  const q = 1 - x - y + 2 * x * y;
  const qx = 2 * y - 1;
  const qy = 2 * x - 1;
  const u = 1 / q;
  const ux = -qx * u * u;
  const uy = -qy * u * u;
  const uxx = 2 * qx * qx * u * u * u;
  const uyy = 2 * qy * qy * u * u * u;
  const uxy = (2 * qx * qy - 2 * q) * u * u * u;
  return {
    h: n * u,
    hx: nx * u + n * ux,
    hy: ny * u + n * uy,
    hxx: 2 * nx * ux + n * uxx,
    hxy: -u + nx * uy + ny * ux + n * uxy,
    hyy: 2 * ny * uy + n * uyy,
  };
}

// NaN marks an empty bin (no parent flips into the window from it): it enters as ε = 0.
function safe(eps: Float64Array): Float64Array {
  return Float64Array.from(eps, (v) => (Number.isNaN(v) ? 0 : v));
}

/** μ_c per cell. */
export function foldedYields(eps: Float64Array, mig: FlipMigration): Float64Array {
  const e = safe(eps);
  const mu = new Float64Array(mig.cellI.length);
  for (let t = 0; t < mig.tV.length; t++) mu[mig.tC[t]!] += mig.tV[t]! * parentTerm(mig.parents, e[mig.tA[t]!]!, e[mig.tB[t]!]!).h;
  return mu;
}

/** −ln L at ε (cells with μ_c = 0 are left out whatever S_c: see above). */
export function foldedNll(eps: Float64Array, mig: FlipMigration): number {
  const mu = foldedYields(eps, mig);
  let f = 0;
  for (let c = 0; c < mu.length; c++) {
    const m = mu[c]!;
    if (!(m > 0)) {
      if (m < 0 || Number.isNaN(m)) return Infinity;
      continue;
    }
    f += m;
    const s = mig.s[c]!;
    if (s !== 0) f -= s * Math.log(m);
  }
  return f;
}

export function foldedNllDerivatives(eps: Float64Array, mig: FlipMigration, withMeat = false): NllDerivatives {
  const K = mig.K;
  const e = safe(eps);
  const nc = mig.cellI.length;
  const mu = new Float64Array(nc);
  const dmu = new Float64Array(nc * K); // ∇μ_c, row per cell
  const terms: ParentTerm[] = [];
  for (let t = 0; t < mig.tV.length; t++) {
    const a = mig.tA[t]!;
    const b = mig.tB[t]!;
    const c = mig.tC[t]!;
    const v = mig.tV[t]!;
    const h = parentTerm(mig.parents, e[a]!, e[b]!);
    terms.push(h);
    mu[c] += v * h.h;
    dmu[c * K + a] += v * h.hx;
    dmu[c * K + b] += v * h.hy;
  }
  let nll = 0;
  const r = new Float64Array(nc);
  const grad = new Float64Array(K);
  const hess = new Float64Array(K * K);
  for (let c = 0; c < nc; c++) {
    const m = mu[c]!;
    if (!(m > 0)) continue;
    const s = mig.s[c]!;
    nll += m - (s !== 0 ? s * Math.log(m) : 0);
    r[c] = 1 - s / m;
    const cw = s / (m * m);
    const row = c * K;
    for (let k = 0; k < K; k++) {
      const gk = dmu[row + k]!;
      if (gk === 0) continue;
      grad[k] += r[c]! * gk;
      if (cw === 0) continue;
      for (let l = 0; l < K; l++) {
        const gl = dmu[row + l]!;
        if (gl !== 0) hess[k * K + l] += cw * gk * gl;
      }
    }
  }
  // r_c ∇²μ_c, per triplet: x = ε_a, y = ε_b (a = b adds all four terms to the same entry, as it must).
  for (let t = 0; t < mig.tV.length; t++) {
    const c = mig.tC[t]!;
    if (!(mu[c]! > 0)) continue;
    const a = mig.tA[t]!;
    const b = mig.tB[t]!;
    const f = r[c]! * mig.tV[t]!;
    const h = terms[t]!;
    hess[a * K + a] += f * h.hxx;
    hess[b * K + b] += f * h.hyy;
    hess[a * K + b] += f * h.hxy;
    hess[b * K + a] += f * h.hxy;
  }
  // Exactly symmetric (the products above round differently in the two orders; Cholesky refuses asymmetry).
  for (let k = 0; k < K; k++)
    for (let l = k + 1; l < K; l++) {
      const v = 0.5 * (hess[k * K + l]! + hess[l * K + k]!);
      hess[k * K + l] = v;
      hess[l * K + k] = v;
    }
  const meat = withMeat ? foldedMeat(e, mig, mu, dmu) : new Float64Array(K * K);
  return { nll, grad, hess, meat };
}

/** Σ_e u_e u_eᵀ = Gᵀ A G with A = Σ_e α_e α_eᵀ (cells × cells), see the header. */
function foldedMeat(e: Float64Array, mig: FlipMigration, mu: Float64Array, dmu: Float64Array): Float64Array {
  const K = mig.K;
  const nc = mig.cellI.length;
  const A = new Float64Array(nc * nc);
  const ev = mig.events;
  const M = mig.replicas;
  const idx: number[] = [];
  const val: number[] = [];
  for (let q = 0; q < ev.w.length; q++) {
    idx.length = 0;
    val.length = 0;
    const w = ev.w[q]!;
    const add = (c: number, x: number): void => {
      if (!(mu[c]! > 0)) return;
      const at = idx.indexOf(c);
      if (at >= 0) val[at] += x;
      else {
        idx.push(c);
        val.push(x);
      }
    };
    if (ev.parent[q]) {
      const b1 = ev.bin1[q]!;
      const b2 = ev.bin2[q]!;
      for (let leg = 0; leg < 2; leg++) {
        const from = ev.offsets[2 * q + leg]!;
        const to = ev.offsets[2 * q + leg + 1]!;
        if (from === to) continue;
        const h = parentTerm(mig.parents, e[leg === 0 ? b1 : b2]!, e[leg === 0 ? b2 : b1]!).h;
        for (let z = from; z < to; z++) add(ev.landCell[z]!, (w * h * ev.landCount[z]!) / M);
      }
    }
    if (ev.obsCell[q]! >= 0) add(ev.obsCell[q]!, -w);
    for (let x = 0; x < idx.length; x++) for (let y = 0; y < idx.length; y++) A[idx[x]! * nc + idx[y]!] += val[x]! * val[y]!;
  }
  // G: g_c = ∇μ_c / μ_c.
  const G = new Float64Array(nc * K);
  for (let c = 0; c < nc; c++) if (mu[c]! > 0) for (let k = 0; k < K; k++) G[c * K + k] = dmu[c * K + k]! / mu[c]!;
  // AG (cells × K), then Gᵀ(AG).
  const AG = new Float64Array(nc * K);
  for (let c = 0; c < nc; c++)
    for (let d = 0; d < nc; d++) {
      const a = A[c * nc + d]!;
      if (a === 0) continue;
      for (let k = 0; k < K; k++) AG[c * K + k] += a * G[d * K + k]!;
    }
  const meat = new Float64Array(K * K);
  for (let c = 0; c < nc; c++)
    for (let k = 0; k < K; k++) {
      const g = G[c * K + k]!;
      if (g === 0) continue;
      for (let l = 0; l < K; l++) meat[k * K + l] += g * AG[c * K + l]!;
    }
  for (let k = 0; k < K; k++)
    for (let l = k + 1; l < K; l++) {
      const v = 0.5 * (meat[k * K + l]! + meat[l * K + k]!);
      meat[k * K + l] = v;
      meat[l * K + k] = v;
    }
  return meat;
}
