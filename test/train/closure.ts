/** Test helper: binned truth-counting reference for ε and the pulls of a model against it. */
import type { EventTable } from '../../src/events/columns.js';

export const PT_EDGES = [25, 35, 50, 80, Infinity];
export const ABSETA_EDGES = [0, 0.8, 1.5, 2.47];

export interface BinClosure {
  bin: string;
  electrons: number;
  flips: number;
  /** Truth-matched rate k/N and its binomial standard error. */
  rate: number;
  sigma: number;
  /** Mean model ε over the bin's electrons. */
  model: number;
  pull: number;
}

export function binnedClosure(t: EventTable, eps1: ArrayLike<number>, eps2: ArrayLike<number>): BinClosure[] {
  const acc = new Map<string, { N: number; k: number; m: number }>();
  const c = t.columns;
  for (let i = 0; i < t.n; i++) {
    for (const s of ['1', '2'] as const) {
      const pt = c[`pt${s}`]![i]!;
      const ae = Math.abs(c[`eta${s}`]![i]!);
      const ip = PT_EDGES.findIndex((e, j) => pt >= e && pt < PT_EDGES[j + 1]!);
      const ie = ABSETA_EDGES.findIndex((e, j) => ae >= e && ae < ABSETA_EDGES[j + 1]!);
      const key = `pt${ip}/eta${ie}`;
      const b = acc.get(key) ?? { N: 0, k: 0, m: 0 };
      acc.set(key, b);
      b.N++;
      b.k += c[`truth_flip${s}`]![i]!;
      b.m += (s === '1' ? eps1 : eps2)[i]!;
    }
  }
  return [...acc.entries()].map(([bin, b]) => {
    const rate = b.k / b.N;
    const sigma = Math.sqrt((rate * (1 - rate)) / b.N);
    const model = b.m / b.N;
    return { bin, electrons: b.N, flips: b.k, rate, sigma, model, pull: (model - rate) / sigma };
  });
}

/** Residual φ − κ over all electrons, κ = logit of the truth ε. */
export function logitResidual(
  t: EventTable,
  eps1: ArrayLike<number>,
  eps2: ArrayLike<number>,
): { mean: number; rms: number; kappaSd: number } {
  let s = 0;
  let s2 = 0;
  let k1 = 0;
  let k2 = 0;
  let n = 0;
  const lg = (e: number) => Math.log(e / (1 - e));
  for (let i = 0; i < t.n; i++) {
    for (const [e, te] of [
      [eps1[i]!, t.columns.truth_eps1![i]!],
      [eps2[i]!, t.columns.truth_eps2![i]!],
    ] as const) {
      const r = lg(e) - lg(te);
      s += r;
      s2 += r * r;
      k1 += lg(te);
      k2 += lg(te) ** 2;
      n++;
    }
  }
  return { mean: s / n, rms: Math.sqrt(s2 / n), kappaSd: Math.sqrt(k2 / n - (k1 / n) ** 2) };
}

/**
 * Pull of each bin's model ε against the counted rate, with σ = (spread over ensemble members of the bin-mean ε)
 * ⊕ (binomial error of the counted rate): the network's own statistical error and the reference's.
 */
export function ensemblePulls(
  bins: readonly BinClosure[],
  perMember: readonly (readonly BinClosure[])[],
): { bin: BinClosure; sdEns: number; pull: number }[] {
  const K = perMember.length;
  return bins.map((b) => {
    const v = perMember.map((pm) => pm.find((x) => x.bin === b.bin)!.model);
    const mean = v.reduce((s, x) => s + x, 0) / K;
    const sdEns = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (K - 1));
    return { bin: b, sdEns, pull: (b.model - b.rate) / Math.hypot(sdEns, b.sigma) };
  });
}
