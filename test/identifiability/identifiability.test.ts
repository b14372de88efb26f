/**
 * Identifiability on random pairing topologies: the graph test (odd cycle per component) and the Hessian
 * test (scaled eigenvalue below threshold) must agree, component by component.
 *
 * Data are Asimov (expected counts carried as weights: per populated pair one OC event of weight N(1 − p)
 * and one SC event of weight N·p, N = 1e5), so an identifiable component must return the true ε exactly
 * (1e-6 relative) and a bipartite one has an exactly flat direction — no statistical tolerance is involved.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitBinned } from '../../src/fit/fitBinned.js';
import { branchOf } from '../../src/identifiability/branchOf.js';
import { hessianDiagnostics } from '../../src/identifiability/hessianDiagnostics.js';
import { describeFlatComponent, pairingGraph, pairingGraphFromEdges } from '../../src/identifiability/pairingGraph.js';

function asimov(eps: readonly number[], edges: readonly [number, number][], N = 1e5) {
  const bin1: number[] = [];
  const bin2: number[] = [];
  const sc: number[] = [];
  const w: number[] = [];
  for (const [i, j] of edges) {
    const p = eps[i]! + eps[j]! - 2 * eps[i]! * eps[j]!;
    bin1.push(i, j);
    bin2.push(j, i);
    sc.push(0, 1);
    w.push(N * (1 - p), N * p);
  }
  return { bin1: Int32Array.from(bin1), bin2: Int32Array.from(bin2), sc: Uint8Array.from(sc), w: Float64Array.from(w) };
}

const topology = fc.integer({ min: 1, max: 7 }).chain((K) => {
  const all: [number, number][] = [];
  for (let i = 0; i < K; i++) for (let j = i; j < K; j++) all.push([i, j]);
  return fc.record({
    K: fc.constant(K),
    edges: fc.subarray(all, { minLength: 1 }),
    eps: fc.array(fc.double({ min: 1e-3, max: 0.1, noNaN: true }), { minLength: K, maxLength: K }),
  });
});

describe('pairing graph vs Hessian on random topologies', () => {
  it('connected non-bipartite ⇒ identifiable and ε recovered; bipartite ⇒ one flat direction with the colouring’s ± pattern', () => {
    fc.assert(
      fc.property(topology, ({ K, edges, eps }) => {
        const data = asimov(eps, edges);
        const graph = pairingGraph(data.bin1, data.bin2, K, data.w);
        const fit = fitBinned(data, K);
        expect(fit.status).toBe('converged');
        expect(fit.branch).toBe('low');
        const flat = fit.identifiability.hessian.flat;
        const bins = fit.identifiability.hessian.bins;
        const nonEmpty = graph.components.filter((c) => !c.empty);
        // One flat direction per bipartite component, none for the others.
        expect(flat.length).toBe(nonEmpty.filter((c) => c.bipartite).length);
        for (const c of nonEmpty) {
          const inC = (b: number): boolean => c.bins.includes(b);
          const mine = flat.filter((f) => f.direction.some((v, a) => inC(bins[a]!) && Math.abs(v) > 1e-3));
          if (c.bipartite) {
            expect(mine.length).toBe(1);
            const dir = mine[0]!.direction;
            // Support inside the component, signs = ± colouring.
            const signs = new Set<number>();
            dir.forEach((v, a) => {
              const b = bins[a]!;
              if (!inC(b)) expect(Math.abs(v)).toBeLessThan(1e-6);
              else signs.add(Math.sign(v) * c.colouring![c.bins.indexOf(b)]!);
            });
            expect(signs.size).toBe(1);
            for (const b of c.bins) expect(fit.binStatus[b]).toBe('flat');
          } else {
            expect(mine.length).toBe(0);
            for (const b of c.bins) {
              expect(fit.binStatus[b]).toBe('fitted');
              expect(Math.abs(fit.eps[b]! / eps[b]! - 1)).toBeLessThan(1e-6);
              expect(Number.isFinite(fit.err[b]!)).toBe(true);
            }
          }
        }
        for (const c of graph.components.filter((x) => x.empty)) expect(fit.binStatus[c.bins[0]!]).toBe('empty');
        // The alarm is about populated components: empty bins are listed apart.
        expect(fit.identifiability.identifiable).toBe(nonEmpty.every((c) => !c.bipartite));
        expect(fit.identifiability.emptyBins).toEqual(graph.components.filter((c) => c.empty).map((c) => c.bins[0]));
      }),
      { numRuns: 150 },
    );
  });

  it('an all-barrel–endcap pairing (bipartite) is flagged by both tests, with the pattern in words', () => {
    // Bins 0, 1 "barrel", 2, 3 "endcap"; every event one of each.
    const labels = ['B1', 'B2', 'E1', 'E2'];
    const edges: [number, number][] = [
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
    ];
    const fit = fitBinned(asimov([1e-3, 2e-3, 1e-2, 2e-2], edges), 4, { labels });
    expect(fit.identifiability.identifiable).toBe(false);
    const comp = fit.identifiability.graph.components[0]!;
    expect(comp.bipartite).toBe(true);
    expect(describeFlatComponent(comp, labels)).toBe('bin 0 (B1), bin 1 (B2) up; bin 2 (E1), bin 3 (E2) down');
    expect(fit.identifiability.hessian.flat).toHaveLength(1);
    const words = fit.identifiability.hessian.flat[0]!.description;
    // Barrel bins move one way, endcap bins the other.
    const dir = (name: string): string => new RegExp(`\\(${name}\\) (up|down)`).exec(words)![1]!;
    expect(dir('B1')).toBe(dir('B2'));
    expect(dir('E1')).toBe(dir('E2'));
    expect(dir('B1')).not.toBe(dir('E1'));
    expect(Array.from(fit.err).every(Number.isNaN)).toBe(true); // flagged, not hidden behind a huge error
    // Adding same-bin pairs in the barrel (an odd cycle) makes it identifiable.
    const fixed = fitBinned(asimov([1e-3, 2e-3, 1e-2, 2e-2], [...edges, [0, 0]]), 4);
    expect(fixed.identifiability.identifiable).toBe(true);
    expect(fixed.identifiability.hessian.flat).toHaveLength(0);
  });
});

describe('pairingGraphFromEdges', () => {
  it('self-loop is an odd cycle; triangle is odd, square is even; duplicates ignored', () => {
    expect(pairingGraphFromEdges(1, [[0, 0]]).identifiable).toBe(true);
    expect(
      pairingGraphFromEdges(3, [
        [0, 1],
        [1, 2],
        [2, 0],
        [1, 0],
      ]).components[0]!.bipartite,
    ).toBe(false);
    const sq = pairingGraphFromEdges(4, [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 0],
    ]);
    expect(sq.components[0]!.colouring).toEqual([1, -1, 1, -1]);
    expect(sq.edges).toHaveLength(4);
  });
  it('isolated bins are their own empty components', () => {
    const g = pairingGraphFromEdges(3, [[0, 0]]);
    expect(g.components.map((c) => [c.bins, c.empty])).toEqual([
      [[0], false],
      [[1], true],
      [[2], true],
    ]);
    expect(g.identifiable).toBe(false);
  });
  it('events with non-positive Σw do not make an edge', () => {
    const g = pairingGraph(Int32Array.of(0, 0, 1), Int32Array.of(1, 1, 1), 2, Float64Array.of(1, -1, 1));
    expect(g.edges).toEqual([[1, 1]]);
  });
});

describe('hessianDiagnostics', () => {
  it('finds the flat direction of a rank-deficient matrix and names it', () => {
    const d = hessianDiagnostics(
      [
        [4, 4, 0],
        [4, 4, 0],
        [0, 0, 1],
      ],
      ['a', 'b', 'c'],
    );
    expect(d.flat).toHaveLength(1);
    expect(Math.abs(d.flat[0]!.direction[0]! + d.flat[0]!.direction[1]!)).toBeLessThan(1e-12);
    expect(d.flat[0]!.description).toMatch(/^bin [01] \([ab]\) up, bin [01] \([ab]\) down$/);
    expect(d.eigenvalues[0]).toBeCloseTo(0, 12);
    expect(d.eigenvalues[2]).toBeCloseTo(8, 12);
  });
  it('scale-free: a well-conditioned problem in badly scaled units is not flagged', () => {
    const d = hessianDiagnostics([
      [1e12, 1e6],
      [1e6, 1e2],
    ]);
    // Correlation 1e6/√(1e12·1e2) = 0.1: scaled eigenvalues 0.9 and 1.1.
    expect(d.flat).toHaveLength(0);
    expect(d.scaledEigenvalues[0]).toBeCloseTo(0.9, 12);
  });
  it('a bin with zero curvature is flat on its own', () => {
    const d = hessianDiagnostics([
      [2, 0],
      [0, 0],
    ]);
    expect(d.flat).toHaveLength(1);
    expect(d.flat[0]!.direction[1]).toBeCloseTo(1, 12);
  });
});

describe('branchOf', () => {
  it('low / high / mixed / none; ½ and non-finite values ignored', () => {
    expect(branchOf([1e-3, 0.2, NaN])).toBe('low');
    expect(branchOf([0.999, 0.8])).toBe('high');
    expect(branchOf([0.1, 0.9])).toBe('mixed');
    expect(branchOf([0.5, NaN])).toBe('none');
    expect(branchOf([0.5, 0.2])).toBe('low');
  });
});
