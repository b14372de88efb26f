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
import { logUpperTailProbability } from '../normalTail.js';
import type { ElectronFeatures, LatentElectron } from './latentElectron.js';

export interface ElectronObservation extends ElectronFeatures {
  pt: number;
  absEta: number;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const logAdd = (a: number, b: number): number => {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
};

/** P(flip | observation) under `model`; in [0, 1]. Builds (and caches per model) the evaluator below. */
export function reachableTarget(model: LatentElectron, o: ElectronObservation): number {
  let fn = CACHE.get(model);
  if (!fn) CACHE.set(model, (fn = reachableTargetFn(model)));
  return fn(o);
}

const CACHE = new WeakMap<LatentElectron, (o: ElectronObservation) => number>();

/** The evaluator with every constant logarithm of the model computed once (the generator calls it per electron). */
export function reachableTargetFn(model: LatentElectron): (o: ElectronObservation) => number {
  const c = model.cfg;
  const f = c.features;
  const changes = f.wrongLegChangesTrack;
  const rho = c.trident.wrongSign;
  const y0 = c.trident.y0;
  const yPerX0 = c.brem.yPerX0;
  const lambda = f.eop.lambda;
  const sig = f.eop.sigma;
  const logLambda = Math.log(lambda);
  const s = sig / lambda;
  const s2 = s * s;
  const sc = f.eop.wrongLegScale;
  const emgConst = -Math.log(sc) + (sig * sig) / (2 * sc * sc);
  const dP = f.d0sig.sigma;
  const dW = changes ? f.d0sig.sigmaWrongLeg : dP;
  const hP = f.pixel.hit;
  const hW = changes ? f.pixel.hitWrongLeg : hP;
  const logHit = [Math.log(1 - hP), Math.log(hP)];
  const logHitW = [Math.log(1 - hW), Math.log(hW)];
  const rSig = f.reta.sigma;
  const sPhiP = f.dphi.sigma;
  const sPhiW = changes ? f.dphi.sigmaWrongLeg : sPhiP;
  const flipShift = f.dphi.flipShift;
  const wlf = changes ? c.curvature.wrongLegFactor : 1;
  const lrho = Math.log(rho);
  const l1rho = Math.log1p(-rho);
  // −ln σ − ln √(2π) for each Gaussian; the Gaussian exponent is added per electron.
  const k = (sd: number): number => -Math.log(sd) - LOG_SQRT_2PI;
  const kdP = k(dP),
    kdW = k(dW),
    kR = k(rSig),
    kPhiP = k(sPhiP),
    kPhiW = k(sPhiW);
  const q = (x: number, mean: number, sd: number): number => {
    const u = (x - mean) / sd;
    return -0.5 * u * u;
  };
  return (o: ElectronObservation): number => {
    const t = model.material(o.absEta);
    const mu = yPerX0 * t;
    const Ac = model.amplitude(o.pt, t);
    const ell = Math.log(o.eop);
    const m = ell / lambda;
    // ln G(a, lo): the brem integral of the primary track's E/p.
    const logG = (a: number, lo: number): number => -logLambda - a * m + 0.5 * a * a * s2 + logUpperTailProbability((lo - m + a * s2) / s);
    const a1 = 1 / mu;
    const logMu = Math.log(mu);
    const lg0 = logG(a1, 0);
    // A_c·(G(1/μ, y0) − e^{y0}G(1/μ + 1, y0)): the share of the brem integral that goes to W.
    let rTail = 0;
    let lTail = -Infinity;
    const logAc = Math.log(Ac);
    if (Ac > 0) {
      const lg1 = logG(a1, y0);
      const lg2 = y0 + logG(a1 + 1, y0);
      const diff = lg2 < lg1 ? lg1 + Math.log1p(-Math.exp(lg2 - lg1)) : -Infinity; // ln(G1 − e^{y0}G2)
      lTail = logAc + diff;
      rTail = Math.exp(lTail - lg0);
    }
    const logLP = -logMu + lg0 + Math.log1p(-Math.min(rTail, 1));
    let logLW: number;
    if (changes) {
      const logPrior = logAc - y0 / mu + Math.log(mu / (1 + mu));
      // EMG: density of sc·E + σN, E ~ Exp(1), at ℓ.
      logLW = Ac > 0 ? logPrior + emgConst - ell / sc + logUpperTailProbability(sig / sc - ell / sig) : -Infinity;
    } else {
      logLW = -logMu + lTail;
    }
    const lr = Math.log(1 - o.reta);
    const rMean = f.reta.mu + f.reta.perX0 * t;
    const hit = o.ipix ? 1 : 0;
    const commonP = q(o.d0sig, 0, dP) + kdP + logHit[hit]! + q(lr, rMean, rSig) + kR;
    // Flip-dependent: curvature significance S and q·Δφ.
    const xP = model.x0Primary(o.pt, o.absEta);
    const xW = xP / wlf;
    const S = o.curvsig;
    const delta = flipShift / o.pt;
    const p1 = logLP + commonP + lPhi(S + xP) + q(o.dphiq, delta, sPhiP) + kPhiP;
    const p0 = logLP + commonP + lPhi(S - xP) + q(o.dphiq, 0, sPhiP) + kPhiP;
    let w1 = -Infinity;
    let w0 = -Infinity;
    if (logLW > -Infinity) {
      const commonW = logLW + q(o.d0sig, 0, dW) + kdW + logHitW[hit]! + q(lr, rMean + f.reta.wrongLeg, rSig) + kR + kPhiW;
      const sMinus = lPhi(S - xW);
      const sPlus = lPhi(S + xW);
      w1 = commonW + logAdd(lrho + sMinus, l1rho + sPlus) + q(o.dphiq, delta, sPhiW);
      w0 = commonW + logAdd(lrho + sPlus, l1rho + sMinus) + q(o.dphiq, 0, sPhiW);
    }
    const l1 = logAdd(p1, w1);
    const l0 = logAdd(p0, w0);
    return 1 / (1 + Math.exp(l0 - l1));
  };
}

const lPhi = (x: number): number => -0.5 * x * x - LOG_SQRT_2PI;
