/**
 * The pairing graph: vertices are bins, an edge joins bins i and j when events populate the pair category
 * (i, j) (Σw > 0, the same rule the fit uses to keep a pair); a pair (i, i) is a self-loop.
 *
 * Why it decides identifiability: the pair flip probability satisfies 1 − 2p_ij = (1 − 2ε_i)(1 − 2ε_j), so
 * with u = ln(1 − 2ε) every edge measures u_i + u_j and nothing else. In a bipartite component (colours A, B)
 * the shift u_A + δ, u_B − δ leaves every edge unchanged — exactly, not only for small ε (for small ε it is the
 * note's ε_A + δ, ε_B − δ; eq. 4–5 is the same trade-off for one pair). An odd cycle (a self-loop is one of
 * length 1) breaks it: going round the cycle the alternating sum of edges fixes 2u at one vertex, and the
 * component's connectivity then fixes every u. A bin with no events is a component of its own with no edge.
 */

export interface PairingComponent {
  /** Bins in the component, ascending. */
  bins: number[];
  /** True when the component has no odd cycle (includes a lone bin without events). */
  bipartite: boolean;
  /** For a bipartite component: +1 / −1 per entry of `bins` — the flat direction is ε up on +1, down on −1. */
  colouring?: number[];
  /** A bin with no events at all: ε is not constrained by anything. */
  empty: boolean;
}

export interface PairingGraph {
  K: number;
  /** Unordered edges (i ≤ j), each once. */
  edges: [number, number][];
  components: PairingComponent[];
  /** Every component contains an odd cycle. */
  identifiable: boolean;
}

/** Graph from a list of populated pair categories. */
export function pairingGraphFromEdges(K: number, edges: readonly (readonly [number, number])[]): PairingGraph {
  const adj: number[][] = Array.from({ length: K }, () => []);
  const selfLoop = new Uint8Array(K);
  const uniq = new Set<number>();
  const list: [number, number][] = [];
  for (const [a, b] of edges) {
    const i = Math.min(a, b);
    const j = Math.max(a, b);
    if (!(i >= 0 && j < K)) throw new RangeError(`edge (${a}, ${b}) outside 0..${K - 1}`);
    const key = i * K + j;
    if (uniq.has(key)) continue;
    uniq.add(key);
    list.push([i, j]);
    if (i === j) selfLoop[i] = 1;
    else {
      adj[i]!.push(j);
      adj[j]!.push(i);
    }
  }
  list.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const colour = new Int8Array(K); // 0 = unvisited, ±1
  const components: PairingComponent[] = [];
  for (let start = 0; start < K; start++) {
    if (colour[start] !== 0) continue;
    // BFS 2-colouring; a self-loop or an edge between equal colours is an odd cycle.
    const bins: number[] = [];
    let bipartite = true;
    colour[start] = 1;
    const queue = [start];
    for (let h = 0; h < queue.length; h++) {
      const v = queue[h]!;
      bins.push(v);
      if (selfLoop[v]) bipartite = false;
      for (const u of adj[v]!) {
        if (colour[u] === 0) {
          colour[u] = -colour[v]! as -1 | 1;
          queue.push(u);
        } else if (colour[u] === colour[v]) bipartite = false;
      }
    }
    bins.sort((x, y) => x - y);
    const empty = bins.length === 1 && adj[start]!.length === 0 && !selfLoop[start];
    const comp: PairingComponent = { bins, bipartite, empty };
    if (bipartite) comp.colouring = bins.map((b) => colour[b]!);
    components.push(comp);
  }
  return { K, edges: list, components, identifiable: components.every((c) => !c.bipartite) };
}

/** Graph from events: an edge for each pair category with Σw > 0 (all weights 1 when `w` is absent). */
export function pairingGraph(bin1: Int32Array, bin2: Int32Array, K: number, w?: Float64Array): PairingGraph {
  const sum = new Map<number, number>();
  for (let e = 0; e < bin1.length; e++) {
    const a = bin1[e]!;
    const b = bin2[e]!;
    if (a < 0 || b < 0) continue; // outside the binning
    const key = a <= b ? a * K + b : b * K + a;
    sum.set(key, (sum.get(key) ?? 0) + (w ? w[e]! : 1));
  }
  const edges: [number, number][] = [];
  for (const [key, n] of sum) if (n > 0) edges.push([Math.floor(key / K), key % K]);
  return pairingGraphFromEdges(K, edges);
}

/** "ε up: bin 3 (label), …; down: bin 5 (label), …" for a bipartite component's flat direction. */
export function describeFlatComponent(comp: PairingComponent, labels?: readonly string[]): string {
  const name = (b: number): string => (labels?.[b] ? `bin ${b} (${labels[b]})` : `bin ${b}`);
  if (comp.empty) return `${name(comp.bins[0]!)} has no events: ε unconstrained`;
  if (!comp.bipartite || !comp.colouring) return `${comp.bins.map(name).join(', ')}: odd cycle, identifiable`;
  const up = comp.bins.filter((_, q) => comp.colouring![q] === 1).map(name);
  const down = comp.bins.filter((_, q) => comp.colouring![q] === -1).map(name);
  return down.length === 0 ? `${up.join(', ')} up (no pairing constrains it)` : `${up.join(', ')} up; ${down.join(', ')} down`;
}
