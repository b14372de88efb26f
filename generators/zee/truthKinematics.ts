/**
 * Truth Z → e−e+ kinematics for n events into preallocated columns (no allocation in the loop):
 *   1. m from the Breit–Wigner (exact inverse CDF in m², breitWignerM2), Z pT and |y| from their tables, y sign, Z φ uniform;
 *      (pT, y) resampled until both parton momentum fractions x1,2 = mT·e^{±y}/√s are ≤ 1.
 *   2. cosθ* from 1 + cos²θ* + (8/3)A_FB·cosθ*, exactly: |c| from the symmetric part (a mixture: with
 *      probability 3/4 uniform, with 1/4 density ∝ c², i.e. c = v^{1/3}), then the sign + with probability
 *      (1 + g(|c|))/2, g(c) = (8/3)A_FB·c/(1+c²) — the odd part divided by the even part; |g| ≤ 1 needs
 *      |A_FB| ≤ 0.75, which the config enforces. φ* uniform.
 *   3. The Collins–Soper frame: its z axis bisects the beam directions in the Z rest frame, oriented along the
 *      sign of the Z rapidity (pp: the quark direction is unknown). Reaching the rest frame by a longitudinal
 *      boost and then a transverse one leaves both beams symmetric about z, so that z axis IS the CS axis:
 *      the decay is built there and taken to the lab by the inverse chain (transverse boost along the Z pT
 *      direction, rotation by φ_Z, longitudinal boost) — exact Lorentz transformations, no approximation.
 *   4. e− along n = (sinθ*cosφ*, sinθ*sinφ*, cosθ*) with energy m/2, e+ opposite. Electrons are massless
 *      (m_e/m_Z ≈ 6e-6 changes nothing measurable here).
 */
import { NumericalError } from '../../src/errors.js';
import { breitWignerM2, type TruthSamplers } from './truthSamplers.js';
import type { UniformStream } from './uniformStream.js';
import { sinCosOut, turnSinCos } from './turnSinCos.js';

/** Lab four-momenta of the e− (index 1) and e+ (index 2), truth mass and Z (pT, y, φ). Length ≥ n each. */
export interface TruthBuffers {
  m: Float64Array;
  zPt: Float64Array;
  zY: Float64Array;
  zPhi: Float64Array;
  e1: Float64Array;
  px1: Float64Array;
  py1: Float64Array;
  pz1: Float64Array;
  e2: Float64Array;
  px2: Float64Array;
  py2: Float64Array;
  pz2: Float64Array;
  /** Scratch: the fixed uniforms of one batch of events, drawn in bulk (UNIFORMS_PER_EVENT per event). */
  uniforms: Float64Array;
}

/**
 * Events per bulk draw. Small enough that the scratch (14 KB) stays in L1; a batch always draws its full
 * BATCH·UNIFORMS_PER_EVENT uniforms, even when fewer events are asked for, so the first k events of a block are
 * the same whatever its length (resampling draws come after the batch's bulk draw).
 */
export const BATCH = 256;

/** Uniforms drawn in bulk per event: m, pT, y (sign and size), φ_Z, |cosθ*|, sign of cosθ*, φ*. */
export const UNIFORMS_PER_EVENT = 7;

export function allocateTruthBuffers(n: number): TruthBuffers {
  const f = (): Float64Array => new Float64Array(n);
  return {
    m: f(),
    zPt: f(),
    zY: f(),
    zPhi: f(),
    e1: f(),
    px1: f(),
    py1: f(),
    pz1: f(),
    e2: f(),
    px2: f(),
    py2: f(),
    pz2: f(),
    uniforms: new Float64Array(UNIFORMS_PER_EVENT * BATCH),
  };
}

const TWO_PI = 2 * Math.PI;
const MAX_RESAMPLE = 10000;

export function generateTruth(rng: UniformStream, s: TruthSamplers, n: number, out: TruthBuffers): void {
  const { zSqrtPt, absY, sqrtS, afbSlope } = s;
  const sc = sinCosOut;
  const { m: mO, zPt: ptO, zY: yO, zPhi: phiO, e1, px1, py1, pz1, e2, px2, py2, pz2, uniforms: u } = out;
  if (u.length < UNIFORMS_PER_EVENT * BATCH || mO.length < n) throw new RangeError(`generateTruth: buffers hold fewer than ${n} events`);
  for (let i = 0; i < n; i++) {
    // Fixed draws in bulk, 32-bit resolution (2.3e-10: far below every table interval and bin); the rare
    // (pT, y) resampling draws 53-bit doubles from the same stream, so the sequence stays a pure function of
    // the seed.
    if (i % BATCH === 0) rng.fill32(u, UNIFORMS_PER_EVENT * BATCH);
    const o = UNIFORMS_PER_EVENT * (i % BATCH);
    // 1. Z mass, pT, rapidity (|y| and e^|y| from the table), azimuth.
    const m = Math.sqrt(breitWignerM2(s, u[o]!));
    const m2 = m * m;
    let pt: number;
    let ay: number;
    let ea: number;
    let mt: number;
    let neg: boolean;
    for (let tries = 0; ; tries++) {
      if (tries === MAX_RESAMPLE)
        throw new NumericalError(
          'truth kinematics',
          `no (pT, y) with x1,2 <= 1 after ${MAX_RESAMPLE} tries: check truth.sqrtS against truth.zPt.max and truth.massRange`,
        );
      const tPt = zSqrtPt.sample(tries === 0 ? u[o + 1]! : rng.next());
      pt = tPt * tPt;
      const uy = tries === 0 ? u[o + 2]! : rng.next();
      neg = uy < 0.5;
      ay = absY.sampleExp(neg ? 2 * uy : 2 * uy - 1);
      ea = absY.lastExp;
      mt = Math.sqrt(m2 + pt * pt);
      if (mt * ea <= sqrtS) break;
    }
    const uPhiZ = u[o + 3]!;
    const ei = 1 / ea;
    const ch = 0.5 * (ea + ei);
    const sh = neg ? 0.5 * (ei - ea) : 0.5 * (ea - ei);

    // 2. Decay angles in the Collins–Soper frame; its z axis points along the sign of y.
    const uc = u[o + 4]!;
    const ac = uc < 0.75 ? uc * (4 / 3) : Math.cbrt(4 * uc - 3);
    // sign +: u < ½(1 + g), g = (8/3)A_FB·c/(1+c²), multiplied out by 2(1+c²) > 0 to avoid the division.
    const ac2p1 = 1 + ac * ac;
    const cSigned = 2 * u[o + 5]! * ac2p1 < ac2p1 + afbSlope * ac ? ac : -ac;
    const c = neg ? -cSigned : cSigned;
    const sn = Math.sqrt(Math.max(0, 1 - c * c));
    turnSinCos(u[o + 6]!);
    const half = 0.5 * m;
    const nx = half * sn * sc[0]!;
    const ny = half * sn * sc[1]!;
    const nz = half * c;

    // 3. Rest frame → transverse boost along the Z pT direction (β = pT/mT, γ = mT/m) → rotation by φ_Z →
    //    longitudinal boost with rapidity y. Because the transverse boost comes first, the rest frame's z axis
    //    is the Collins–Soper axis (it bisects the beams); the composition equals the lab momentum exactly.
    //    e−: (m/2)(1, n̂);  e+: (m/2)(1, −n̂).  Transverse boost of (e, px): (γ(e + β px), γ(px + β e)).
    const gb = pt / m; // γβ
    const g = mt / m; // γ
    const eT1 = g * half + gb * nx;
    const xT1 = g * nx + gb * half;
    const eT2 = g * half - gb * nx;
    const xT2 = -g * nx + gb * half;
    turnSinCos(uPhiZ);
    const cp = sc[0]!;
    const sp = sc[1]!;
    e1[i] = ch * eT1 + sh * nz;
    pz1[i] = sh * eT1 + ch * nz;
    px1[i] = cp * xT1 - sp * ny;
    py1[i] = sp * xT1 + cp * ny;
    e2[i] = ch * eT2 - sh * nz;
    pz2[i] = sh * eT2 - ch * nz;
    px2[i] = cp * xT2 + sp * ny;
    py2[i] = sp * xT2 - cp * ny;
    mO[i] = m;
    ptO[i] = pt;
    yO[i] = neg ? -ay : ay;
    phiO[i] = TWO_PI * uPhiZ;
  }
}
