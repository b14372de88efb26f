/**
 * The flip response R: what a charge flip does to the reconstructed electron (physics.md, "What a flip does to
 * the reconstructed electron"). A flipped electron radiated, so its reconstructed energy is multiplied by
 *   f = (1 − x) · (1 + extraSmear · N(0, 1)),   x ~ exponential(lossMean),
 * on top of the ordinary resolution; pT scales with E (η and φ are unchanged), so for massless electrons
 * m_ee scales with √f. In the toy this is the generator's `detector.flip`; in data it is measured from the
 * same-charge peak shape (its shift and width relative to the opposite-charge peak). A wrong R is the
 * folded fit's remaining systematic.
 *
 * One schema and one draw for every user: the generator's `detector.flip`, the folded fit, its study
 * estimator and `qmisid fit --folded`.
 */
import { z } from 'zod';
import { zodConfigError } from '../config/zodConfigError.js';

export interface FlipResponse {
  /** Mean of the exponential fractional energy loss x; 0 = no loss. */
  lossMean: number;
  /** Relative Gaussian smearing of a flipped electron's energy; 0 = none. */
  extraSmear: number;
}

/**
 * Both parameters are fractions of the electron's energy, limited to [0, 1): a mean loss of 100 % or more
 * would mean the typical flipped electron is not reconstructed at all, and a relative smearing of 100 % or
 * more would give a negative energy factor in ≥ 16 % of the flips — outside what the response models.
 */
export const flipResponseFields = {
  lossMean: z.number().finite().min(0).lt(1, 'expected a fraction in [0, 1)'),
  extraSmear: z.number().finite().min(0).lt(1, 'expected a fraction in [0, 1)'),
};

/** The response as the fits take it: both keys required, unknown keys rejected. */
export const flipResponseSchema = z.strictObject(flipResponseFields);

/** The generator's default response (physics.md: a ~1.5 % mean loss plus 2.5 % extra smearing). */
export const FLIP_RESPONSE_DEFAULTS: Readonly<FlipResponse> = Object.freeze({ lossMean: 0.015, extraSmear: 0.025 });

/** A response object from untyped options (`path` prefixes the key in the ConfigError). */
export function flipResponseFrom(value: unknown, path: string, source?: string): FlipResponse {
  const parsed = flipResponseSchema.safeParse(value);
  if (!parsed.success) throw zodConfigError(parsed.error, value, source, path);
  return parsed.data;
}

/** The random numbers the response consumes: a uniform in (0, 1] for the loss and a standard normal. */
export interface FlipDraws {
  uniform(): number;
  normal(): number;
}

/**
 * Apply the response to an energy: E·(1 − x)·(1 + extraSmear·N), drawn in this order (loss, then smearing) and
 * multiplied in this order, so the generator's events do not depend on who calls it. A term that is off draws
 * nothing. The result ≤ 0 (a loss above 100 %) means the electron is lost.
 */
export function applyFlipResponse(u: FlipDraws, r: FlipResponse, energy: number): number {
  let e = energy;
  // 1 − x with x = −lossMean·ln(u), x ~ exponential(lossMean)
  if (r.lossMean > 0) e *= 1 + r.lossMean * Math.log(u.uniform());
  if (r.extraSmear > 0) e *= 1 + r.extraSmear * u.normal();
  return e;
}

/** One draw of the energy factor f (the response applied to E = 1). */
export function drawFlipFactor(u: FlipDraws, r: FlipResponse): number {
  return applyFlipResponse(u, r, 1);
}
