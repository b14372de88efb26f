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
 *
 * Optional absolute shift by |η| region (`etaShift`, the public ATLAS charge-flip tool's parametrisation,
 * physics.md "Added in the second wave"; docs/electrons.md): after the fractional terms,
 *   E → E − shiftScale·b(|η|) + smearScale·s(|η|)·N(0, 1),   b, s per |η| bin (GeV),
 * which moves the SC Z peak by several GeV and widens it. Named profiles (`profile` key, expanded in place,
 * other keys override): 'default' = today's mild response; 'realistic' = no fractional terms, the ATLAS
 * shift with ×1.35 / ×1.25 over six |η| bins.
 */
import { z } from 'zod';
import { zodConfigError } from '../config/zodConfigError.js';

export interface EtaShift {
  /** |η| bin edges (the last bin extends beyond its upper edge). */
  absEtaEdges: number[];
  /** b per bin [GeV]: mean energy taken from a flipped electron (before shiftScale). */
  shift: number[];
  /** s per bin [GeV]: extra Gaussian smearing (before smearScale). */
  smear: number[];
  shiftScale: number;
  smearScale: number;
}

export interface FlipResponse {
  /** Mean of the exponential fractional energy loss x; 0 = no loss. */
  lossMean: number;
  /** Relative Gaussian smearing of a flipped electron's energy; 0 = none. */
  extraSmear: number;
  /** Absolute energy shift and smearing by |η| region; absent = none. */
  etaShift?: EtaShift | undefined;
}

/**
 * Both parameters are fractions of the electron's energy, limited to [0, 1): a mean loss of 100 % or more
 * would mean the typical flipped electron is not reconstructed at all, and a relative smearing of 100 % or
 * more would give a negative energy factor in ≥ 16 % of the flips — outside what the response models.
 */
const gev = z.number().finite().nonnegative();
export const etaShiftSchema = z
  .strictObject({
    absEtaEdges: z.array(z.number().finite().nonnegative()).min(2),
    shift: z.array(gev).min(1),
    smear: z.array(gev).min(1),
    shiftScale: gev.default(1.35),
    smearScale: gev.default(1.25),
  })
  .superRefine((v, ctx) => {
    const n = v.absEtaEdges.length - 1;
    for (let i = 1; i <= n; i++)
      if (!(v.absEtaEdges[i]! > v.absEtaEdges[i - 1]!))
        ctx.addIssue({ code: 'custom', path: ['absEtaEdges'], message: 'expected strictly increasing edges' });
    if (v.absEtaEdges[0] !== 0) ctx.addIssue({ code: 'custom', path: ['absEtaEdges'], message: 'expected the first edge at 0' });
    if (v.shift.length !== n) ctx.addIssue({ code: 'custom', path: ['shift'], message: `expected ${n} values (one per |eta| bin)` });
    if (v.smear.length !== n) ctx.addIssue({ code: 'custom', path: ['smear'], message: `expected ${n} values (one per |eta| bin)` });
  });

export const flipResponseFields = {
  lossMean: z.number().finite().min(0).lt(1, 'expected a fraction in [0, 1)'),
  extraSmear: z.number().finite().min(0).lt(1, 'expected a fraction in [0, 1)'),
  etaShift: etaShiftSchema.optional(),
};

/**
 * Named profiles. 'realistic': b from 1.6 (central) to 4.9 GeV (forward), s from 1.75 to 3.75 GeV over six |η|
 * bins (physics.md; the four inner values are interpolated [est]), on the ATLAS charge-flip |η| binning.
 */
export const FLIP_RESPONSE_PROFILES = {
  default: { lossMean: 0.015, extraSmear: 0.025 },
  realistic: {
    lossMean: 0,
    extraSmear: 0,
    etaShift: {
      absEtaEdges: [0, 0.6, 1.1, 1.52, 1.7, 2.3, 2.5],
      shift: [1.6, 2.0, 2.6, 3.3, 4.1, 4.9],
      smear: [1.75, 2.1, 2.5, 2.9, 3.3, 3.75],
      shiftScale: 1.35,
      smearScale: 1.25,
    },
  },
} as const satisfies Record<string, FlipResponse>;
export type FlipResponseProfile = keyof typeof FLIP_RESPONSE_PROFILES;

/** `{ profile: name, ...overrides }` → the profile's values with the overrides; anything else unchanged. */
export function expandFlipProfile(v: unknown): unknown {
  if (v == null || typeof v !== 'object' || Array.isArray(v) || !('profile' in v)) return v;
  const { profile, ...rest } = v as { profile: unknown };
  if (typeof profile !== 'string' || !(profile in FLIP_RESPONSE_PROFILES)) return v; // left for the schema to reject (unknown key)
  return { ...structuredClone(FLIP_RESPONSE_PROFILES[profile as FlipResponseProfile]), ...rest };
}

/** The response as the fits take it: both keys required (or a `profile`), unknown keys rejected. */
export const flipResponseSchema = z.preprocess(expandFlipProfile, z.strictObject(flipResponseFields));

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
export function applyFlipResponse(u: FlipDraws, r: FlipResponse, energy: number, absEta = 0): number {
  let e = energy;
  // 1 − x with x = −lossMean·ln(u), x ~ exponential(lossMean)
  if (r.lossMean > 0) e *= 1 + r.lossMean * Math.log(u.uniform());
  if (r.extraSmear > 0) e *= 1 + r.extraSmear * u.normal();
  const s = r.etaShift;
  if (s) {
    const edges = s.absEtaEdges;
    let b = 0;
    while (b < edges.length - 2 && absEta >= edges[b + 1]!) b++;
    e += -s.shiftScale * s.shift[b]! + s.smearScale * s.smear[b]! * u.normal();
  }
  return e;
}

/**
 * One draw of the energy factor f = E_flipped/E for an electron of energy `energy` [GeV] at `absEta` (the
 * fractional terms do not depend on them; the |η| shift does).
 */
export function drawFlipFactor(u: FlipDraws, r: FlipResponse, energy = 1, absEta = 0): number {
  return applyFlipResponse(u, r, energy, absEta) / energy;
}
