/**
 * Sideband subtraction as event weights: window events keep their weight, sideband events get
 * sidebandFactor(selection) = −(window width)/(total sideband width) times theirs, so Σw over a pair category
 * estimates the window count minus the background interpolated linearly under the peak (physics.md,
 * "selection and backgrounds"). The region of each event comes from a REGION-coded column
 * (src/selection/selection.ts), the factor from the selection that wrote it — pass the file's own selection.
 */
import { DataError } from '../errors.js';
import type { TypedColumn } from '../events/columns.js';
import { REGION, sidebandFactor, type MassRegions } from '../selection/selection.js';

/** Per-event weights for sideband subtraction; `base` (e.g. the w column) multiplies them when given. */
export function sidebandSubtractionWeights(
  region: TypedColumn | Int8Array,
  regions: MassRegions,
  base?: ArrayLike<number>,
  source = 'events',
): Float64Array {
  const f = sidebandFactor(regions);
  const out = new Float64Array(region.length);
  for (let e = 0; e < region.length; e++) {
    const r = region[e];
    const b = base ? base[e]! : 1;
    if (r === REGION.window) out[e] = b;
    else if (r === REGION.lowSideband || r === REGION.highSideband) out[e] = f * b;
    else
      throw new DataError(
        source,
        'region',
        `expected ${REGION.window} (window), ${REGION.lowSideband} or ${REGION.highSideband} (sidebands) at row ${e + 1}`,
        r,
      );
  }
  return out;
}
