/**
 * Uniqueness and degeneracy (note §1.2, eq. 4–5; physics.md "identifiability").
 *
 * Extends test/identifiability/identifiability.test.ts (Asimov data, K ≤ 7: graph test vs Hessian test) with
 *   1. an independent oracle for the graph test: a component is bipartite iff one of its 2^|C| colourings puts
 *      every edge between colours (self-loops never) — brute force, no BFS — for K ≤ 10, and the notes in
 *      words agree ("… up; … down" for a bipartite component, "odd cycle, identifiable" otherwise);
 *   2. uniqueness on sampled (not Asimov) data: with an odd cycle everywhere, fits from different starts agree;
 *   3. the degenerate case on sampled data: two fits from different starts land at different points of the
 *      flat valley with equal −ln L, and their difference is along the flagged flat eigenvector.
 * Nothing here is statistical: tolerances come from float rounding and the fit's own convergence.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Matrix, pseudoInverse } from 'ml-matrix';
import { fitBinned, type BinnedFitResult } from '../../src/fit/fitBinned.js';
import { pairCounts } from '../../src/fit/pairCounts.js';
import { describeFlatComponent, pairingGraphFromEdges } from '../../src/identifiability/pairingGraph.js';
import { toyPairs, type ToyPair } from '../fit/toyPairs.js';
import { pick } from './support/heavy.js';

const U64 = 2 ** -53;

const graphArb = fc.integer({ min: 1, max: 10 }).chain((K) => {
  const all: [number, number][] = [];
  for (let i = 0; i < K; i++) for (let j = i; j < K; j++) all.push([i, j]);
  return fc.record({ K: fc.constant(K), edges: fc.subarray(all) });
});

/** Bipartite by brute force over all 2-colourings of the component. */
function bipartiteBrute(bins: readonly number[], edges: readonly [number, number][]): boolean {
  const inC = new Set(bins);
  const es = edges.filter(([a]) => inC.has(a));
  for (let mask = 0; mask < 2 ** bins.length; mask++) {
    const col = new Map(bins.map((b, q) => [b, (mask >> q) & 1]));
    if (es.every(([a, b]) => a !== b && col.get(a) !== col.get(b))) return true;
  }
  return false;
}

/** u = ln(1 − 2ε): the data fix u_i + u_j for every populated pair (1 − 2p_ij = (1 − 2ε_i)(1 − 2ε_j)). */
const uOf = (e: number): number => Math.log1p(-2 * e);

/** ε-space distance of a fit from its stationary point along the identified directions: |H⁺ g|∞ in u units. */
function distanceToFloor(fit: BinnedFitResult): number {
  const bins = fit.binStatus.flatMap((s, k) => (s === 'fitted' || s === 'flat' ? [k] : []));
  const H = new Matrix(bins.map((a) => bins.map((b) => fit.hessian[a]![b]!)));
  const g = Matrix.columnVector(bins.map((k) => fit.gradient[k]!));
  const step = pseudoInverse(H, 1e-10).mmul(g);
  return Math.max(...bins.map((k, a) => (2 * Math.abs(step.get(a, 0))) / (1 - 2 * fit.eps[k]!)));
}

describe('identifiable ⇔ an odd cycle in every component', () => {
  it('the graph test agrees with a brute-force 2-colouring oracle, and the notes say so (K ≤ 10)', () => {
    fc.assert(
      fc.property(graphArb, ({ K, edges }) => {
        const g = pairingGraphFromEdges(K, edges);
        for (const c of g.components) {
          expect(c.bipartite).toBe(c.empty || bipartiteBrute(c.bins, edges));
          const words = describeFlatComponent(c);
          if (c.empty) expect(words).toMatch(/no events/);
          else if (c.bipartite) expect(words).toMatch(c.bins.length > 1 && edges.length > 0 ? /up(;| \(no pairing)/ : /up/);
          else expect(words).toMatch(/odd cycle, identifiable/);
        }
        expect(g.identifiable).toBe(g.components.every((c) => !c.empty && !bipartiteBrute(c.bins, edges)));
      }),
      { numRuns: pick(300, 3000) },
    );
  });
});

// A connected topology of K bins: a spanning tree (each new bin to a random earlier one) plus extra pairs.
// bipartite = true keeps every pair between the two colours; false adds one same-bin pair (an odd cycle).
const topologyArb = (bipartite: boolean) =>
  fc.integer({ min: 2, max: 7 }).chain((K) =>
    fc
      .record({
        K: fc.constant(K),
        colour: fc.array(fc.boolean(), { minLength: K - 2, maxLength: K - 2 }).map((c) => [true, false, ...c]),
        parent: fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: K, maxLength: K }),
        extra: fc.array(fc.tuple(fc.nat(K - 1), fc.nat(K - 1)), { maxLength: 6 }),
        selfBin: fc.nat(K - 1),
        eps: fc.array(fc.double({ min: 5e-3, max: 0.05, noNaN: true }), { minLength: K, maxLength: K }),
        seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        start: fc.array(fc.double({ min: -0.4, max: 0.4, noNaN: true }), { minLength: K, maxLength: K }),
        shift: fc.double({ min: 0.2, max: 0.8, noNaN: true }),
        sign: fc.constantFrom(-1, 1),
      })
      .map((t) => {
        const set = new Set<string>();
        const pairs: [number, number][] = [];
        const add = (a: number, b: number): void => {
          const [i, j] = a <= b ? [a, b] : [b, a];
          if (!set.has(`${i},${j}`)) (set.add(`${i},${j}`), pairs.push([i, j]));
        };
        for (let v = 1; v < K; v++) {
          const opp = [...Array(v).keys()].filter((u) => t.colour[u] !== t.colour[v]);
          const pool = bipartite ? opp : [...Array(v).keys()];
          add(pool[Math.floor(t.parent[v]! * pool.length)]!, v);
        }
        for (const [a, b] of t.extra) if (!bipartite || t.colour[a] !== t.colour[b]) add(a, b);
        if (!bipartite) add(t.selfBin, t.selfBin);
        return { ...t, pairs };
      }),
  );

const N_PAIR = 20_000;

describe('fits on sampled data', () => {
  it('uniqueness: with an odd cycle, fits from different starts give the same ε (to 1e-8 relative)', () => {
    fc.assert(
      fc.property(topologyArb(false), ({ K, pairs, eps, seed, start }) => {
        const data = toyPairs(
          seed,
          eps,
          pairs.map(([i, j]): ToyPair => ({ i, j, n: N_PAIR })),
        );
        const a = fitBinned(data, K);
        const b = fitBinned(data, K, { start: eps.map((e, k) => e * Math.exp(5 * start[k]!)) });
        expect(a.identifiability.identifiable).toBe(true);
        for (let k = 0; k < K; k++) {
          if (a.binStatus[k] !== 'fitted') continue;
          expect(Math.abs(b.eps[k]! / a.eps[k]! - 1)).toBeLessThan(1e-8);
        }
      }),
      { numRuns: pick(60, 500) },
    );
  });

  it('degeneracy: in a bipartite topology two fits from different starts differ along the flagged flat direction with equal −ln L', () => {
    fc.assert(
      fc.property(topologyArb(true), ({ K, colour, pairs, eps, seed, start, shift, sign }) => {
        const data = toyPairs(
          seed,
          eps,
          pairs.map(([i, j]): ToyPair => ({ i, j, n: N_PAIR })),
        );
        const a = fitBinned(data, K);
        // A bin the minimiser pinned at 0 is flagged 'flat' too (pairing graph), but the valley is then cut: skip.
        fc.pre(a.binStatus.every((s) => s === 'flat') && a.identifiability.hessian.bins.length === K);
        // Start B: A moved along the valley (u_k + c_k δ) and then off it (each ε × e^{±0.4}).
        const c = colour.map((x) => (x ? 1 : -1));
        const uA = Array.from(a.eps, uOf);
        const delta = sign * shift * Math.min(...uA.map(Math.abs));
        const startB = uA.map((u, k) => (-Math.expm1(u + c[k]! * delta) / 2) * Math.exp(start[k]!));
        const b = fitBinned(data, K, { start: startB });
        for (const f of [a, b]) {
          expect(f.status).toBe('converged');
          expect(f.identifiability.identifiable).toBe(false);
          expect(f.identifiability.hessian.flat).toHaveLength(1);
        }
        // Equal likelihood. −ln L = Σ (N p − S ln p) over P pairs: summation rounding ≤ 2P·u·Σ|terms| per
        // evaluation (twice: A and B), plus the convergence criterion of the fit (decrement < 1e-20·|−ln L|).
        const pc = pairCounts(data, K);
        let absTerms = 0;
        for (let q = 0; q < pc.n.length; q++) {
          const p = a.eps[pc.i[q]!]! + a.eps[pc.j[q]!]! - 2 * a.eps[pc.i[q]!]! * a.eps[pc.j[q]!]!;
          absTerms += Math.abs(pc.n[q]! * p) + Math.abs(pc.s[q]! * Math.log(p));
        }
        const tolNll = 2 * (2 * pc.n.length * U64 * absTerms) + 2e-20 * Math.abs(a.nll);
        expect(Math.abs(a.nll - b.nll), `ΔnLL ${a.nll - b.nll}, tolerance ${tolNll}`).toBeLessThanOrEqual(tolNll);
        // The difference, in u = ln(1 − 2ε) where the valley is a straight line, is δ·c: every pair's
        // u_i + u_j agrees (to each fit's distance from its stationary point plus rounding of u) …
        const du = Array.from(b.eps, (e, k) => uOf(e) - uA[k]!);
        const tolU = 2 * (distanceToFloor(a) + distanceToFloor(b)) + 8 * U64 * Math.max(...uA.map(Math.abs));
        for (const [i, j] of pairs) expect(Math.abs(du[i]! + du[j]!), `pair (${i}, ${j})`).toBeLessThanOrEqual(tolU);
        // … and the fits really are at different points of the valley …
        const along = du.reduce((s, d, k) => s + d * c[k]!, 0) / Math.sqrt(K);
        expect(Math.abs(along)).toBeGreaterThan(100 * tolU);
        // … along the flagged eigenvector (mapped to u: du = −2 dε/(1 − 2ε)), parallel up to the same tolerance.
        for (const f of [a, b]) {
          const d = f.identifiability.hessian.flat[0]!.direction.map((x, k) => (-2 * x) / (1 - 2 * f.eps[k]!));
          const norm = Math.hypot(...d);
          const duNorm = Math.hypot(...du);
          const cos = Math.abs(d.reduce((s, x, k) => s + x * du[k]!, 0)) / (norm * duNorm);
          expect(1 - cos, 'Δu ∥ flat eigenvector').toBeLessThanOrEqual((Math.sqrt(K) * tolU) / duNorm + 1e-12);
        }
      }),
      { numRuns: pick(60, 500) },
    );
  });
});
