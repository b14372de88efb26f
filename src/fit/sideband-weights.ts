/**
 * Sideband subtraction as event weights: window events keep their weight, sideband events get
 * −(window width)/(total sideband width) times theirs, so Σw over a pair category estimates the window count
 * minus the background interpolated linearly under the peak (physics.md, "selection and backgrounds";
 * −0.5 for the default 80–100 window and 60–80 + 100–120 sidebands). The region of each event comes from
 * the `region` column (0 window, 1 low sideband, 2 high sideband).
 */
import { ConfigError, DataError } from '../errors.js';
import type { TypedColumn } from '../events/columns.js';

export interface MassRegions {
  window: readonly [number, number];
  lowSideband: readonly [number, number];
  highSideband: readonly [number, number];
}

export const DEFAULT_MASS_REGIONS: MassRegions = { window: [80, 100], lowSideband: [60, 80], highSideband: [100, 120] };

/** The weight factor for a sideband event: −(window width)/(low + high sideband width). */
export function sidebandFactor(regions: MassRegions = DEFAULT_MASS_REGIONS): number {
  const width = (r: readonly [number, number], name: string): number => {
    if (!(Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[1] > r[0])) throw new ConfigError(`regions.${name}`, r, '[lo, hi] with finite lo < hi');
    return r[1] - r[0];
  };
  return -width(regions.window, 'window') / (width(regions.lowSideband, 'lowSideband') + width(regions.highSideband, 'highSideband'));
}

/** Per-event weights for sideband subtraction; `base` (e.g. the w column) multiplies them when given. */
export function sidebandSubtractionWeights(region: TypedColumn, base?: ArrayLike<number>, regions: MassRegions = DEFAULT_MASS_REGIONS, source = 'events'): Float64Array {
  const f = sidebandFactor(regions);
  const out = new Float64Array(region.length);
  for (let e = 0; e < region.length; e++) {
    const r = region[e];
    const b = base ? base[e]! : 1;
    if (r === 0) out[e] = b;
    else if (r === 1 || r === 2) out[e] = f * b;
    else throw new DataError(source, 'region', `expected 0 (window), 1 or 2 (sidebands) at row ${e + 1}`, r);
  }
  return out;
}
