/**
 * Detector acceptance and event selection, as plain predicates on reconstructed quantities:
 *   electron: |η| < maxAbsEta, and outside crack.lo < |η| < crack.hi unless the crack is kept;
 *   pair:     leading pT > ptMin[0], subleading pT > ptMin[1];
 *   region:   window [lo, hi) → 0, low sideband [lo, hi) → 1, high sideband [lo, hi) → 2, else −1.
 */
import type { GeneratorConfig } from '../../src/config/generator-config.js';

export class Acceptance {
  private readonly maxAbsEta: number;
  private readonly crackLo: number;
  private readonly crackHi: number;
  private readonly excludeCrack: boolean;
  private readonly pt1: number;
  private readonly pt2: number;
  private readonly w: readonly [number, number];
  private readonly l: readonly [number, number];
  private readonly h: readonly [number, number];

  constructor(cfg: GeneratorConfig) {
    const d = cfg.detector;
    this.maxAbsEta = d.maxAbsEta;
    [this.crackLo, this.crackHi] = d.crack;
    this.excludeCrack = d.excludeCrack;
    [this.pt1, this.pt2] = cfg.selection.ptMin;
    this.w = cfg.selection.window;
    this.l = cfg.selection.lowSideband;
    this.h = cfg.selection.highSideband;
  }

  accepts(eta: number): boolean {
    const a = Math.abs(eta);
    if (!(a < this.maxAbsEta)) return false;
    return !(this.excludeCrack && a > this.crackLo && a < this.crackHi);
  }

  passesPt(leadPt: number, subPt: number): boolean {
    return leadPt > this.pt1 && subPt > this.pt2;
  }

  region(m: number): number {
    if (m >= this.w[0] && m < this.w[1]) return 0;
    if (m >= this.l[0] && m < this.l[1]) return 1;
    if (m >= this.h[0] && m < this.h[1]) return 2;
    return -1;
  }
}
