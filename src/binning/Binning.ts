/**
 * The (|η|, pT) binning shared by every binned estimator and every per-bin comparison in the bench.
 *
 * Bins are half-open, [lo, hi) in both |η| and pT, so an electron exactly on an inner edge belongs to the bin
 * above it and one exactly on the last edge is outside. Bin k = iEta · nPt + iPt (|η|-major), so the bins of
 * one |η| slice are contiguous. The crack (1.37–1.52) is an ordinary bin: if the selection removes crack
 * electrons it is simply empty, and the fit and the identifiability report say so instead of hiding it.
 */
import { ConfigError } from '../errors.js';
import { binIndex } from '../util/binIndex.js';
import { ACCEPTANCE_DEFAULTS } from '../selection/selection.js';

/** |η| edges of the standard binned measurement (physics.md, "the standard binned method"). */
export const DEFAULT_ETA_EDGES: readonly number[] = [0, 0.5, 1.0, ...ACCEPTANCE_DEFAULTS.crack, 1.8, 2.0, ACCEPTANCE_DEFAULTS.maxAbsEta];
/** pT edges in GeV. */
export const DEFAULT_PT_EDGES: readonly number[] = [25, 60, 90, 130, 1000];

function checkEdges(path: string, edges: readonly number[], min: number): void {
  if (!Array.isArray(edges) || edges.length < 2) throw new ConfigError(path, edges, 'at least two edges');
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i]!;
    if (typeof e !== 'number' || !Number.isFinite(e)) throw new ConfigError(`${path}[${i}]`, e, 'a finite number');
    if (e < min) throw new ConfigError(`${path}[${i}]`, e, `an edge >= ${min}`);
    if (i > 0 && !(e > edges[i - 1]!))
      throw new ConfigError(`${path}[${i}]`, e, `strictly increasing edges (previous edge ${edges[i - 1]})`);
  }
}

function fmtEta(x: number): string {
  return x.toFixed(2);
}

function fmtPt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

export class Binning {
  readonly etaEdges: readonly number[];
  readonly ptEdges: readonly number[];
  readonly nEta: number;
  readonly nPt: number;
  /** Number of bins K. */
  readonly size: number;
  private readonly eta: Float64Array;
  private readonly pt: Float64Array;

  private constructor(etaEdges: readonly number[], ptEdges: readonly number[]) {
    this.etaEdges = Object.freeze([...etaEdges]);
    this.ptEdges = Object.freeze([...ptEdges]);
    this.eta = Float64Array.from(etaEdges);
    this.pt = Float64Array.from(ptEdges);
    this.nEta = etaEdges.length - 1;
    this.nPt = ptEdges.length - 1;
    this.size = this.nEta * this.nPt;
  }

  /** Validated binning; unsorted, repeated, negative (|η|) or non-finite edges are a ConfigError. */
  static fromEdges(etaEdges: readonly number[], ptEdges: readonly number[]): Binning {
    checkEdges('bins.eta', etaEdges, 0);
    checkEdges('bins.pt', ptEdges, 0);
    return new Binning(etaEdges, ptEdges);
  }

  static defaults(): Binning {
    return Binning.fromEdges(DEFAULT_ETA_EDGES, DEFAULT_PT_EDGES);
  }

  /** Bin of an electron, or -1 if it is outside the binning (or a coordinate is NaN). */
  index(pt: number, absEta: number): number {
    const ie = binIndex(this.eta, absEta);
    if (ie < 0) return -1;
    const ip = binIndex(this.pt, pt);
    if (ip < 0) return -1;
    return ie * this.nPt + ip;
  }

  /** (|η| index, pT index) of bin k. */
  coordinates(k: number): { iEta: number; iPt: number } {
    this.check(k);
    return { iEta: Math.floor(k / this.nPt), iPt: k % this.nPt };
  }

  /** Human label, e.g. "|η| 1.52–1.80, pT 25–60 GeV". */
  label(k: number): string {
    const { iEta, iPt } = this.coordinates(k);
    return `|η| ${fmtEta(this.etaEdges[iEta]!)}–${fmtEta(this.etaEdges[iEta + 1]!)}, pT ${fmtPt(this.ptEdges[iPt]!)}–${fmtPt(this.ptEdges[iPt + 1]!)} GeV`;
  }

  labels(): string[] {
    return Array.from({ length: this.size }, (_, k) => this.label(k));
  }

  toJSON(): { etaEdges: number[]; ptEdges: number[] } {
    return { etaEdges: [...this.etaEdges], ptEdges: [...this.ptEdges] };
  }

  private check(k: number): void {
    if (!Number.isInteger(k) || k < 0 || k >= this.size) throw new RangeError(`bin ${k} outside 0..${this.size - 1}`);
  }
}
