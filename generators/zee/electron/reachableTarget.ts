/**
 * The reachable target of the latent electron: P(flip | observed features, truth pT, |η|), by Bayes' theorem
 * with the latent model (latentElectron.ts; docs/electrons.md, "Reachable target"). This — not the latent
 * ε(y, t, pT) — is what a per-electron φ fed these features can recover, because the features move with a flip.
 *
 * Classes C ∈ {primary P, wrong leg W} and flip F. The brem depth y is integrated out analytically: with
 * y ~ Exp(μ), π_W(y) = A_c·(1 − e^{−(y−y0)})·[y > y0] and ln(E/p) = λy + σ_ℓN for a primary track,
 *   G(a, y0) = ∫_{y0}^∞ e^{−a y} N(ℓ; λy, σ_ℓ) dy = (1/λ)·exp(−a m + a²s²/2)·Q((y0 − m + a s²)/s),  m = ℓ/λ, s = σ_ℓ/λ
 *   L_P(ℓ) = (1/μ)[G(1/μ, 0) − A_c(G(1/μ, y0) − e^{y0}G(1/μ + 1, y0))]
 *   L_W(ℓ) = A_c·e^{−y0/μ}·μ/(1+μ) · EMG(ℓ)   (leg: ln(E/p) = scale·Exp(1) + σ_ℓN; EMG its density)
 *            or, when the wrong leg does not change the track, (A_c/μ)(G(1/μ, y0) − e^{y0}G(1/μ+1, y0)).
 * The other features multiply in class by class (d0, pixel hit, Rη), and jointly with F (curvature
 * significance S and q·Δφ):
 *   P, F=1: φ(S + x0)·N(q·Δφ; δ, σ_φ)      P, F=0: φ(S − x0)·N(q·Δφ; 0, σ_φ)                δ = flipShift/pT
 *   W, F=1: [ρφ(S − x0_W) + (1−ρ)φ(S + x0_W)]·N(q·Δφ; δ, σ_φW)
 *   W, F=0: [ρφ(S + x0_W) + (1−ρ)φ(S − x0_W)]·N(q·Δφ; 0, σ_φW)
 * (φ(S ∓ x0) is the joint density of S = |x0 + z| and [z < −x0], so q = Q(x0) is already inside.) Everything is
 * summed in logs. Conditioning on the truth (pT, |η|) instead of the reconstructed ones is the one
 * approximation: it ignores what the reco energy says about a flip through the flip response (a (pT, |η|)
 * effect the selection-bias work treats); docs/electrons.md states it.
 */
import { logUpperTailProbability } from '../normal-tail.js';
import type { LatentElectron } from './latentElectron.js';

export interface ElectronObservation {
  pt: number;
  absEta: number;
  eop: number;
  d0sig: number;
  dphiq: number;
  ipix: number;
  curvsig: number;
  reta: number;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const logNormal = (x: number, mean: number, sd: number): number => {
  const u = (x - mean) / sd;
  return -0.5 * u * u - Math.log(sd) - LOG_SQRT_2PI;
};
const logAdd = (a: number, b: number): number => {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
};

/** P(flip | observation) under `model`; in [0, 1]. */
export function reachableTarget(model: LatentElectron, o: ElectronObservation): number {
  const c = model.cfg;
  const f = c.features;
  const changes = f.wrongLegChangesTrack;
  const rho = c.trident.wrongSign;
  const y0 = c.trident.y0;
  const t = model.material(o.absEta);
  const mu = c.brem.yPerX0 * t;
  const Ac = model.amplitude(o.pt, t);
  const lambda = f.eop.lambda;
  const sig = f.eop.sigma;
  const ell = Math.log(o.eop);
  const m = ell / lambda;
  const s = sig / lambda;
  // ln G(a, lo): the brem integral of the primary track's E/p.
  const logG = (a: number, lo: number): number => -Math.log(lambda) - a * m + 0.5 * a * a * s * s + logUpperTailProbability((lo - m + a * s * s) / s);
  const a1 = 1 / mu;
  const lg0 = logG(a1, 0);
  // A_c·(G(1/μ, y0) − e^{y0}G(1/μ + 1, y0)) relative to G(1/μ, 0): the share of the brem integral that goes to W.
  let rTail = 0;
  let lTail = -Infinity;
  if (Ac > 0) {
    const lg1 = logG(a1, y0);
    const lg2 = y0 + logG(a1 + 1, y0);
    const diff = lg2 < lg1 ? lg1 + Math.log1p(-Math.exp(lg2 - lg1)) : -Infinity; // ln(G1 − e^{y0}G2)
    lTail = Math.log(Ac) + diff;
    rTail = Math.exp(lTail - lg0);
  }
  const logLP = -Math.log(mu) + lg0 + Math.log1p(-Math.min(rTail, 1));
  let logLW: number;
  if (changes) {
    const sc = f.eop.wrongLegScale;
    const logPrior = Math.log(Ac) - y0 / mu + Math.log(mu / (1 + mu));
    // EMG: density of sc·E + σN, E ~ Exp(1), at ℓ.
    const logEmg = -Math.log(sc) + (sig * sig) / (2 * sc * sc) - ell / sc + logUpperTailProbability(sig / sc - ell / sig);
    logLW = Ac > 0 ? logPrior + logEmg : -Infinity;
  } else {
    logLW = -Math.log(mu) + lTail;
  }
  // Class-wise features.
  const dP = f.d0sig.sigma;
  const dW = changes ? f.d0sig.sigmaWrongLeg : dP;
  const hP = f.pixel.hit;
  const hW = changes ? f.pixel.hitWrongLeg : hP;
  const lr = Math.log(1 - o.reta);
  const rMean = f.reta.mu + f.reta.perX0 * t;
  const commonP = logNormal(o.d0sig, 0, dP) + Math.log(o.ipix ? hP : 1 - hP) + logNormal(lr, rMean, f.reta.sigma);
  const commonW = logNormal(o.d0sig, 0, dW) + Math.log(o.ipix ? hW : 1 - hW) + logNormal(lr, rMean + f.reta.wrongLeg, f.reta.sigma);
  // Flip-dependent: curvature significance and q·Δφ.
  const xP = model.x0Primary(o.pt, o.absEta);
  const xW = changes ? xP / c.curvature.wrongLegFactor : xP;
  const S = o.curvsig;
  const delta = f.dphi.flipShift / o.pt;
  const sPhiP = f.dphi.sigma;
  const sPhiW = changes ? f.dphi.sigmaWrongLeg : sPhiP;
  const lPhi = (x: number): number => -0.5 * x * x - LOG_SQRT_2PI;
  const p1 = logLP + commonP + lPhi(S + xP) + logNormal(o.dphiq, delta, sPhiP);
  const p0 = logLP + commonP + lPhi(S - xP) + logNormal(o.dphiq, 0, sPhiP);
  let w1 = -Infinity;
  let w0 = -Infinity;
  if (logLW > -Infinity) {
    const lrho = Math.log(rho);
    const l1rho = Math.log1p(-rho);
    const sMinus = lPhi(S - xW);
    const sPlus = lPhi(S + xW);
    w1 = logLW + commonW + logAdd(lrho + sMinus, l1rho + sPlus) + logNormal(o.dphiq, delta, sPhiW);
    w0 = logLW + commonW + logAdd(lrho + sPlus, l1rho + sMinus) + logNormal(o.dphiq, 0, sPhiW);
  }
  const l1 = logAdd(p1, w1);
  const l0 = logAdd(p0, w0);
  return 1 / (1 + Math.exp(l0 - l1));
}
