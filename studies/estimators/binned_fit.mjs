#!/usr/bin/env node
// An external estimator for qmisid-bench, written as a user would: plain Node, no bench code imported.
// It reads the toy's sample through the manifest (docs/open-bench.md, "The external protocol"), fits one
// flip rate per (|eta|, pT) bin by maximising the Poisson likelihood of same-charge pair counts,
//   S_ij ~ Poisson(N_ij p_ij),  p_ij = e_i + e_j - 2 e_i e_j,
// with Newton steps in e (step halving keeps every e in (0, 1/2)), and writes per-electron rates (the rate
// of the electron's bin) with their inverse-Hessian errors.
//
// manifest.config: { "maxIterations": 100, "fail": false } ("fail": true exits 3, for the bench's tests).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const manifestPath = process.argv[process.argv.length - 1];
const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
const cfg = m.config ?? {};
if (cfg.fail) {
  process.stderr.write('binned_fit.mjs: failing on purpose (config.fail)\n');
  process.exit(3);
}
const col = (name) => {
  const buf = readFileSync(join(dirname(manifestPath), m.raw[name]));
  return new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
};
const [pt1, eta1, pt2, eta2, sc, w] = ['pt1', 'eta1', 'pt2', 'eta2', 'sc', 'w'].map(col);
const { eta: etaEdges, pt: ptEdges } = m.binning;
const nPt = ptEdges.length - 1;
const K = (etaEdges.length - 1) * nPt;
const find = (edges, x) => {
  if (!(x >= edges[0] && x < edges[edges.length - 1])) return -1;
  let i = 0;
  while (x >= edges[i + 1]) i++;
  return i;
};
const binOf = (pt, eta) => {
  const ie = find(etaEdges, Math.abs(eta));
  const ip = find(ptEdges, pt);
  return ie < 0 || ip < 0 ? -1 : ie * nPt + ip;
};

// Weighted pair counts N (all events) and S (same charge) per unordered bin pair.
const b1 = new Int32Array(m.n);
const b2 = new Int32Array(m.n);
const N = new Map();
const S = new Map();
for (let i = 0; i < m.n; i++) {
  b1[i] = binOf(pt1[i], eta1[i]);
  b2[i] = binOf(pt2[i], eta2[i]);
  if (b1[i] < 0 || b2[i] < 0) continue;
  const key = Math.min(b1[i], b2[i]) * K + Math.max(b1[i], b2[i]);
  N.set(key, (N.get(key) ?? 0) + w[i]);
  if (sc[i] === 1) S.set(key, (S.get(key) ?? 0) + w[i]);
}
const pairs = [...N.keys()].map((key) => ({ i: Math.floor(key / K), j: key % K, n: N.get(key), s: S.get(key) ?? 0 }));
const used = new Set(pairs.flatMap((p) => [p.i, p.j]));

// A pair's terms with p = 0 and s = 0 vanish (the rate's best value is 0 there); p = 0 with s > 0 is +inf.
const ratio = (s, p) => (s === 0 ? 0 : s / p);
function nll(e) {
  let f = 0;
  for (const { i, j, n, s } of pairs) {
    const p = i === j ? 2 * e[i] * (1 - e[i]) : e[i] + e[j] - 2 * e[i] * e[j];
    if (s !== 0 && !(p > 0)) return Infinity;
    f += n * p - (s !== 0 ? s * Math.log(p) : 0);
  }
  return f;
}
function derivatives(e) {
  const g = new Float64Array(K);
  const H = Array.from({ length: K }, () => new Float64Array(K));
  for (const { i, j, n, s } of pairs) {
    if (i === j) {
      const p = 2 * e[i] * (1 - e[i]);
      const dp = 2 - 4 * e[i];
      const r = n - ratio(s, p);
      const c = ratio(ratio(s, p), p);
      g[i] += r * dp;
      H[i][i] += c * dp * dp - 4 * r;
    } else {
      const p = e[i] + e[j] - 2 * e[i] * e[j];
      const r = n - ratio(s, p);
      const c = ratio(ratio(s, p), p);
      const di = 1 - 2 * e[j];
      const dj = 1 - 2 * e[i];
      g[i] += r * di;
      g[j] += r * dj;
      H[i][i] += c * di * di;
      H[j][j] += c * dj * dj;
      const off = c * di * dj - 2 * r;
      H[i][j] += off;
      H[j][i] += off;
    }
  }
  return { g, H };
}
// Solve A x = b (Gauss-Jordan with partial pivoting) on the bins in idx only.
function solve(A, b, idx) {
  const n = idx.length;
  const M = idx.map((r, a) => [...idx.map((c) => A[r][c]), b[a]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    const d = M[c][c];
    if (!(Math.abs(d) > 0)) return null;
    for (let k = c; k <= n; k++) M[c][k] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c];
      if (f !== 0) for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row) => row[n]);
}

// Coordinate descent: -ln L is convex in each rate with the others fixed (p is linear in it, n p - s ln p is
// convex in p), so each rate in turn goes to the root of its derivative in [0, 1/2) by bisection, or to 0
// when the derivative is already positive there (no same-charge pair pulls it up). Sweeps repeat until no
// rate moves by more than 1e-12 relative.
const idx = [...used].sort((a, b) => a - b);
const e = new Float64Array(K).fill(NaN);
for (const k of idx) e[k] = 0.01;
const pairsOf = Array.from({ length: K }, () => []);
for (const q of pairs) {
  pairsOf[q.i].push(q);
  if (q.j !== q.i) pairsOf[q.j].push(q);
}
function grad1(k, x) {
  let g = 0;
  for (const { i, j, n, s } of pairsOf[k]) {
    if (i === j) {
      const p = 2 * x * (1 - x);
      g += (n - ratio(s, p)) * (2 - 4 * x);
    } else {
      const o = e[i === k ? j : i];
      const p = x + o - 2 * x * o;
      if (s > 0 && !(p > 0)) return -Infinity;
      g += (n - ratio(s, p)) * (1 - 2 * o);
    }
  }
  return g;
}
let status = 'notConverged';
let iterations = 0;
for (; iterations < (cfg.maxIterations ?? 500); iterations++) {
  let moved = 0;
  for (const k of idx) {
    let x;
    if (grad1(k, 0) >= 0) x = 0;
    else {
      let lo = 0;
      let hi = 0.5 - 1e-12;
      for (let h = 0; h < 100 && hi - lo > 1e-15 * Math.max(lo, 1e-300); h++) {
        const mid = 0.5 * (lo + hi);
        if (grad1(k, mid) < 0) lo = mid;
        else hi = mid;
      }
      x = 0.5 * (lo + hi);
    }
    moved = Math.max(moved, Math.abs(x - e[k]) / Math.max(x, 1e-300));
    e[k] = x;
  }
  if (moved < 1e-12) {
    status = 'ok';
    break;
  }
}
const f = nll(e);
// Errors: sqrt of the diagonal of the inverse Hessian of the free rates at the minimum.
const err = new Float64Array(K).fill(NaN);
const { H } = derivatives(e);
const inner = idx.filter((k) => e[k] > 0);
inner.forEach((k, a) => {
  const col = solve(
    H,
    inner.map((_, b) => (b === a ? 1 : 0)),
    inner,
  );
  if (col && col[a] > 0) err[k] = Math.sqrt(col[a]);
});
// Identifiability: a connected set of bins whose pairing graph has no odd cycle (2-colourable, no pair of two
// electrons in one bin) leaves the flat direction e_A + d, e_B - d (method eq. 5): flag it rather than answer.
const colour = new Map();
let bipartite = 0;
for (const start of used) {
  if (colour.has(start)) continue;
  colour.set(start, 0);
  const queue = [start];
  let odd = false;
  while (queue.length > 0) {
    const a = queue.pop();
    for (const { i, j } of pairs) {
      if (i !== a && j !== a) continue;
      if (i === j) odd = true;
      const b = i === a ? j : i;
      if (!colour.has(b)) {
        colour.set(b, 1 - colour.get(a));
        queue.push(b);
      } else if (colour.get(b) === colour.get(a)) odd = true;
    }
  }
  if (!odd) bipartite++;
}
const out = {
  eps1: [],
  eps2: [],
  eps1_sd: [],
  eps2_sd: [],
  status,
  diagnostics: { iterations, nll: f, flagged: bipartite > 0, bipartiteComponents: bipartite },
};
const put = (b, key, sdKey) => {
  const ok = b >= 0 && Number.isFinite(e[b]);
  out[key].push(ok ? e[b] : null);
  out[sdKey].push(ok && Number.isFinite(err[b]) ? err[b] : null);
};
for (let i = 0; i < m.n; i++) {
  put(b1[i], 'eps1', 'eps1_sd');
  put(b2[i], 'eps2', 'eps2_sd');
}
writeFileSync(m.output, JSON.stringify(out));
