/**
 * One block of truth events through the whole chain, synchronously, in the calling thread:
 *
 *   truth kinematics (stream "truth")  →  per truth electron: ε on the TRUTH electron (pT, |η|, φ)
 *   → for each of `smearing.copies` passes (weight 1/copies, same `event` index; fractional smearing):
 *       flip with probability ε; energy resolution σ/E = a/√E ⊕ b·coshη/E ⊕ c (barrel/endcap);
 *       a flipped electron radiated: E·(1−x), x ~ exponential(lossMean), times (1 + extraSmear·N(0,1));
 *       optional η/φ smearing; acceptance, pT thresholds, mass region
 *   → after each selected row, Poisson(r·w) fake pairs with r = f/(1−f), so fakes make up a fraction f of the
 *     selected sample on average and sit interleaved with the signal (a truncated sample keeps the mix).
 *
 * The block's draws come from two streams seeded by (root seed, block index) only, so a block's rows do not
 * depend on chunking or threads, and the first k truth events of a block come out the same whatever its length.
 * Fake pairs carry event = 2^31 + their index within the block; generateEvents renumbers them run-wide.
 */
import { deriveSeed, type Seed } from '../../src/rng.js';
import { resolveGeneratorConfig, type GeneratorConfigInput, type ResolvedGeneratorConfig } from '../../src/config/generatorConfig.js';
import { generatedColumns, type EventTable, type TypedColumn } from '../../src/events/columns.js';
import { Acceptance } from './acceptance.js';
import { BackgroundSampler, type BackgroundPair } from './background.js';
import { epsModel, type EpsModel } from './epsModel.js';
import { TableBuilder } from './tableBuilder.js';
import { latentElectron, type LatentElectron } from './electron/latentElectron.js';
import { reachableTarget } from './electron/reachableTarget.js';
// reachableTarget caches its evaluator per model, so the per-electron call does no setup.
import { buildTruthSamplers, type TruthSamplers } from './truthSamplers.js';
import { allocateTruthBuffers, generateTruth, type TruthBuffers } from './truthKinematics.js';
import { UniformStream } from './uniformStream.js';
import { applyFlipResponse } from '../../src/fit/flipResponse.js';
import { REGION } from '../../src/selection/selection.js';

export const BACKGROUND_EVENT_BASE = 0x80000000;

/** One electron of a pair: reconstructed (pt, eta, phi, q) and truth (t*, ε, flipped) values. */
class Leg {
  pt = 0;
  eta = 0;
  phi = 0;
  q = 0;
  tPt = 0;
  tEta = 0;
  tPhi = 0;
  tQ = 0;
  eps = 0;
  flip = 0;
  // Latent electron model only (electron/latentElectron.ts): latents and features.
  y = 0;
  wrongLeg = 0;
  x0 = 0;
  z = 0;
  eop = 0;
  d0sig = 0;
  dphiq = 0;
  ipix = 0;
  curvsig = 0;
  reta = 0;
  reach = 0;

  setFake(pt: number, eta: number, phi: number, q: number): void {
    this.pt = this.tPt = pt;
    this.eta = this.tEta = eta;
    this.phi = this.tPhi = phi;
    this.q = this.tQ = q;
  }
}

/** Row j: `lead` as electron 1 and `sub` as electron 2 (electron 1 = higher reco pT), then the pair's columns. */
function writeRow(
  c: Record<string, TypedColumn>,
  j: number,
  lead: Leg,
  sub: Leg,
  m: number,
  w: number,
  region: number,
  truthM: number,
  isBackground: number,
  event: number,
): void {
  c.pt1![j] = lead.pt;
  c.pt2![j] = sub.pt;
  c.eta1![j] = lead.eta;
  c.eta2![j] = sub.eta;
  c.phi1![j] = lead.phi;
  c.phi2![j] = sub.phi;
  c.q1![j] = lead.q;
  c.q2![j] = sub.q;
  c.m_ee![j] = m;
  c.sc![j] = lead.q === sub.q ? 1 : 0;
  c.w![j] = w;
  c.region![j] = region;
  c.truth_pt1![j] = lead.tPt;
  c.truth_pt2![j] = sub.tPt;
  c.truth_eta1![j] = lead.tEta;
  c.truth_eta2![j] = sub.tEta;
  c.truth_phi1![j] = lead.tPhi;
  c.truth_phi2![j] = sub.tPhi;
  c.truth_q1![j] = lead.tQ;
  c.truth_q2![j] = sub.tQ;
  c.truth_eps1![j] = lead.eps;
  c.truth_eps2![j] = sub.eps;
  c.truth_flip1![j] = lead.flip;
  c.truth_flip2![j] = sub.flip;
  c.truth_m![j] = truthM;
  c.is_background![j] = isBackground;
  c.event![j] = event;
}

/** The latent model's columns of row j (features, latents, reachable target). */
function writeFeatures(c: Record<string, TypedColumn>, j: number, lead: Leg, sub: Leg): void {
  c.eop1![j] = lead.eop;
  c.eop2![j] = sub.eop;
  c.d0sig1![j] = lead.d0sig;
  c.d0sig2![j] = sub.d0sig;
  c.dphiq1![j] = lead.dphiq;
  c.dphiq2![j] = sub.dphiq;
  c.ipix1![j] = lead.ipix;
  c.ipix2![j] = sub.ipix;
  c.curvsig1![j] = lead.curvsig;
  c.curvsig2![j] = sub.curvsig;
  c.reta1![j] = lead.reta;
  c.reta2![j] = sub.reta;
  c.truth_brem1![j] = lead.y;
  c.truth_brem2![j] = sub.y;
  c.truth_wrongleg1![j] = lead.wrongLeg;
  c.truth_wrongleg2![j] = sub.wrongLeg;
  c.eps_reach1![j] = lead.reach;
  c.eps_reach2![j] = sub.reach;
}

/** The reachable target of a selected electron from its features and truth (pT, |η|). */
function reachOf(latent: LatentElectron, e: Leg): number {
  return reachableTarget(latent, {
    pt: e.tPt,
    absEta: Math.abs(e.tEta),
    eop: e.eop,
    d0sig: e.d0sig,
    dphiq: e.dphiq,
    ipix: e.ipix,
    curvsig: e.curvsig,
    reta: e.reta,
  });
}

/** Everything built once per config and reused for every block (tables, ε model, buffers). */
export interface BlockContext {
  readonly config: ResolvedGeneratorConfig;
  readonly samplers: TruthSamplers;
  readonly eps: EpsModel;
  readonly acceptance: Acceptance;
  readonly background: BackgroundSampler;
  readonly truth: TruthBuffers;
  /** The latent electron model, when `electron.model` is 'latent'. */
  readonly latent: LatentElectron | undefined;
}

/** A resolved config is used as it is (resolveGeneratorConfig returns it unchanged); a partial one is resolved here. */
export function createBlockContext(config: GeneratorConfigInput | ResolvedGeneratorConfig | undefined): BlockContext {
  const cfg = resolveGeneratorConfig(config);
  const samplers = buildTruthSamplers(cfg);
  const acceptance = new Acceptance(cfg);
  return {
    config: cfg,
    samplers,
    eps: epsModel(cfg.eps),
    acceptance,
    background: new BackgroundSampler(cfg, samplers, acceptance),
    truth: allocateTruthBuffers(cfg.blockSize),
    latent: cfg.electron?.model === 'latent' ? latentElectron(cfg.electron) : undefined,
  };
}

/** The two streams of block `block` under root seed `seed`. */
function blockStreams(seed: Seed, block: number): { truth: UniformStream; detector: UniformStream } {
  return {
    truth: new UniformStream(deriveSeed(seed, 'block', block, 'truth')),
    detector: new UniformStream(deriveSeed(seed, 'block', block, 'detector')),
  };
}

/**
 * Generate block `block` (truth events block·blockSize … + nTruth − 1) and return its selected rows.
 * `nTruth` defaults to the full block size.
 */
export function generateBlock(ctx: BlockContext, seed: Seed, block: number, nTruth: number = ctx.config.blockSize): EventTable {
  const cfg = ctx.config;
  if (!(Number.isInteger(nTruth) && nTruth >= 0 && nTruth <= cfg.blockSize))
    throw new RangeError(`generateBlock: nTruth ${nTruth} outside [0, ${cfg.blockSize}]`);
  const { truth: truthRng, detector: rng } = blockStreams(seed, block);
  const T = ctx.truth;
  generateTruth(truthRng, ctx.samplers, nTruth, T);

  const copies = cfg.smearing.copies;
  const w = 1 / copies;
  const fBkg = cfg.background.fraction;
  const rBkg = fBkg > 0 ? (fBkg / (1 - fBkg)) * w : 0;
  const bkgLimit = Math.exp(-rBkg);
  const expectRows = Math.ceil(nTruth * copies * 0.6);
  const latent = ctx.latent;
  const reach = latent !== undefined && latent.cfg.reach;
  const b = new TableBuilder(expectRows + Math.ceil(expectRows * rBkg * copies) + 64, generatedColumns(latent !== undefined));

  const det = cfg.detector;
  const res = det.resolution;
  const barrelEdge = res.barrelMaxAbsEta;
  const bA2 = res.barrel.a ** 2,
    bB = res.barrel.b,
    bC2 = res.barrel.c ** 2;
  const eA2 = res.endcap.a ** 2,
    eB = res.endcap.b,
    eC2 = res.endcap.c ** 2;
  const flipResponse = det.flip;
  const sigEta = det.angular.eta;
  const sigPhi = det.angular.phi;
  const acc = ctx.acceptance;
  const eps = ctx.eps;
  const eventBase = block * cfg.blockSize;
  const bkg: BackgroundPair = { pt1: 0, eta1: 0, phi1: 0, q1: 0, pt2: 0, eta2: 0, phi2: 0, q2: 0, m: 0 };
  let nBkg = 0;

  // The two electrons of the current pair, reused: leg A is the truth e− (q = −1), leg B the e+ (q = +1).
  const A = new Leg();
  const B = new Leg();
  A.tQ = -1;
  B.tQ = 1;
  // Fake pairs are reconstructed objects: their truth values are the reco ones, with ε = 0 and no flip.
  const fakeA = new Leg();
  const fakeB = new Leg();
  const reco = (e: Leg): void => {
    const eta = e.tEta;
    const flipped = latent ? latent.drawFlip(rng, e) : rng.next() < e.eps;
    const ch = Math.cosh(eta);
    const E = e.tPt * ch;
    const barrel = Math.abs(eta) < barrelEdge;
    const noise = (barrel ? bB : eB) / e.tPt; // b·cosh η / E = b / pT
    const sigma = Math.sqrt((barrel ? bA2 : eA2) / E + noise * noise + (barrel ? bC2 : eC2));
    let Er = E * (1 + sigma * rng.normal());
    if (flipped) Er = applyFlipResponse(rng, flipResponse, Er, Math.abs(eta));
    let etaR = eta;
    if (sigEta > 0) etaR += sigEta * rng.normal();
    let phiR = e.tPhi;
    if (sigPhi > 0) {
      phiR += sigPhi * rng.normal();
      if (phiR > Math.PI) phiR -= 2 * Math.PI;
      else if (phiR <= -Math.PI) phiR += 2 * Math.PI;
    }
    e.pt = Er / (etaR === eta ? ch : Math.cosh(etaR));
    e.eta = etaR;
    e.phi = phiR;
    e.q = flipped ? -e.tQ : e.tQ;
    e.flip = flipped ? 1 : 0;
  };

  let c = b.cols;
  for (let i = 0; i < nTruth; i++) {
    A.tPt = Math.sqrt(T.px1[i]! ** 2 + T.py1[i]! ** 2);
    A.tEta = Math.asinh(T.pz1[i]! / A.tPt);
    A.tPhi = Math.atan2(T.py1[i]!, T.px1[i]!);
    B.tPt = Math.sqrt(T.px2[i]! ** 2 + T.py2[i]! ** 2);
    B.tEta = Math.asinh(T.pz2[i]! / B.tPt);
    B.tPhi = Math.atan2(T.py2[i]!, T.px2[i]!);
    if (!latent) {
      A.eps = eps(A.tPt, Math.abs(A.tEta), A.tPhi);
      B.eps = eps(B.tPt, Math.abs(B.tEta), B.tPhi);
    }
    for (let k = 0; k < copies; k++) {
      reco(A);
      reco(B);
      if (!acc.accepts(A.eta) || !acc.accepts(B.eta)) continue;
      const lead = A.pt >= B.pt ? A : B;
      const sub = lead === A ? B : A;
      if (!acc.passesPt(lead.pt, sub.pt)) continue;
      const m = Math.sqrt(2 * A.pt * B.pt * (Math.cosh(A.eta - B.eta) - Math.cos(A.phi - B.phi)));
      const region = acc.region(m);
      if (region === REGION.outside) continue;
      if (b.ensure(1)) c = b.cols;
      if (latent) {
        latent.drawFeatures(rng, lead);
        latent.drawFeatures(rng, sub);
        if (reach) {
          lead.reach = reachOf(latent, lead);
          sub.reach = reachOf(latent, sub);
        } else lead.reach = sub.reach = Number.NaN;
        writeFeatures(c, b.n, lead, sub);
      }
      writeRow(c, b.n++, lead, sub, m, w, region, T.m[i]!, 0, eventBase + i);
      if (rBkg > 0) {
        // Poisson(rBkg) by multiplication of uniforms (Knuth): rBkg <= w, so one or two draws on average.
        let p = rng.next();
        while (p > bkgLimit) {
          ctx.background.sample(rng, bkg);
          fakeA.setFake(bkg.pt1, bkg.eta1, bkg.phi1, bkg.q1);
          fakeB.setFake(bkg.pt2, bkg.eta2, bkg.phi2, bkg.q2);
          if (b.ensure(1)) c = b.cols;
          if (latent) {
            fakeFeatures(latent, rng, fakeA);
            fakeFeatures(latent, rng, fakeB);
            writeFeatures(c, b.n, fakeA, fakeB);
          }
          writeRow(c, b.n++, fakeA, fakeB, bkg.m, 1, acc.region(bkg.m), bkg.m, 1, BACKGROUND_EVENT_BASE + nBkg++);
          p *= rng.next();
        }
      }
    }
  }
  return b.finish();
}

/**
 * Features of a fake electron (a jet faking an electron) under the latent model: drawn as a primary electron with
 * no brem and no flip, ε = 0; its reachable target is 0 by definition (it has no true charge to flip).
 */
function fakeFeatures(latent: LatentElectron, rng: UniformStream, e: Leg): void {
  e.y = 0;
  e.wrongLeg = 0;
  e.flip = 0;
  e.eps = 0;
  e.x0 = latent.x0Primary(e.tPt, Math.abs(e.tEta));
  e.z = rng.normal();
  latent.drawFeatures(rng, e);
  e.reach = 0;
}
