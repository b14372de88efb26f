/**
 * The latent electron (docs/electrons.md): why a charge flips, and what the reconstructed electron looks like.
 *
 * Latent variables of one electron with truth (pT, η), for each detector pass:
 *   t  = X/X0(|η|)                                   material in front of the calorimeter (materialProfile.ts)
 *   y  ~ Exponential(mean μ = yPerX0·t)               brem depth: the track keeps a momentum fraction e^{−y}
 *   W  ~ Bernoulli(π_W(y)),  π_W = A_c·ramp(y),       the track is a conversion leg of the brem photon (trident)
 *        A_c = min(1, a0·(1 + pT/pb))·(1 − e^{−ξt}),  ramp(y) = max(0, 1 − e^{−(y − y0)})
 *   s  ~ Bernoulli(ρ) if W                            the leg carries the opposite charge
 *   z  ~ N(0, 1)                                      curvature noise: q/pT measured as (q/pT)(1 + z/x0),
 *        x0 = 1/(pT·σ(q/pT)), σ(q/pT) = k·σ∞(|η|)·√(1 + (pX/pT)²); a conversion leg has x0/wrongLegFactor
 *   flip = s XOR [z < −x0]
 * so the per-electron flip probability (column truth_eps) follows from the latents, not from (pT, |η|):
 *   ε(y, t, pT) = π_W·(ρ(1 − q_W) + (1 − ρ)q_W) + (1 − π_W)·q_P,   q = Q(x0).
 *
 * Observable features (drawn for selected electrons only), class C = W when the track is a conversion leg and
 * `wrongLegChangesTrack`, else primary:
 *   ln(E/p)      primary: λ·y + σ_ℓ·N;  leg: scale·(−ln v) + σ_ℓ·N, v ~ U(0,1) (its share of the photon)
 *   d0/σ(d0)     N(0, σ_d) / N(0, σ_dW)
 *   q·Δφ         N(flip ? flipShift/pT : 0, σ_φ / σ_φW)
 *   pixel hit    Bernoulli(h / h_W)
 *   |q/p|/σ      |x0 + z|  (x0 of the class)
 *   ln(1 − Rη)   mu + perX0·t + wrongLeg·W + σ_R·N   (calorimeter: W whatever the track flag)
 * Every feature is conditionally independent of the others given (C, flip, y, pT, η), which makes the Bayes
 * target P(flip | features, pT, |η|) a closed form (reachableTarget.ts).
 */
import type { LatentElectronConfig } from '../../../src/config/generatorConfig.js';
import { upperTailProbability } from '../normalTail.js';
import { materialProfile, type MaterialProfile } from './materialProfile.js';

/** A uniform (0, 1) and a standard normal source: the generator's detector stream. */
export interface DetectorRandom {
  next(): number;
  normal(): number;
}

/** The six observable features of a reconstructed electron (docs/electrons.md §2). */
export interface ElectronFeatures {
  eop: number;
  d0sig: number;
  dphiq: number;
  ipix: number;
  curvsig: number;
  reta: number;
}

/** The latent and observed state of one electron, filled in place by the generator (no per-electron objects). */
export interface LatentLeg extends ElectronFeatures {
  tPt: number;
  tEta: number;
  /** latent flip probability ε(y, t, pT) */
  eps: number;
  /** 1 if the charge was flipped */
  flip: number;
  y: number;
  wrongLeg: number;
  x0: number;
  z: number;
}

export interface LatentElectron {
  readonly cfg: LatentElectronConfig;
  readonly material: MaterialProfile;
  /** Draw y, W, s, z for `e` (truth pT, η set), set e.eps, e.flip, and return whether the charge flipped. */
  drawFlip(rng: DetectorRandom, e: LatentLeg): boolean;
  /** Draw the observable features of `e` after drawFlip (selected electrons only). */
  drawFeatures(rng: DetectorRandom, e: LatentLeg): void;
  /** Curvature significance scale x0 = 1/(pT·σ(q/pT)) of a primary track. */
  x0Primary(pt: number, absEta: number): number;
  /** Wrong-leg class amplitude A_c(pT, t). */
  amplitude(pt: number, t: number): number;
}

export function latentElectron(cfg: LatentElectronConfig): LatentElectron {
  const material = materialProfile(cfg.material.absEta, cfg.material.x0, cfg.material.scale);
  const { yPerX0 } = cfg.brem;
  const { a0, pb, xi, y0, wrongSign: rho } = cfg.trident;
  const { k, pX, wrongLegFactor } = cfg.curvature;
  const [s0, s2] = cfg.curvature.sigmaInf;
  const f = cfg.features;
  const changes = f.wrongLegChangesTrack;
  const pX2 = pX * pX;
  const x0Primary = (pt: number, absEta: number): number => 1 / (pt * k * (s0 + s2 * absEta * absEta) * Math.sqrt(1 + pX2 / (pt * pt)));
  const amplitude = (pt: number, t: number): number => Math.min(1, a0 * (1 + pt / pb)) * (1 - Math.exp(-xi * t));
  // Beyond x = 12 the Gaussian tail is below 2e-33: skip the erfc.
  const tail = (x: number): number => (x < 12 ? upperTailProbability(x) : 0);

  return {
    cfg,
    material,
    x0Primary,
    amplitude,
    drawFlip(rng, e) {
      const absEta = Math.abs(e.tEta);
      const t = material(absEta);
      const y = -yPerX0 * t * Math.log(rng.next());
      // Draws are skipped where they cannot matter (no brem above y0: no W; x0 ≥ 12: Q(x0) < 2e-33, z is drawn
      // with the features instead). The order stays a pure function of the seed and the electron.
      const piW = y > y0 ? amplitude(e.tPt, t) * (1 - Math.exp(y0 - y)) : 0;
      const W = piW > 0 && rng.next() < piW;
      const wrongCharge = W && rng.next() < rho;
      const xP = x0Primary(e.tPt, absEta);
      const xW = changes ? xP / wrongLegFactor : xP;
      const x0 = W ? xW : xP;
      const z = x0 < 12 ? rng.normal() : Number.NaN;
      const flipped = wrongCharge !== z < -x0;
      const qP = tail(xP);
      const qW = tail(xW);
      e.eps = piW * (rho * (1 - qW) + (1 - rho) * qW) + (1 - piW) * qP;
      e.y = y;
      e.wrongLeg = W ? 1 : 0;
      e.x0 = x0;
      e.z = z;
      e.flip = flipped ? 1 : 0;
      return flipped;
    },
    drawFeatures(rng, e) {
      const W = e.wrongLeg === 1;
      const trackW = W && changes;
      e.eop = Math.exp((trackW ? -f.eop.wrongLegScale * Math.log(rng.next()) : f.eop.lambda * e.y) + f.eop.sigma * rng.normal());
      e.d0sig = (trackW ? f.d0sig.sigmaWrongLeg : f.d0sig.sigma) * rng.normal();
      e.dphiq = (e.flip ? f.dphi.flipShift / e.tPt : 0) + (trackW ? f.dphi.sigmaWrongLeg : f.dphi.sigma) * rng.normal();
      e.ipix = rng.next() < (trackW ? f.pixel.hitWrongLeg : f.pixel.hit) ? 1 : 0;
      if (Number.isNaN(e.z)) e.z = rng.normal();
      e.curvsig = Math.abs(e.x0 + e.z);
      const t = material(Math.abs(e.tEta));
      e.reta = 1 - Math.exp(f.reta.mu + f.reta.perX0 * t + (W ? f.reta.wrongLeg : 0) + f.reta.sigma * rng.normal());
    },
  };
}
