/**
 * The forward-folding matrix of the folded fit (fitFolded.ts), estimated by Monte Carlo.
 *
 * Every selected event with both electrons in the binning and in the parent range (mass `range`, the pT
 * thresholds) stands for an unflipped parent. For each of its legs ℓ the flip response R (flipResponse.ts)
 * is applied `replicas` times: the leg's pT times f, m_ee times √f (massless electrons, η and φ unchanged),
 * the legs re-ordered by pT, then the fit selection is applied again (pT thresholds, the fit `window`, the
 * binning). A replica either lands in a reco cell — an unordered bin pair (i ≤ j) inside the window — or is
 * lost. The result is kept two ways:
 *   - per parent and leg, the landing cells with their replica counts (compressed rows), which the sandwich
 *     covariance needs (each event's influence);
 *   - summed over parents, the migration triplets (a, b) → c with value V = Σ w · (replicas landing in c)/M,
 *     a = bin of the flipped leg, b = bin of the other leg: the (parent bin pair → reco bin pair, per flipped
 *     leg) matrix. With R = 1 every replica lands in the parent's own cell, so V is the ordinary fit's N_ij.
 *
 * Parents: `all` selected events (every event is a proxy for its parent; exact equality with the ordinary
 * fit when R = 1), or only the opposite-charge ones (`oc`, which the likelihood reweights by 1/(1 − p)); see
 * fitFolded.ts for why both exist. The replicas come from one seeded stream, consumed in row order, so the
 * matrix is the same for the same seed and table.
 */
import type { Binning } from '../binning/Binning.js';
import { ConfigError, DataError } from '../errors.js';
import { createRng, type Seed } from '../rng.js';
import { drawFlipFactor, flipResponseFrom, type FlipResponse } from './flipResponse.js';

/** Replicas are counted in 16-bit cells of the migration, hence the upper bound. */
export const MAX_REPLICAS = 65535;

export type ParentMode = 'all' | 'oc';

export interface FoldingSelection {
  /** The fit window [lo, hi) in m_ee [GeV]: the same-charge yields that are fitted. */
  window: readonly [number, number];
  /** Mass range [lo, hi) of the parents; must contain the window (default in fitFolded: 60–120 GeV). */
  range: readonly [number, number];
  /** Leading / subleading reco pT thresholds: pT > ptMin. */
  ptMin: readonly [number, number];
}

export interface FoldingInput {
  pt1: ArrayLike<number>;
  eta1: ArrayLike<number>;
  pt2: ArrayLike<number>;
  eta2: ArrayLike<number>;
  m_ee: ArrayLike<number>;
  sc: ArrayLike<number>;
  /** Event weights (≥ 0); 1 when absent. */
  w?: ArrayLike<number> | undefined;
}

export interface FlipMigrationOptions extends FoldingSelection {
  response: FlipResponse;
  replicas: number;
  parents: ParentMode;
  seed: Seed;
  source?: string;
}

export interface FlipMigration {
  K: number;
  replicas: number;
  parents: ParentMode;
  selection: FoldingSelection;
  /** Reco cells (unordered bin pairs in the window), in the order first met. */
  cellI: Int32Array;
  cellJ: Int32Array;
  /** Observed same-charge weight per cell (Σ w over same-charge events in the window). */
  s: Float64Array;
  /** Migration triplets: flipped-leg bin, other-leg bin, reco cell, Σ w · fraction of replicas. */
  tA: Int32Array;
  tB: Int32Array;
  tC: Int32Array;
  tV: Float64Array;
  /** Per selected event (rows inside the binning and parent range): */
  events: {
    bin1: Int32Array;
    bin2: Int32Array;
    w: Float64Array;
    /** 1 when the event is a parent. */
    parent: Uint8Array;
    /** Cell of a same-charge event in the window (an observation), else −1. */
    obsCell: Int32Array;
    /** Compressed rows, leg-major: entries offsets[2e + ℓ] … offsets[2e + ℓ + 1] − 1 are (landCell, landCount). */
    offsets: Int32Array;
    landCell: Int32Array;
    landCount: Uint16Array;
  };
  counts: {
    rows: number;
    /** Rows used (parent or observation). */
    selected: number;
    parents: number;
    parentSumW: number;
    /** Rows with an electron outside the binning / outside the parent range or thresholds. */
    outsideBinning: number;
    outsideRange: number;
    /** Fraction of flipped-parent replicas (weighted) that leave the window, the thresholds or the binning. */
    lostFraction: number;
  };
}

function checkRange(path: string, r: readonly [number, number], source?: string): void {
  if (!(Array.isArray(r) && r.length === 2 && Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[1] > r[0]))
    throw new ConfigError(path, r, '[lo, hi] with finite lo < hi', source);
}

export function flipMigration(input: FoldingInput, binning: Binning, opts: FlipMigrationOptions): FlipMigration {
  const source = opts.source ?? 'events';
  checkRange('window', opts.window, source);
  checkRange('range', opts.range, source);
  if (opts.window[0] < opts.range[0] || opts.window[1] > opts.range[1])
    throw new ConfigError('window', opts.window, `inside the parent range [${opts.range.join(', ')}]`, source);
  if (!(opts.ptMin.length === 2 && opts.ptMin.every((p) => Number.isFinite(p) && p >= 0)))
    throw new ConfigError('ptMin', opts.ptMin, '[leading, subleading] thresholds ≥ 0', source);
  // A library caller's response is checked here, where it is used (the CLI and study schema check theirs too).
  const response = flipResponseFrom(opts.response, 'response', source);
  const M = opts.replicas;
  if (!(Number.isInteger(M) && M >= 1 && M <= MAX_REPLICAS))
    throw new ConfigError('replicas', M, `an integer in 1..${MAX_REPLICAS}`, source);
  const K = binning.size;
  const n = input.pt1.length;
  for (const c of ['eta1', 'pt2', 'eta2', 'm_ee', 'sc'] as const)
    if (input[c].length !== n) throw new DataError(source, c, `length ${input[c].length} differs from pt1's ${n}`);
  if (input.w && input.w.length !== n) throw new DataError(source, 'w', `length ${input.w.length} differs from pt1's ${n}`);

  const [wLo, wHi] = opts.window;
  const [rLo, rHi] = opts.range;
  const [p1Min, p2Min] = opts.ptMin;
  const rows: number[] = [];
  let outsideBinning = 0;
  let outsideRange = 0;
  for (let e = 0; e < n; e++) {
    const m = input.m_ee[e]!;
    const pt1 = input.pt1[e]!;
    const pt2 = input.pt2[e]!;
    for (const [col, v] of [
      ['pt1', pt1],
      ['pt2', pt2],
      ['m_ee', m],
      ['eta1', input.eta1[e]!],
      ['eta2', input.eta2[e]!],
    ] as const)
      if (!Number.isFinite(v)) throw new DataError(source, col, `non-finite value at row ${e + 1}`, v);
    const c = input.sc[e]!;
    if (c !== 0 && c !== 1) throw new DataError(source, 'sc', `expected 0 or 1 at row ${e + 1}`, c);
    const w = input.w ? input.w[e]! : 1;
    if (!(Number.isFinite(w) && w >= 0))
      throw new DataError(source, 'w', `the folded fit needs finite weights ≥ 0 (no sideband subtraction); row ${e + 1}`, w);
    if (!(m >= rLo && m < rHi && Math.max(pt1, pt2) > p1Min && Math.min(pt1, pt2) > p2Min)) {
      outsideRange++;
      continue;
    }
    if (binning.index(pt1, Math.abs(input.eta1[e]!)) < 0 || binning.index(pt2, Math.abs(input.eta2[e]!)) < 0) {
      outsideBinning++;
      continue;
    }
    rows.push(e);
  }
  if (rows.length === 0)
    throw new DataError(source, undefined, 'no events inside the binning and the parent range', { rows: n, outsideRange, outsideBinning });

  const ns = rows.length;
  const cellOf = new Int32Array(K * K).fill(-1);
  const cellI: number[] = [];
  const cellJ: number[] = [];
  const cell = (i: number, j: number): number => {
    const key = i <= j ? i * K + j : j * K + i;
    let c = cellOf[key]!;
    if (c < 0) {
      c = cellOf[key] = cellI.length;
      cellI.push(Math.min(i, j));
      cellJ.push(Math.max(i, j));
    }
    return c;
  };
  const ev = {
    bin1: new Int32Array(ns),
    bin2: new Int32Array(ns),
    w: new Float64Array(ns),
    parent: new Uint8Array(ns),
    obsCell: new Int32Array(ns).fill(-1),
    offsets: new Int32Array(2 * ns + 1),
  };
  const landCell: number[] = [];
  const landCount: number[] = [];
  const sObs: number[] = [];
  const triplets = new Map<number, number>();
  const rng = createRng(opts.seed);
  const tmp = new Int32Array(M);
  let parents = 0;
  let parentSumW = 0;
  let flippedW = 0;
  let lostW = 0;
  const eta = [0, 0];
  const pt = [0, 0];
  const bin = [0, 0];
  rows.forEach((e, q) => {
    pt[0] = input.pt1[e]!;
    pt[1] = input.pt2[e]!;
    eta[0] = Math.abs(input.eta1[e]!);
    eta[1] = Math.abs(input.eta2[e]!);
    bin[0] = ev.bin1[q] = binning.index(pt[0], eta[0]);
    bin[1] = ev.bin2[q] = binning.index(pt[1], eta[1]);
    const w = input.w ? input.w[e]! : 1;
    ev.w[q] = w;
    const m = input.m_ee[e]!;
    const sc = input.sc[e]!;
    if (sc === 1 && m >= wLo && m < wHi) {
      const c = cell(bin[0]!, bin[1]!);
      ev.obsCell[q] = c;
      while (sObs.length < cellI.length) sObs.push(0);
      sObs[c] += w;
    }
    const isParent = opts.parents === 'all' || sc === 0;
    ev.parent[q] = isParent ? 1 : 0;
    for (let leg = 0; leg < 2; leg++) {
      ev.offsets[2 * q + leg] = landCell.length;
      if (!isParent) continue;
      const other = 1 - leg;
      let k = 0;
      for (let r = 0; r < M; r++) {
        const f = drawFlipFactor(rng, response, pt[leg]! * Math.cosh(eta[leg]!), Math.abs(eta[leg]!));
        if (!(f > 0)) continue;
        const mr = m * Math.sqrt(f);
        if (!(mr >= wLo && mr < wHi)) continue;
        const p = pt[leg]! * f;
        const po = pt[other]!;
        if (!(Math.max(p, po) > p1Min && Math.min(p, po) > p2Min)) continue;
        const nb = binning.index(p, eta[leg]!);
        if (nb < 0) continue;
        tmp[k++] = cell(nb, bin[other]!);
      }
      flippedW += w;
      lostW += (w * (M - k)) / M;
      // Aggregate the landing cells of this leg (at most M distinct, usually one or two).
      for (let a = 0; a < k; a++) {
        const c = tmp[a]!;
        if (c < 0) continue;
        let cnt = 1;
        for (let b = a + 1; b < k; b++) {
          if (tmp[b] === c) {
            cnt++;
            tmp[b] = -1;
          }
        }
        landCell.push(c);
        landCount.push(cnt);
        const key = (bin[leg]! * K + bin[other]!) * K * K + cellI[c]! * K + cellJ[c]!;
        triplets.set(key, (triplets.get(key) ?? 0) + (w * cnt) / M);
      }
    }
    if (isParent) {
      parents++;
      parentSumW += w;
    }
  });
  ev.offsets[2 * ns] = landCell.length;
  while (sObs.length < cellI.length) sObs.push(0);

  const nt = triplets.size;
  const tA = new Int32Array(nt);
  const tB = new Int32Array(nt);
  const tC = new Int32Array(nt);
  const tV = new Float64Array(nt);
  let t = 0;
  for (const [key, v] of [...triplets.entries()].sort((x, y) => x[0] - y[0])) {
    const ck = key % (K * K);
    const ab = (key - ck) / (K * K);
    tA[t] = Math.floor(ab / K);
    tB[t] = ab % K;
    tC[t] = cellOf[ck]!;
    tV[t] = v;
    t++;
  }
  return {
    K,
    replicas: M,
    parents: opts.parents,
    selection: { window: [wLo, wHi], range: [rLo, rHi], ptMin: [p1Min, p2Min] },
    cellI: Int32Array.from(cellI),
    cellJ: Int32Array.from(cellJ),
    s: Float64Array.from(sObs),
    tA,
    tB,
    tC,
    tV,
    events: { ...ev, landCell: Int32Array.from(landCell), landCount: Uint16Array.from(landCount) },
    counts: {
      rows: n,
      selected: ns,
      parents,
      parentSumW,
      outsideBinning,
      outsideRange,
      lostFraction: flippedW > 0 ? lostW / flippedW : 0,
    },
  };
}
