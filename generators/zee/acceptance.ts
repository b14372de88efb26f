/**
 * Detector acceptance and event selection, as plain predicates on reconstructed quantities:
 *   electron: |η| < maxAbsEta, and outside crack.lo < |η| < crack.hi unless the crack is kept;
 *   pair:     leading pT > ptMin[0], subleading pT > ptMin[1];
 *   region:   REGION code of the mass (src/selection: window, low or high sideband, outside).
 */
import type { GeneratorConfig } from '../../src/config/generatorConfig.js';
import { regionOf, type MassRegions, type RegionCode } from '../../src/selection/selection.js';

export class Acceptance {
  private readonly maxAbsEta: number;
  private readonly crackLo: number;
  private readonly crackHi: number;
  private readonly excludeCrack: boolean;
  private readonly pt1: number;
  private readonly pt2: number;
  private readonly regions: MassRegions;

  constructor(cfg: GeneratorConfig) {
    const d = cfg.detector;
    this.maxAbsEta = d.maxAbsEta;
    [this.crackLo, this.crackHi] = d.crack;
    this.excludeCrack = d.excludeCrack;
    [this.pt1, this.pt2] = cfg.selection.ptMin;
    this.regions = cfg.selection;
  }

  accepts(eta: number): boolean {
    const a = Math.abs(eta);
    if (!(a < this.maxAbsEta)) return false;
    return !(this.excludeCrack && a > this.crackLo && a < this.crackHi);
  }

  passesPt(leadPt: number, subPt: number): boolean {
    return leadPt > this.pt1 && subPt > this.pt2;
  }

  region(m: number): RegionCode {
    return regionOf(m, this.regions);
  }
}
