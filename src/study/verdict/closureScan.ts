/**
 * A closure test that does not depend on the study binning (issue 10, item 6): a scan over windows of a fine
 * (|η|, pT) grid, with the look-elsewhere effect taken into account by pseudo-experiments.
 *
 * Cells: every window electron of a same-charge event adds 1 to its cell (observed S_c); every window
 * opposite-charge event adds w·ε12/(1 − ε12) to the cells of both its electrons (predicted P_c; ε12 = ε1 + ε2
 * − 2ε1ε2, eq. 1, from the estimator's per-electron ε, so a per-bin estimator predicts with its bin constants).
 * Windows: every contiguous block of 1–2 |η| cells × 1–4 pT cells (|η| cells 0.25 wide, pT cells 2.5 GeV from
 * 25 to 85 GeV, then 85–100–130–1000). Local statistic: the Poisson likelihood ratio
 * q = 2[S ln(S/P) − (S − P)] of the window's counts (signed: excess or deficit, both count). Scan statistic:
 * q_max over all windows. Global p-value: the fraction of pseudo-experiments (S_c ~ Poisson(P_c), seeded)
 * whose q_max reaches the observed one, (1 + #{q*_max ≥ q_max}) / (1 + N) — calibrated by construction when
 * cell counts are Poisson around the prediction, whatever the number and overlap of windows. (An event with
 * both electrons in one window counts twice; the measured null says what that costs.)
 * Over several toys the cells are summed first: a persistent structure grows with the toys, noise as √.
 */
import type { EventTable } from '../../events/columns.js';
import { REGION } from '../../selection/selection.js';
import { eps12 } from '../../method/pairFunction.js';
import { createRng } from '../../rng.js';
import { binIndex } from '../../util/binIndex.js';

export const SCAN_ETA_EDGES: readonly number[] = Array.from({ length: 11 }, (_, i) => i * 0.25);
export const SCAN_PT_EDGES: readonly number[] = [...Array.from({ length: 25 }, (_, i) => 25 + 2.5 * i), 100, 130, 1000];
const NE = SCAN_ETA_EDGES.length - 1;
const NP = SCAN_PT_EDGES.length - 1;
export const SCAN_CELLS = NE * NP;
const ETA_WIDTHS = [1, 2];
const PT_WIDTHS = [1, 2, 3, 4];
/** Pseudo-experiments per global p-value: resolves p down to 1/501, five times below a 1 % budget. */
export const SCAN_PSEUDO = 500;

function cellOf(pt: number, eta: number): number {
  const ie = binIndex(SCAN_ETA_EDGES, Math.abs(eta));
  const ip = binIndex(SCAN_PT_EDGES, pt);
  return ie < 0 || ip < 0 ? -1 : ie * NP + ip;
}

/** Observed same-charge electrons per cell (window rows, signal and background alike: that is the data). */
export function scanObserved(table: EventTable): number[] {
  const out = new Float64Array(SCAN_CELLS);
  addScanObserved(out, table);
  return Array.from(out);
}

/**
 * scanObserved's sums added to `out` (chunk by chunk for a streamed toy: the sums run in row order across
 * chunks, so the cells are bit-identical to one call on all rows).
 */
export function addScanObserved(out: Float64Array, table: EventTable): void {
  const c = table.columns;
  for (let i = 0; i < table.n; i++) {
    if (c.region![i] !== REGION.window || c.sc![i] !== 1) continue;
    const w = c.w ? c.w[i]! : 1;
    const a = cellOf(c.pt1![i]!, c.eta1![i]!);
    const b = cellOf(c.pt2![i]!, c.eta2![i]!);
    if (a >= 0) out[a] += w;
    if (b >= 0) out[b] += w;
  }
}

/** Predicted same-charge electrons per cell from the opposite-charge window events and the estimator's ε. */
export function scanPredicted(table: EventTable, eps1: ArrayLike<number>, eps2: ArrayLike<number>): number[] {
  const out = new Float64Array(SCAN_CELLS);
  addScanPredicted(out, table, eps1, eps2);
  return Array.from(out);
}

/** scanPredicted's sums added to `out` (chunk by chunk, as addScanObserved). */
export function addScanPredicted(out: Float64Array, table: EventTable, eps1: ArrayLike<number>, eps2: ArrayLike<number>): void {
  const c = table.columns;
  for (let i = 0; i < table.n; i++) {
    if (c.region![i] !== REGION.window || c.sc![i] !== 0) continue;
    const e1 = eps1[i]!;
    const e2 = eps2[i]!;
    if (!Number.isFinite(e1) || !Number.isFinite(e2)) continue;
    const e = eps12(e1, e2);
    const r = (c.w ? c.w[i]! : 1) * (e / (1 - e));
    const a = cellOf(c.pt1![i]!, c.eta1![i]!);
    const b = cellOf(c.pt2![i]!, c.eta2![i]!);
    if (a >= 0) out[a] += r;
    if (b >= 0) out[b] += r;
  }
}

export interface ScanWindow {
  eta: [number, number];
  pt: [number, number];
  observed: number;
  predicted: number;
  q: number;
}

function prefix(cells: ArrayLike<number>): Float64Array {
  // 2D prefix sums, (NE + 1) × (NP + 1).
  const s = new Float64Array((NE + 1) * (NP + 1));
  for (let e = 0; e < NE; e++) {
    for (let p = 0; p < NP; p++) {
      s[(e + 1) * (NP + 1) + p + 1] = cells[e * NP + p]! + s[e * (NP + 1) + p + 1]! + s[(e + 1) * (NP + 1) + p]! - s[e * (NP + 1) + p]!;
    }
  }
  return s;
}
const box = (s: Float64Array, e0: number, e1: number, p0: number, p1: number): number =>
  s[e1 * (NP + 1) + p1]! - s[e0 * (NP + 1) + p1]! - s[e1 * (NP + 1) + p0]! + s[e0 * (NP + 1) + p0]!;
function lr(n: number, mu: number): number {
  if (!(mu > 0)) return 0;
  return n > 0 ? 2 * (n * Math.log(n / mu) - (n - mu)) : 2 * mu;
}

interface Windows {
  /** Prefix-sum corner offsets of each window (a − b − c + d) and its prediction. */
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
  d: Int32Array;
  mu: Float64Array;
  /** Cell ranges, for naming the window that carries q_max. */
  e0: Int32Array;
  e1: Int32Array;
  p0: Int32Array;
  p1: Int32Array;
}

/** The windows predicting at least `minPredicted` electrons (fewer carry no information). */
function windows(pred: Float64Array, minPredicted: number): Windows {
  const list: number[][] = [];
  for (const we of ETA_WIDTHS) {
    for (const wp of PT_WIDTHS) {
      for (let e0 = 0; e0 + we <= NE; e0++) {
        for (let p0 = 0; p0 + wp <= NP; p0++) {
          const mu = box(pred, e0, e0 + we, p0, p0 + wp);
          if (mu >= minPredicted) list.push([e0, e0 + we, p0, p0 + wp, mu]);
        }
      }
    }
  }
  const at = (e: number, p: number): number => e * (NP + 1) + p;
  return {
    a: Int32Array.from(list, (w) => at(w[1]!, w[3]!)),
    b: Int32Array.from(list, (w) => at(w[0]!, w[3]!)),
    c: Int32Array.from(list, (w) => at(w[1]!, w[2]!)),
    d: Int32Array.from(list, (w) => at(w[0]!, w[2]!)),
    mu: Float64Array.from(list, (w) => w[4]!),
    e0: Int32Array.from(list, (w) => w[0]!),
    e1: Int32Array.from(list, (w) => w[1]!),
    p0: Int32Array.from(list, (w) => w[2]!),
    p1: Int32Array.from(list, (w) => w[3]!),
  };
}

/** Largest local statistic over the windows, and which window has it. */
function qMax(obs: Float64Array, w: Windows): { q: number; at: number } {
  let q = 0;
  let at = -1;
  for (let i = 0; i < w.mu.length; i++) {
    const n = obs[w.a[i]!]! - obs[w.b[i]!]! - obs[w.c[i]!]! + obs[w.d[i]!]!;
    const x = lr(n, w.mu[i]!);
    if (x > q) {
      q = x;
      at = i;
    }
  }
  return { q, at };
}

export interface ScanResult {
  p: number;
  qMax: number;
  window: ScanWindow | null;
  pseudo: number;
}

/** Global p-value of the scan for summed observed and predicted cells. */
export function closureScanP(
  observed: ArrayLike<number>,
  predicted: ArrayLike<number>,
  seed: string,
  pseudo = SCAN_PSEUDO,
  minPredicted = 1,
): ScanResult {
  const obs = prefix(observed);
  const pred = prefix(predicted);
  const w = windows(pred, minPredicted);
  const best = qMax(obs, w);
  const rng = createRng(seed);
  const cells = new Float64Array(SCAN_CELLS);
  let above = 0;
  for (let j = 0; j < pseudo; j++) {
    for (let c = 0; c < SCAN_CELLS; c++) cells[c] = rng.poisson(Math.max(predicted[c]!, 0));
    if (qMax(prefix(cells), w).q >= best.q) above++;
  }
  const i = best.at;
  const window: ScanWindow | null =
    i < 0
      ? null
      : {
          eta: [SCAN_ETA_EDGES[w.e0[i]!]!, SCAN_ETA_EDGES[w.e1[i]!]!],
          pt: [SCAN_PT_EDGES[w.p0[i]!]!, SCAN_PT_EDGES[w.p1[i]!]!],
          observed: obs[w.a[i]!]! - obs[w.b[i]!]! - obs[w.c[i]!]! + obs[w.d[i]!]!,
          predicted: w.mu[i]!,
          q: best.q,
        };
  return { p: (1 + above) / (1 + pseudo), qMax: best.q, window, pseudo };
}

/** The cell indices of an (|η|, pT) box, for injecting a local defect into a prediction. */
export function scanCellsIn(eta: readonly [number, number], pt: readonly [number, number]): number[] {
  const out: number[] = [];
  for (let e = 0; e < NE; e++) {
    const ec = 0.5 * (SCAN_ETA_EDGES[e]! + SCAN_ETA_EDGES[e + 1]!);
    if (ec < eta[0] || ec >= eta[1]) continue;
    for (let p = 0; p < NP; p++) {
      const pc = 0.5 * (SCAN_PT_EDGES[p]! + SCAN_PT_EDGES[p + 1]!);
      if (pc >= pt[0] && pc < pt[1]) out.push(e * NP + p);
    }
  }
  return out;
}
