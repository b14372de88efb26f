/**
 * The analytic ε times a "damaged sector" factor in azimuth: structure that a (pT, |η|) binning cannot see
 * (physics.md: [est] factor 2–5 over ~10 % of φ). The product is clipped to the base model's clip interval.
 * A range with lo > hi wraps through ±π.
 */
import type { AnalyticEpsParams } from '../../src/config/generatorConfig.js';
import { analyticEps, type EpsModel } from './analyticEps.js';

export function sectorEps(base: AnalyticEpsParams, factor: number, phiRange: readonly [number, number]): EpsModel {
  const inner = analyticEps(base);
  const [lo, hi] = phiRange;
  const [clipLo, clipHi] = base.clip;
  const inSector = lo < hi ? (phi: number) => phi >= lo && phi < hi : (phi: number) => phi >= lo || phi < hi;
  return (pt: number, absEta: number, phi: number): number => {
    const e = inner(pt, absEta, phi);
    if (!inSector(phi)) return e;
    const s = e * factor;
    return s < clipLo ? clipLo : s > clipHi ? clipHi : s;
  };
}
