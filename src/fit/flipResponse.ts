/**
 * The flip response R: what a charge flip does to the reconstructed electron (physics.md, "What a flip does to
 * the reconstructed electron"). A flipped electron radiated, so its reconstructed energy is multiplied by
 *   f = (1 − x) · (1 + extraSmear · N(0, 1)),   x ~ exponential(lossMean),
 * on top of the ordinary resolution; pT scales with E (η and φ are unchanged), so for massless electrons
 * m_ee scales with √f. In the toy this is the generator's `detector.flip`; in data it is measured from the
 * same-charge peak shape (its shift and width relative to the opposite-charge peak). A wrong R is the
 * folded fit's remaining systematic.
 */
import { ConfigError } from '../errors.js';
import type { Rng } from '../rng.js';

export interface FlipResponse {
  /** Mean of the exponential fractional energy loss x; 0 = no loss. */
  lossMean: number;
  /** Relative Gaussian smearing of a flipped electron's energy; 0 = none. */
  extraSmear: number;
}

/** A response object from untyped options, checked key by key (`path` prefixes the key in the error). */
export function flipResponseFrom(value: unknown, path: string, source?: string): FlipResponse {
  if (value == null || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(path, value, 'an object { lossMean, extraSmear }', source);
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) if (k !== 'lossMean' && k !== 'extraSmear') throw new ConfigError(`${path}.${k}`, v[k], 'unknown key (expected lossMean, extraSmear)', source);
  const num = (k: 'lossMean' | 'extraSmear'): number => {
    const x = v[k];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new ConfigError(`${path}.${k}`, x, 'a finite number ≥ 0', source);
    return x;
  };
  return { lossMean: num('lossMean'), extraSmear: num('extraSmear') };
}

/**
 * One draw of the energy factor f. The generator's order of draws is kept (loss, then smearing), though only
 * the distribution matters here. f ≤ 0 (a loss above 100 %) means the electron is lost.
 */
export function drawFlipFactor(rng: Rng, r: FlipResponse): number {
  let f = 1;
  if (r.lossMean > 0) f *= 1 - rng.exponential(r.lossMean);
  if (r.extraSmear > 0) f *= 1 + r.extraSmear * rng.normal();
  return f;
}
