/**
 * Quantile morphing (docs/electrons.md, "Mismodelling and quantile morphing"): the correction the CMS
 * shower-shape work applies per variable, here to the sample a trained φ is applied to. For one feature with
 * CDF F_s in the sample and F_r in the reference (the sample φ was trained on), each value is replaced by
 *
 *     x' = F_r⁻¹(F_s(x)),
 *
 * which maps the sample's distribution onto the reference's exactly when both CDFs are known, and keeps the
 * order of the values (monotone). Both CDFs are estimated here from the samples themselves: `nodes` quantile
 * nodes (type-7, linear interpolation between order statistics) of each sample at probabilities equally spaced
 * on [p_e, 1 − p_e], and the map is the piecewise-linear curve through (q_s(p_j), q_r(p_j)). Nodes of the sample
 * that coincide (ties, a saturated tail) are merged, their reference values averaged, so the map stays a function.
 *
 * The tails (rule, `tail` = k in MorphSpecSchema, default 100): with n the smaller sample's count,
 *   p_e = k'/(n − 1),  k' = min(k, ⌊(n − 1)/4⌋),
 * so each sample keeps at least k' values beyond each end node (the smaller exactly k', the larger in proportion),
 * and beyond the end nodes the map is the line through the end node with the secant slope of the two samples'
 * quantiles at p_e and 4p_e (at 1 − 4p_e and 1 − p_e above): b = (q_r(4p_e) − q_r(p_e))/(q_s(4p_e) − q_s(p_e)),
 * 1 where the sample's band is tied. Why: with end nodes at the sample minimum and maximum (k = 0, the first
 * version) the last segment maps the outermost 1/(nodes − 1) of the electrons with the slope
 * (max_r − q_r)/(max_s − q_s), a ratio of extreme order statistics: noisy, and pushed outward on average when the
 * reference is the larger sample (its maximum lies further out). On a flip probability that is steep and convex
 * there (the d0 significance where the conversion-leg class takes over) that noise and push raise the mean
 * predicted ε. Measured at the `mismodelling` study's null point (scripts/morph-bias.ts, 24 seeds, paired,
 * docs/electrons.md §8.1), on the MC model's exact 4-feature posterior P(flip | pT, |η|, R_η, d0): the first
 * version raised the predicted SC yield by +2.5 ± 0.7 of ≈ 204 events (+4.3 ± 1.1 with per-bin maps), +1.9 ± 0.5
 * of it from the d0 significance's outermost 0.1 %; this rule +0.1 ± 0.6 (+0.1 ± 0.6 per bin), paired change
 * −2.4 ± 0.6. A secant over quantiles that each hold ≥ k values is exact for an affine mismodelling (shift and
 * scale), so at the study's `shift` point (R_η and d0 significance changed affinely) the morphed sample is the
 * null's to rounding; a plain shift beyond inner end nodes is not, and left +4.1 ± 0.5 there. Tails beyond p_e
 * that differ in shape, not only by an affine map, are only extrapolated linearly.
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
  /** Slopes of the map below the first and above the last node (the secants of the tail rule; 1 = a shift). */
  lo: number;
  hi: number;
}

/** Sorted finite values of `values`; fewer than two is a DataError naming `what`. */
function sortedFinite(values: ArrayLike<number>, what: string): Float64Array {
  const v = Float64Array.from(Array.prototype.filter.call(values, Number.isFinite) as number[]).sort();
  if (v.length < 2) throw new DataError(what, undefined, 'quantile morphing needs at least two finite values', v.length);
  return v;
}

/** Type-7 quantile of sorted `v` at probability p. */
function quantileAt(v: Float64Array, p: number): number {
  const h = (v.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, v.length - 1);
  return v[lo]! + (h - lo) * (v[hi]! - v[lo]!);
}

/**
 * The map sending the distribution of `sample` onto that of `reference`: `nodes` ≥ 3 nodes, `tail` values of the
 * smaller sample beyond each end node (the rule in the file comment; 0 puts the end nodes at the minimum and
 * maximum with a shift beyond, the first version).
 */
export function fitQuantileMap(
  sample: ArrayLike<number>,
  reference: ArrayLike<number>,
  nodes: number,
  tail: number,
  what = 'sample',
): QuantileMap {
  const vs = sortedFinite(sample, what);
  const vr = sortedFinite(reference, `${what} (reference)`);
  const n = Math.min(vs.length, vr.length);
  const k = Math.min(tail, Math.floor((n - 1) / 4));
  const pe = k / (n - 1);
  const src: number[] = [];
  const dst: number[] = [];
  const at = (j: number): number => pe + ((1 - 2 * pe) * j) / (nodes - 1);
  const qs = Float64Array.from({ length: nodes }, (_, j) => quantileAt(vs, at(j)));
  for (let j = 0; j < nodes;) {
    let i = j;
    let sum = 0;
    while (i < nodes && qs[i] === qs[j]) sum += quantileAt(vr, at(i++));
    src.push(qs[j]!);
    dst.push(sum / (i - j));
    j = i;
  }
  let lo = 1;
  let hi = 1;
  if (k > 0) {
    const pb = Math.min(0.5, 4 * pe);
    const slope = (a: number, b: number): number => {
      const ds = quantileAt(vs, b) - quantileAt(vs, a);
      return ds > 0 ? (quantileAt(vr, b) - quantileAt(vr, a)) / ds : 1;
    };
    lo = slope(pe, pb);
    hi = slope(1 - pb, 1 - pe);
  }
  return { src: Float64Array.from(src), dst: Float64Array.from(dst), lo, hi };
}

/** x' = F_r⁻¹(F_s(x)) through the map's nodes (NaN stays NaN). */
export function applyQuantileMap(map: QuantileMap, x: number): number {
  const { src, dst } = map;
  const n = src.length;
  if (!Number.isFinite(x)) return x;
  if (x <= src[0]!) return dst[0]! + map.lo * (x - src[0]!);
  if (x >= src[n - 1]!) return dst[n - 1]! + map.hi * (x - src[n - 1]!);
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
  /** Values of the smaller sample beyond each end node (file comment). */
  tail: number;
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
      maps.push(
        fitQuantileMap(pick(s, bs, sample.n, b), pick(r, br, reference.n, b), spec.nodes, spec.tail, `${source} morph ${f} bin ${b}`),
      );
    for (const leg of [1, 2] as const) {
      const from = s[leg - 1]!;
      const to = new Float64Array(sample.n);
      for (let i = 0; i < sample.n; i++) to[i] = applyQuantileMap(maps[bs[(leg - 1) * sample.n + i]!]!, from[i]!);
      columns[`${f}${leg}`] = to;
    }
  }
  return { n: sample.n, columns };
}
