/**
 * SC closure (closureChi2.ts: OC events weighted by ε12/(1 − ε12) against the observed SC yield) in each
 * per-electron feature of the latent electron model (docs/electrons.md), filled once per electron. The features
 * move when the charge flips, so only rates that follow the features — the reachable target P(flip | features)
 * — close in them; a (pT, |η|) binning predicts the OC feature shape for the SC events and fails where the flip
 * moves the feature. Only the features present in the table are done (none for a default sample). The χ² is
 * closureChi2's 'covariance' form: strongly tagged electrons (weights r up to ~20) make the per-bin form
 * over-dispersed (docs/electrons.md §4.1). Its p-values come from the exact null (closureNull.ts), not the χ²
 * law, whose tail those same electrons make too light.
 */
import { ELECTRON_FEATURES, type EventTable } from '../../events/columns.js';
import { eps12 } from '../../method/pairFunction.js';
import type { Seed } from '../../rng.js';
import { binIndex } from '../../util/binIndex.js';
import { ClosureAccumulator, type ClosureHistogram } from './closureChi2.js';
import { ClosureNullSampler } from './closureNull.js';

const logEdges = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n + 1 }, (_, i) => Number((lo * (hi / lo) ** (i / n)).toPrecision(6)));
const linEdges = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n + 1 }, (_, i) => Number((lo + ((hi - lo) * i) / n).toPrecision(6)));
/** Outer edges far out, so every electron lands in a bin (the outer bins are the overflows). */
const wrap = (edges: number[]): number[] => [-1e9, ...edges, 1e9];

export const FEATURE_CLOSURE_EDGES: Record<(typeof ELECTRON_FEATURES)[number], number[]> = {
  eop: wrap(logEdges(0.9, 8, 12)),
  d0sig: wrap(linEdges(-6, 6, 12)),
  dphiq: wrap(linEdges(-0.04, 0.06, 10)),
  ipix: [-0.5, 0.5, 1.5],
  curvsig: wrap(logEdges(10, 200, 10)),
  reta: wrap(linEdges(0.85, 0.98, 13)),
};

export interface FeatureClosures {
  /** Per feature present: the closure histogram and χ². */
  hists: Record<string, ClosureHistogram>;
  /** The exact null's p-values (closureNull.ts): per feature, and family-wise over the features. */
  null: { p: Record<string, number>; family: number; replicas: number } | undefined;
}

export function featureClosures(
  table: EventTable,
  eps1: ArrayLike<number>,
  eps2: ArrayLike<number>,
  seed: Seed,
  replicas?: number,
): FeatureClosures {
  const acc = new FeatureClosureAccumulator();
  acc.add(table, eps1, eps2);
  return acc.result(seed, replicas);
}

/**
 * featureClosures chunk by chunk (bit-identical, see ClosureAccumulator); the features are those of the first
 * chunk. Every row is binned once per feature, for the closure and for its null.
 */
export class FeatureClosureAccumulator {
  private features: { name: string; cols: [ArrayLike<number>, ArrayLike<number>]; acc: ClosureAccumulator }[] | undefined;
  private sampler: ClosureNullSampler | undefined;

  add(table: EventTable, eps1: ArrayLike<number>, eps2: ArrayLike<number>): void {
    if (!this.features) {
      this.features = [];
      for (const f of ELECTRON_FEATURES)
        if (table.columns[`${f}1`] && table.columns[`${f}2`])
          this.features.push({
            name: f,
            cols: [table.columns[`${f}1`]!, table.columns[`${f}2`]!],
            acc: new ClosureAccumulator(f, FEATURE_CLOSURE_EDGES[f], 'covariance'),
          });
      if (this.features.length > 0) this.sampler = new ClosureNullSampler(this.features.map((f) => f.acc.edges.length - 1));
    }
    const { features, sampler } = this;
    if (!sampler) return;
    const sc = table.columns.sc!;
    const w = table.columns.w!;
    const fills = features.map(() => [] as number[]);
    for (let i = 0; i < table.n; i++) {
      const e1 = eps1[i]!;
      const e2 = eps2[i]!;
      if (!Number.isFinite(e1) || !Number.isFinite(e2)) continue;
      const p = eps12(e1, e2);
      // A plain loop: this runs per row and feature (3·10⁵ × 6 at the features study's size).
      for (let v = 0; v < features.length; v++) {
        const f = features[v]!;
        const fill = fills[v]!;
        fill.length = 0;
        for (const col of f.cols) {
          const b = binIndex(f.acc.edges, col[i]!);
          if (b >= 0) fill.push(b);
        }
        f.acc.addRow(w[i]!, p / (1 - p), sc[i] === 1, fill);
      }
      sampler.addRow(p, w[i]!, fills);
    }
  }

  /** The closures, and their null from `replicas` replicas drawn with `seed`. */
  result(seed: Seed, replicas?: number): FeatureClosures {
    const hists: Record<string, ClosureHistogram> = {};
    if (!this.features || !this.sampler) return { hists, null: undefined };
    for (const f of this.features) hists[f.name] = f.acc.result();
    const observed = this.features.map((f) => hists[f.name]!.observed.map((o, b) => o - hists[f.name]!.predicted[b]!));
    const res = this.sampler.pValues(
      observed,
      this.features.map((f) => f.acc.pseudoInverse()),
      seed,
      replicas,
    );
    return {
      hists,
      null: { p: Object.fromEntries(this.features.map((f, v) => [f.name, res.p[v]!])), family: res.family, replicas: res.replicas },
    };
  }
}
