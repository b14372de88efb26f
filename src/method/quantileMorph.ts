/**
 * Quantile morphing (docs/electrons.md, "Mismodelling and quantile morphing"): the correction the CMS
 * shower-shape work applies per variable, here to the sample a trained φ is applied to. For one feature with
 * CDF F_s in the sample and F_r in the reference (the sample φ was trained on), each value is replaced by
 *
 *     x' = F_r⁻¹(F_s(x)),
 *
 * which maps the sample's distribution onto the reference's exactly when both CDFs are known, and keeps the
 * order of the values (monotone). Both CDFs are estimated here from the samples themselves: n quantile nodes
 * at probabilities p_j = j/(n − 1) (type-7, linear interpolation between order statistics) of each sample,
 * and the map is the piecewise-linear curve through (q_s(p_j), q_r(p_j)). Below the first node and above the
 * last the map shifts by the end nodes' offset (no extrapolated stretch). Nodes of the sample that coincide
 * (ties, a saturated tail) are merged, their reference values averaged, so the map stays a function.
 *
 * Properties (test/method/quantileMorph.test.ts): non-decreasing; the identity when the two samples are the
 * same; on a known pair of distributions it maps every sample quantile onto the reference quantile.
 * Optionally per (|η|, pT) bin of the electron (reco values; electrons outside the edges go to the nearest bin),
 * as the conditional CDFs of the CMS regression are, here in coarse bins. Discrete features have no quantiles
 * to map and are not accepted (src/study/studySchema.ts MORPH_FEATURES).
 */
import { DataError } from '../errors.js';
import type { EventTable } from '../events/columns.js';

/** A monotone map: `src` strictly increasing, `dst` non-decreasing, same length ≥ 1. */
export interface QuantileMap {
  src: Float64Array;
  dst: Float64Array;
}

/** Type-7 quantiles of the finite values of `values` at p_j = j/(nodes − 1). Throws on fewer than two values. */
export function quantileNodes(values: ArrayLike<number>, nodes: number, what = 'sample'): Float64Array {
  const v = Float64Array.from(Array.prototype.filter.call(values, Number.isFinite) as number[]).sort();
  if (v.length < 2) throw new DataError(what, undefined, 'quantile morphing needs at least two finite values', v.length);
  const out = new Float64Array(nodes);
  for (let j = 0; j < nodes; j++) {
    const h = ((v.length - 1) * j) / (nodes - 1);
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, v.length - 1);
    out[j] = v[lo]! + (h - lo) * (v[hi]! - v[lo]!);
  }
  return out;
}

/** The map sending the distribution of `sample` onto that of `reference` (nodes ≥ 3). */
export function fitQuantileMap(sample: ArrayLike<number>, reference: ArrayLike<number>, nodes = 1001, what = 'sample'): QuantileMap {
  const qs = quantileNodes(sample, nodes, what);
  const qr = quantileNodes(reference, nodes, `${what} (reference)`);
  const src: number[] = [];
  const dst: number[] = [];
  for (let j = 0; j < nodes;) {
    let k = j;
    let sum = 0;
    while (k < nodes && qs[k] === qs[j]) sum += qr[k++]!;
    src.push(qs[j]!);
    dst.push(sum / (k - j));
    j = k;
  }
  return { src: Float64Array.from(src), dst: Float64Array.from(dst) };
}

/** x' = F_r⁻¹(F_s(x)) through the map's nodes (NaN stays NaN). */
export function applyQuantileMap(map: QuantileMap, x: number): number {
  const { src, dst } = map;
  const n = src.length;
  if (!Number.isFinite(x)) return x;
  if (n === 1 || x <= src[0]!) return x + dst[0]! - src[0]!;
  if (x >= src[n - 1]!) return x + dst[n - 1]! - src[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x >= src[mid]!) lo = mid;
    else hi = mid;
  }
  const t = (x - src[lo]!) / (src[hi]! - src[lo]!);
  return dst[lo]! + t * (dst[hi]! - dst[lo]!);
}

export interface QuantileMorphSpec {
  /** Feature names without the electron index (columns `<f>1`, `<f>2`). */
  features: readonly string[];
  bins?: { eta: readonly number[]; pt: readonly number[] };
  nodes: number;
}

/** Bin of x in edges, clamped to the first/last bin outside them. */
function clampedBin(edges: readonly number[], x: number): number {
  const last = edges.length - 2;
  for (let k = 0; k < last; k++) if (x < edges[k + 1]!) return k;
  return last;
}

/** Per electron (both legs, in row order): bin index of every electron of the table. */
function electronBins(t: EventTable, spec: QuantileMorphSpec): Int32Array {
  const out = new Int32Array(2 * t.n);
  if (!spec.bins) return out;
  const nPt = spec.bins.pt.length - 1;
  for (const leg of [1, 2] as const) {
    const eta = t.columns[`eta${leg}`]!;
    const pt = t.columns[`pt${leg}`]!;
    for (let i = 0; i < t.n; i++)
      out[(leg - 1) * t.n + i] = clampedBin(spec.bins.eta, Math.abs(eta[i]!)) * nPt + clampedBin(spec.bins.pt, pt[i]!);
  }
  return out;
}

/**
 * `sample` with each named feature morphed onto `reference`'s distribution (both legs pooled per bin): a new
 * table sharing every other column. A missing feature column or a bin with fewer than two electrons on either
 * side is a DataError naming it.
 */
export function quantileMorph(sample: EventTable, reference: EventTable, spec: QuantileMorphSpec, source: string): EventTable {
  const nBins = spec.bins ? (spec.bins.eta.length - 1) * (spec.bins.pt.length - 1) : 1;
  const bs = electronBins(sample, spec);
  const br = electronBins(reference, spec);
  const columns = { ...sample.columns };
  for (const f of spec.features) {
    const col = (t: EventTable, leg: 1 | 2, what: string) => {
      const c = t.columns[`${f}${leg}`];
      if (!c) throw new DataError(source, `${f}${leg}`, `quantile morphing needs the feature column in the ${what}`);
      return c;
    };
    const s = [col(sample, 1, 'sample'), col(sample, 2, 'sample')];
    const r = [col(reference, 1, 'reference'), col(reference, 2, 'reference')];
    const pick = (cols: ArrayLike<number>[], bins: Int32Array, n: number, b: number): number[] => {
      const out: number[] = [];
      for (let e = 0; e < 2 * n; e++) if (bins[e] === b) out.push(cols[e < n ? 0 : 1]![e % n]!);
      return out;
    };
    const maps: QuantileMap[] = [];
    for (let b = 0; b < nBins; b++)
      maps.push(fitQuantileMap(pick(s, bs, sample.n, b), pick(r, br, reference.n, b), spec.nodes, `${source} morph ${f} bin ${b}`));
    for (const leg of [1, 2] as const) {
      const from = s[leg - 1]!;
      const to = new Float64Array(sample.n);
      for (let i = 0; i < sample.n; i++) to[i] = applyQuantileMap(maps[bs[(leg - 1) * sample.n + i]!]!, from[i]!);
      columns[`${f}${leg}`] = to;
    }
  }
  return { n: sample.n, columns };
}
