/**
 * The toy Z→ee generator's configuration: one zod schema (unknown keys rejected at every level), the defaults
 * (every physics number of the toy, documented in docs/generator.md, lives here and nowhere else), and `resolveGeneratorConfig`,
 * which turns a partial input into the fully resolved config that is written next to every output.
 *
 * Resolution = schema parse (types, signs, defaults) + cross-field checks (ordered ranges, window and sidebands
 * inside the generated mass range, binned-map shapes). Every failure is a ConfigError naming the dotted key path.
 */
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { zodConfigError } from './zodConfigError.js';
import { ConfigError } from '../errors.js';
import { ACCEPTANCE_DEFAULTS, SELECTION_DEFAULTS, checkSelection, selectedMassRange, selectionSchema } from '../selection/selection.js';
import { expandFlipProfile, flipResponseFields, FLIP_RESPONSE_DEFAULTS } from '../fit/flipResponse.js';

/** A user-supplied truth ε(e): truth pT [GeV], |η|, φ [rad] → flip probability in [0, 1]. Programmatic API only. */
export type EpsFunction = (pt: number, absEta: number, phi: number) => number;

const num = z.number().finite();
const pos = num.positive();
const nonneg = num.nonnegative();
const prob = num.min(0).max(1);
const range = z.tuple([num, num]);

const resolutionTerm = (a: number, b: number, c: number) =>
  z
    .strictObject({
      /** stochastic term [GeV^½]: σ/E ∋ a/√E */
      a: nonneg.default(a),
      /** noise term at η = 0 [GeV]; the noise is b·cosh η, so b/E = b/pT */
      b: nonneg.default(b),
      /** constant term */
      c: nonneg.default(c),
    })
    .prefault({});

const analyticParams = {
  /** trident (brem + conversion) normalisation */
  eps0: nonneg.default(2.5e-5),
  /** material growth with |η| */
  beta: num.default(2.2),
  /** pT scale of the trident rise [GeV] */
  pb: pos.default(50),
  /** curvature-resolution scale factor */
  k: pos.default(1.5),
  /** σ∞(|η|) = sigmaInf[0] + sigmaInf[1]·η² [GeV⁻¹] */
  sigmaInf: z.tuple([pos, nonneg]).default([0.34e-3, 0.03e-3]),
  /** multiple-scattering momentum scale p_X [GeV] */
  pX: nonneg.default(44),
  /** trident factor inside the crack */
  crackFactor: nonneg.default(2),
  crack: range.default([...ACCEPTANCE_DEFAULTS.crack]),
  /** ε is clipped to this interval (physics.md: [0, 0.5]) */
  clip: range.default([0, 0.5]),
};

const analyticEps = z.strictObject({ model: z.literal('analytic'), ...analyticParams });
const analyticBase = z.strictObject(analyticParams).prefault({});
const binnedEps = z.strictObject({
  model: z.literal('binned'),
  absEtaEdges: z.array(nonneg).min(2),
  ptEdges: z.array(nonneg).min(2),
  /** values[iAbsEta][iPt]; pT beyond the last edge uses the last bin, below the first the first bin */
  values: z.array(z.array(prob)),
});
const sectorEps = z.strictObject({
  model: z.literal('sector'),
  /** ε multiplier inside the damaged sector ([est] 2–5) */
  factor: nonneg.default(3),
  /** φ interval [rad] of the sector; lo > hi wraps through ±π */
  phiRange: range.default([0, 0.2 * Math.PI]),
  base: analyticBase,
});
const functionEps = z.strictObject({
  model: z.literal('function'),
  fn: z.custom<EpsFunction>((v) => typeof v === 'function', { message: 'expected a function (pt, absEta, phi) => number' }),
  label: z.string().default('user function'),
});

const epsSchema = z.discriminatedUnion('model', [analyticEps, binnedEps, sectorEps, functionEps]);

/**
 * The latent electron (docs/electrons.md): a cause for every flip and the features of the reconstructed electron.
 * Absent (the default) = today's toy electron, whose flip probability is the `eps` model of (pT, |η|, φ) and which
 * has no features; the output is then byte-identical to a config without this block.
 */
const latentElectron = z.strictObject({
  model: z.literal('latent'),
  material: z
    .strictObject({
      /** X/X0 in front of the calorimeter at these |η| nodes (piecewise linear; flat beyond the last) [est] */
      absEta: z.array(nonneg).min(2).default([0, 0.5, 1.0, 1.37, 1.52, 1.8, 2.0, 2.3, 2.47]),
      x0: z.array(pos).min(2).default([0.45, 0.5, 0.75, 1.05, 1.6, 1.55, 1.75, 2.05, 2.3]),
      /** global material scale (data vs simulation: a few % more material in data) */
      scale: pos.default(1),
    })
    .prefault({}),
  brem: z
    .strictObject({
      /** brem depth y = −ln(track-momentum fraction kept) ~ exponential with mean yPerX0·X/X0 (Bethe–Heitler ≈) */
      yPerX0: pos.default(1),
    })
    .prefault({}),
  trident: z
    .strictObject({
      /** normalisation A0 of the wrong-leg probability π_W = A0·(1 + pT/pb)·(1 − e^{−ξ·X/X0})·ramp(y) */
      a0: prob.default(0.0214),
      pb: pos.default(50),
      /** photon conversion probability per X/X0: 1 − exp(−ξ·X/X0), ξ = 7/9 */
      xi: pos.default(7 / 9),
      /** brem threshold y0: ramp(y) = max(0, 1 − e^{−(y − y0)}) — only a hard photon can own the track */
      y0: nonneg.default(1.45),
      /** probability that the wrong leg carries the opposite charge (the positron of an e− parent) */
      wrongSign: prob.default(0.5),
    })
    .prefault({}),
  curvature: z
    .strictObject({
      /** σ(q/pT) = k·σ∞(|η|)·√(1 + (pX/pT)²), σ∞ = sigmaInf[0] + sigmaInf[1]·η² [GeV⁻¹] (as eps.analytic) */
      k: pos.default(1.5),
      sigmaInf: z.tuple([pos, nonneg]).default([0.34e-3, 0.03e-3]),
      pX: nonneg.default(44),
      /**
       * a wrong-leg track's true curvature significance is x0 / wrongLegFactor. Default 1: in this model the
       * features are independent given the class, so a factor ≠ 1 would make |q/p|/σ a second, independent
       * momentum measurement beside E/p and tag every conversion leg perfectly (docs/electrons.md)
       */
      wrongLegFactor: pos.default(1),
    })
    .prefault({}),
  features: z
    .strictObject({
      /** false: the wrong leg's track features (E/p, d0, pixel hit, curvature) are drawn as the primary's */
      wrongLegChangesTrack: z.boolean().default(true),
      eop: z
        .strictObject({
          /** ln(E/p) = lambda·y + sigma·N for the primary track (the fit sees a fraction lambda of the brem loss) */
          lambda: pos.default(0.8),
          sigma: pos.default(0.03),
          /** wrong leg: ln(E/p) = scale·(−ln v) + sigma·N, v ~ U(0, 1) its share of the photon */
          wrongLegScale: pos.default(0.6),
        })
        .prefault({}),
      d0sig: z
        .strictObject({
          /** signed d0/σ(d0) ~ N(0, sigma) for the primary, N(0, sigmaWrongLeg) for a conversion leg */
          sigma: pos.default(1),
          sigmaWrongLeg: pos.default(2.5),
        })
        .prefault({}),
      dphi: z
        .strictObject({
          /** q·Δφ(track, cluster) [rad] ~ N(shift, sigma); shift = flipShift/pT [GeV·rad / GeV] when the charge is wrong */
          sigma: pos.default(0.004),
          sigmaWrongLeg: pos.default(0.015),
          flipShift: nonneg.default(0.45),
        })
        .prefault({}),
      pixel: z
        .strictObject({
          /** probability of a hit on the innermost pixel layer: primary track, conversion leg */
          hit: prob.default(0.97),
          hitWrongLeg: prob.default(0.5),
        })
        .prefault({}),
      reta: z
        .strictObject({
          /** ln(1 − Rη) = mu + perX0·X/X0 + wrongLeg·[W] + sigma·N */
          mu: num.default(-3),
          perX0: num.default(0.2),
          wrongLeg: num.default(0.25),
          sigma: pos.default(0.25),
        })
        .prefault({}),
    })
    .prefault({}),
  /** compute eps_reach1/2 = P(flip | features, truth pT, |η|) by Bayes with this model (docs/electrons.md) */
  reach: z.boolean().default(true),
});

const electronSchema = z.discriminatedUnion('model', [z.strictObject({ model: z.literal('toy') }), latentElectron]);

export const generatorConfigSchema = z.strictObject({
  /** Truth events per unit of randomness (seeded from (root seed, block index)). Changing it changes the events. */
  blockSize: z
    .number()
    .int()
    .min(1)
    .max(1 << 22)
    .default(65536),
  truth: z
    .strictObject({
      /** √s [GeV]: bounds the Z rapidity through x1,2 = mT·e^{±y}/√s ≤ 1 */
      sqrtS: pos.default(13000),
      mZ: pos.default(91.1876),
      gammaZ: pos.default(2.4952),
      /** generated truth-mass range [GeV]; by default exactly the selected range (sidebands included) */
      massRange: range.default(selectedMassRange(SELECTION_DEFAULTS)),
      zPt: z
        .strictObject({
          /** dN/dpT ∝ pT/(pT²+p0²)^power · exp(−pT/slope) */
          p0: pos.default(7.75),
          power: pos.default(1.436),
          slope: pos.default(106.5),
          /** upper end of the tabulated spectrum [GeV] */
          max: pos.default(1000),
          /** CDF table nodes (uniform in √pT) */
          gridPoints: z
            .number()
            .int()
            .min(16)
            .max(1 << 24)
            .default(1 << 14),
        })
        .prefault({}),
      rapidity: z
        .strictObject({
          /** dN/dy ∝ 1/(1+exp((|y|−plateau)/edge)) */
          plateau: nonneg.default(3.5),
          edge: pos.default(0.5),
          gridPoints: z
            .number()
            .int()
            .min(16)
            .max(1 << 24)
            .default(1 << 13),
        })
        .prefault({}),
      /** forward–backward asymmetry in 1 + cos²θ* + (8/3)·A_FB·cosθ* (Collins–Soper frame); |A_FB| ≤ 0.75 */
      afb: num.min(-0.75).max(0.75).default(0.02),
    })
    .prefault({}),
  eps: epsSchema.optional(),
  /** the electron model: absent or 'toy' = today's; 'latent' = docs/electrons.md */
  electron: electronSchema.optional(),
  detector: z
    .strictObject({
      maxAbsEta: pos.default(ACCEPTANCE_DEFAULTS.maxAbsEta),
      crack: range.default([...ACCEPTANCE_DEFAULTS.crack]),
      /** drop electrons inside the crack (true) or keep them (false) */
      excludeCrack: z.boolean().default(true),
      resolution: z
        .strictObject({
          /** |η| below this uses `barrel`, otherwise `endcap` */
          barrelMaxAbsEta: pos.default(ACCEPTANCE_DEFAULTS.crack[0]),
          barrel: resolutionTerm(0.1, 0.3, 0.007),
          endcap: resolutionTerm(0.15, 0.3, 0.015),
        })
        .prefault({}),
      /** the flip response R (src/fit/flipResponse.ts): its one schema, with the generator's defaults */
      flip: z
        .preprocess(
          expandFlipProfile,
          z.strictObject({
            lossMean: flipResponseFields.lossMean.default(FLIP_RESPONSE_DEFAULTS.lossMean),
            extraSmear: flipResponseFields.extraSmear.default(FLIP_RESPONSE_DEFAULTS.extraSmear),
            /** absolute shift by |η| region; `{ profile: 'realistic' }` sets it (src/fit/flipResponse.ts) */
            etaShift: flipResponseFields.etaShift,
          }),
        )
        .prefault({}),
      angular: z
        .strictObject({
          /** Gaussian σ of reco η around truth η; 0 = off */
          eta: nonneg.default(0),
          /** Gaussian σ of reco φ around truth φ [rad]; 0 = off */
          phi: nonneg.default(0),
        })
        .prefault({}),
    })
    .prefault({}),
  /** acceptance cuts, window and sidebands: src/selection/selection.ts owns the schema and defaults */
  selection: selectionSchema.prefault({}),
  background: z
    .strictObject({
      /** expected fraction of selected events that are fake-electron pairs; 0 = none */
      fraction: num.min(0).max(0.5).default(0),
      /** share of the fake pairs that are same-charge */
      scShare: prob.default(0.5),
      /** falling m_ee spectrum ∝ exp(−slope·m) [1/GeV]; 0 = flat */
      slope: nonneg.default(0.03),
    })
    .prefault({}),
  smearing: z
    .strictObject({
      /** fractional smearing: each truth event passes the detector `copies` times with weight 1/copies */
      copies: z.number().int().min(1).max(1000).default(1),
    })
    .prefault({}),
});

/** What users write (every key optional). */
export type GeneratorConfigInput = z.input<typeof generatorConfigSchema>;
type Parsed = z.output<typeof generatorConfigSchema>;
export type EpsConfig = z.output<typeof epsSchema>;
export type AnalyticEpsParams = z.output<typeof analyticBase>;
export type LatentElectronConfig = z.output<typeof latentElectron>;
/** The fully resolved configuration: every value present. */
export type GeneratorConfig = Omit<Parsed, 'eps'> & { eps: EpsConfig };

declare const resolvedBrand: unique symbol;
/**
 * A configuration that went through resolveGeneratorConfig (or, after crossing a thread or a file as JSON,
 * through asResolvedGeneratorConfig). Functions that need every value take this type, so nothing resolves twice.
 */
export type ResolvedGeneratorConfig = GeneratorConfig & { readonly [resolvedBrand]: true };

/** The runtime side of the brand: the objects resolveGeneratorConfig returned (held weakly). */
const resolvedConfigs = new WeakSet<object>();

/** JSON Schema of the input config (for editors and for validating files in studies/). */
export function generatorConfigJsonSchema(): unknown {
  const fileable = generatorConfigSchema.extend({
    eps: z.discriminatedUnion('model', [analyticEps, binnedEps, sectorEps]).optional(),
  });
  return z.toJSONSchema(fileable, { io: 'input', unrepresentable: 'any' });
}

export function isResolvedGeneratorConfig(input: unknown): input is ResolvedGeneratorConfig {
  return input != null && typeof input === 'object' && resolvedConfigs.has(input);
}

/**
 * Partial input in, resolved config out. `source` (e.g. a file name) prefixes error messages.
 * A config this function already returned is returned as it is: resolution happens once.
 */
export function resolveGeneratorConfig(
  input: GeneratorConfigInput | ResolvedGeneratorConfig | undefined,
  source?: string,
): ResolvedGeneratorConfig {
  if (isResolvedGeneratorConfig(input)) return input;
  const raw: Record<string, unknown> = input == null ? {} : (input as Record<string, unknown>);
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError('', raw, 'expected an object', source);
  // An ε block without `model` means the analytic model with those parameters.
  const el = raw.electron as { model?: unknown } | undefined;
  // A resolved config carries the default analytic block (also after a structured clone to a worker): allowed.
  if (
    el != null &&
    typeof el === 'object' &&
    el.model === 'latent' &&
    raw.eps != null &&
    JSON.stringify(raw.eps) !== JSON.stringify(analyticEps.parse({ model: 'analytic' }))
  )
    throw new ConfigError(
      'eps',
      raw.eps,
      'no eps block with electron.model = latent: the flip probability follows from the latent electron',
      source,
    );
  let withEps: Record<string, unknown> = raw;
  if (raw.eps == null) withEps = { ...raw, eps: { model: 'analytic' } };
  else if (typeof raw.eps === 'object' && !Array.isArray(raw.eps) && !('model' in (raw.eps as object)))
    withEps = { ...raw, eps: { model: 'analytic', ...(raw.eps as object) } };
  const parsed = generatorConfigSchema.safeParse(withEps);
  if (!parsed.success) throw zodConfigError(parsed.error, withEps, source);
  const cfg = parsed.data as ResolvedGeneratorConfig;
  checkCrossFields(cfg, source);
  resolvedConfigs.add(cfg);
  return cfg;
}

/**
 * A resolved configuration that crossed a thread or a file as JSON (a worker's data, a study's points): checked
 * as a type guard only — it must parse to itself, i.e. carry every value with nothing left to default — and
 * branded; it is not resolved again. Anything else is a ConfigError naming `source`.
 */
export function asResolvedGeneratorConfig(value: unknown, source?: string): ResolvedGeneratorConfig {
  if (isResolvedGeneratorConfig(value)) return value;
  const parsed = generatorConfigSchema.safeParse(value);
  if (!parsed.success) throw zodConfigError(parsed.error, value, source);
  if (!isDeepStrictEqual(parsed.data, value))
    throw new ConfigError('', value, 'expected a resolved generator configuration (every value present)', source);
  resolvedConfigs.add(value as object);
  return value as ResolvedGeneratorConfig;
}

function checkCrossFields(cfg: GeneratorConfig, source: string | undefined): void {
  const fail = (path: string, value: unknown, expected: string): never => {
    throw new ConfigError(path, value, expected, source);
  };
  const ordered = (path: string, r: readonly [number, number]): void => {
    if (!(r[0] < r[1])) fail(path, r, 'expected [lo, hi] with lo < hi');
  };
  const t = cfg.truth;
  ordered('truth.massRange', t.massRange);
  if (!(t.massRange[0] > 0)) fail('truth.massRange', t.massRange, 'expected a positive lower mass');
  if (!(t.massRange[1] < t.sqrtS)) fail('truth.massRange', t.massRange, `expected the upper mass below sqrtS = ${t.sqrtS}`);
  const d = cfg.detector;
  ordered('detector.crack', d.crack);
  const s = cfg.selection;
  const [mlo, mhi] = t.massRange;
  const inside = (path: string, r: readonly [number, number]): void => {
    if (r[0] < mlo || r[1] > mhi) fail(path, r, `expected inside the generated mass range truth.massRange = [${mlo}, ${mhi}]`);
  };
  inside('selection.window', s.window);
  inside('selection.lowSideband', s.lowSideband);
  inside('selection.highSideband', s.highSideband);
  checkSelection(s, 'selection', source);
  if (cfg.electron?.model === 'latent') {
    const m = cfg.electron.material;
    if (m.x0.length !== m.absEta.length)
      fail('electron.material.x0', m.x0.length, `expected ${m.absEta.length} values (one per electron.material.absEta node)`);
    if (m.absEta[0] !== 0) fail('electron.material.absEta', m.absEta, 'expected the first node at 0');
    for (let i = 1; i < m.absEta.length; i++)
      if (!(m.absEta[i]! > m.absEta[i - 1]!)) fail('electron.material.absEta', m.absEta, 'expected strictly increasing nodes');
  }
  const e = cfg.eps;
  const analyticChecks = (prefix: string, a: AnalyticEpsParams): void => {
    ordered(`${prefix}.crack`, a.crack);
    const [c0, c1] = a.clip;
    if (!(c0 >= 0 && c1 <= 1 && c0 <= c1)) fail(`${prefix}.clip`, a.clip, 'expected 0 <= lo <= hi <= 1');
  };
  if (e.model === 'analytic') analyticChecks('eps', e);
  if (e.model === 'sector') {
    analyticChecks('eps.base', e.base);
    const [p0, p1] = e.phiRange;
    if (!(Math.abs(p0) <= Math.PI && Math.abs(p1) <= Math.PI && p0 !== p1))
      fail('eps.phiRange', e.phiRange, 'expected two distinct angles in [-pi, pi]');
  }
  if (e.model === 'binned') {
    const inc = (path: string, edges: readonly number[]): void => {
      for (let i = 1; i < edges.length; i++) if (!(edges[i]! > edges[i - 1]!)) fail(path, edges, 'expected strictly increasing edges');
    };
    inc('eps.absEtaEdges', e.absEtaEdges);
    inc('eps.ptEdges', e.ptEdges);
    const nEta = e.absEtaEdges.length - 1;
    const nPt = e.ptEdges.length - 1;
    if (e.values.length !== nEta) fail('eps.values', e.values.length, `expected ${nEta} rows (one per |eta| bin)`);
    e.values.forEach((row, i) => {
      if (row.length !== nPt) fail(`eps.values.${i}`, row.length, `expected ${nPt} values (one per pT bin)`);
    });
    if (e.absEtaEdges[0]! > 0) fail('eps.absEtaEdges', e.absEtaEdges, 'expected the first edge at 0');
    if (e.absEtaEdges[nEta]! < d.maxAbsEta)
      fail('eps.absEtaEdges', e.absEtaEdges, `expected the last edge at or above detector.maxAbsEta = ${d.maxAbsEta}`);
  }
}

/** The config as plain JSON for file metadata: a user ε function is recorded by its label only. */
export function configForMetadata(cfg: GeneratorConfig): unknown {
  return JSON.parse(JSON.stringify(cfg, (k, v) => (k === 'fn' && typeof v === 'function' ? '<function>' : v)));
}
