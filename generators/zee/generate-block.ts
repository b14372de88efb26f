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
import { resolveGeneratorConfig, type GeneratorConfig, type GeneratorConfigInput } from '../../src/config/generator-config.js';
import type { EventTable } from '../../src/events/columns.js';
import { Acceptance } from './acceptance.js';
import { BackgroundSampler, type BackgroundPair } from './background.js';
import { epsModel, type EpsModel } from './eps-model.js';
import { TableBuilder } from './table-builder.js';
import { buildTruthSamplers, type TruthSamplers } from './truth-samplers.js';
import { allocateTruthBuffers, generateTruth, type TruthBuffers } from './truth-kinematics.js';
import { UniformStream } from './uniform-stream.js';

export const BACKGROUND_EVENT_BASE = 0x80000000;

/** Everything built once per config and reused for every block (tables, ε model, buffers). */
export interface BlockContext {
  readonly config: GeneratorConfig;
  readonly samplers: TruthSamplers;
  readonly eps: EpsModel;
  readonly acceptance: Acceptance;
  readonly background: BackgroundSampler;
  readonly truth: TruthBuffers;
}

export function createBlockContext(config: GeneratorConfigInput | GeneratorConfig | undefined): BlockContext {
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
  };
}

/** The two streams of block `block` under root seed `seed`. */
export function blockStreams(seed: Seed, block: number): { truth: UniformStream; detector: UniformStream } {
  return { truth: new UniformStream(deriveSeed(seed, 'block', block, 'truth')), detector: new UniformStream(deriveSeed(seed, 'block', block, 'detector')) };
}

/**
 * Generate block `block` (truth events block·blockSize … + nTruth − 1) and return its selected rows.
 * `nTruth` defaults to the full block size.
 */
export function generateBlock(ctx: BlockContext, seed: Seed, block: number, nTruth: number = ctx.config.blockSize): EventTable {
  const cfg = ctx.config;
  if (!(Number.isInteger(nTruth) && nTruth >= 0 && nTruth <= cfg.blockSize)) throw new RangeError(`generateBlock: nTruth ${nTruth} outside [0, ${cfg.blockSize}]`);
  const { truth: truthRng, detector: rng } = blockStreams(seed, block);
  const T = ctx.truth;
  generateTruth(truthRng, ctx.samplers, nTruth, T);

  const copies = cfg.smearing.copies;
  const w = 1 / copies;
  const fBkg = cfg.background.fraction;
  const rBkg = fBkg > 0 ? (fBkg / (1 - fBkg)) * w : 0;
  const bkgLimit = Math.exp(-rBkg);
  const expectRows = Math.ceil(nTruth * copies * 0.6);
  const b = new TableBuilder(expectRows + Math.ceil(expectRows * rBkg * copies) + 64);

  const det = cfg.detector;
  const res = det.resolution;
  const barrelEdge = res.barrelMaxAbsEta;
  const bA2 = res.barrel.a ** 2, bB = res.barrel.b, bC2 = res.barrel.c ** 2;
  const eA2 = res.endcap.a ** 2, eB = res.endcap.b, eC2 = res.endcap.c ** 2;
  const lossMean = det.flip.lossMean;
  const extraSmear = det.flip.extraSmear;
  const sigEta = det.angular.eta;
  const sigPhi = det.angular.phi;
  const acc = ctx.acceptance;
  const eps = ctx.eps;
  const eventBase = block * cfg.blockSize;
  const bkg: BackgroundPair = { pt1: 0, eta1: 0, phi1: 0, q1: 0, pt2: 0, eta2: 0, phi2: 0, q2: 0, m: 0 };
  let nBkg = 0;

  // Reconstructed electron, reused: [pt, eta, phi, q, flipped].
  let rPt = 0, rEta = 0, rPhi = 0, rQ = 0, rFlip = 0;
  const reco = (pt: number, eta: number, phi: number, q: number, e: number): void => {
    const flipped = rng.next() < e;
    const ch = Math.cosh(eta);
    const E = pt * ch;
    const barrel = Math.abs(eta) < barrelEdge;
    const noise = (barrel ? bB : eB) / pt; // b·cosh η / E = b / pT
    const sigma = Math.sqrt((barrel ? bA2 : eA2) / E + noise * noise + (barrel ? bC2 : eC2));
    let Er = E * (1 + sigma * rng.normal());
    if (flipped) {
      if (lossMean > 0) Er *= 1 + lossMean * Math.log(rng.next()); // 1 − x, x ~ exponential(lossMean)
      if (extraSmear > 0) Er *= 1 + extraSmear * rng.normal();
    }
    let etaR = eta;
    if (sigEta > 0) etaR += sigEta * rng.normal();
    let phiR = phi;
    if (sigPhi > 0) {
      phiR += sigPhi * rng.normal();
      if (phiR > Math.PI) phiR -= 2 * Math.PI;
      else if (phiR <= -Math.PI) phiR += 2 * Math.PI;
    }
    rPt = Er / (etaR === eta ? ch : Math.cosh(etaR));
    rEta = etaR;
    rPhi = phiR;
    rQ = flipped ? -q : q;
    rFlip = flipped ? 1 : 0;
  };

  let c = b.cols;
  for (let i = 0; i < nTruth; i++) {
    // Truth electrons: index 1 is the e− (q = −1), index 2 the e+ (q = +1).
    const tPt1 = Math.sqrt(T.px1[i]! ** 2 + T.py1[i]! ** 2);
    const tEta1 = Math.asinh(T.pz1[i]! / tPt1);
    const tPhi1 = Math.atan2(T.py1[i]!, T.px1[i]!);
    const tPt2 = Math.sqrt(T.px2[i]! ** 2 + T.py2[i]! ** 2);
    const tEta2 = Math.asinh(T.pz2[i]! / tPt2);
    const tPhi2 = Math.atan2(T.py2[i]!, T.px2[i]!);
    const eps1 = eps(tPt1, Math.abs(tEta1), tPhi1);
    const eps2 = eps(tPt2, Math.abs(tEta2), tPhi2);
    for (let k = 0; k < copies; k++) {
      reco(tPt1, tEta1, tPhi1, -1, eps1);
      const aPt = rPt, aEta = rEta, aPhi = rPhi, aQ = rQ, aFlip = rFlip;
      reco(tPt2, tEta2, tPhi2, 1, eps2);
      if (!acc.accepts(aEta) || !acc.accepts(rEta)) continue;
      const firstLeads = aPt >= rPt;
      const pt1 = firstLeads ? aPt : rPt;
      const pt2 = firstLeads ? rPt : aPt;
      if (!acc.passesPt(pt1, pt2)) continue;
      const m = Math.sqrt(2 * aPt * rPt * (Math.cosh(aEta - rEta) - Math.cos(aPhi - rPhi)));
      const region = acc.region(m);
      if (region < 0) continue;
      if (b.ensure(1)) c = b.cols;
      const j = b.n++;
      c.pt1![j] = pt1;
      c.pt2![j] = pt2;
      c.eta1![j] = firstLeads ? aEta : rEta;
      c.eta2![j] = firstLeads ? rEta : aEta;
      c.phi1![j] = firstLeads ? aPhi : rPhi;
      c.phi2![j] = firstLeads ? rPhi : aPhi;
      c.q1![j] = firstLeads ? aQ : rQ;
      c.q2![j] = firstLeads ? rQ : aQ;
      c.m_ee![j] = m;
      c.sc![j] = aQ === rQ ? 1 : 0;
      c.w![j] = w;
      c.region![j] = region;
      c.truth_pt1![j] = firstLeads ? tPt1 : tPt2;
      c.truth_pt2![j] = firstLeads ? tPt2 : tPt1;
      c.truth_eta1![j] = firstLeads ? tEta1 : tEta2;
      c.truth_eta2![j] = firstLeads ? tEta2 : tEta1;
      c.truth_phi1![j] = firstLeads ? tPhi1 : tPhi2;
      c.truth_phi2![j] = firstLeads ? tPhi2 : tPhi1;
      c.truth_q1![j] = firstLeads ? -1 : 1;
      c.truth_q2![j] = firstLeads ? 1 : -1;
      c.truth_eps1![j] = firstLeads ? eps1 : eps2;
      c.truth_eps2![j] = firstLeads ? eps2 : eps1;
      c.truth_flip1![j] = firstLeads ? aFlip : rFlip;
      c.truth_flip2![j] = firstLeads ? rFlip : aFlip;
      c.truth_m![j] = T.m[i]!;
      c.is_background![j] = 0;
      c.event![j] = eventBase + i;
      if (rBkg > 0) {
        // Poisson(rBkg) by multiplication of uniforms (Knuth): rBkg <= w, so one or two draws on average.
        let p = rng.next();
        while (p > bkgLimit) {
          ctx.background.sample(rng, bkg);
          if (b.ensure(1)) c = b.cols;
          const r = b.n++;
          c.pt1![r] = bkg.pt1;
          c.pt2![r] = bkg.pt2;
          c.eta1![r] = bkg.eta1;
          c.eta2![r] = bkg.eta2;
          c.phi1![r] = bkg.phi1;
          c.phi2![r] = bkg.phi2;
          c.q1![r] = bkg.q1;
          c.q2![r] = bkg.q2;
          c.m_ee![r] = bkg.m;
          c.sc![r] = bkg.q1 === bkg.q2 ? 1 : 0;
          c.w![r] = 1;
          c.region![r] = acc.region(bkg.m);
          c.truth_pt1![r] = bkg.pt1;
          c.truth_pt2![r] = bkg.pt2;
          c.truth_eta1![r] = bkg.eta1;
          c.truth_eta2![r] = bkg.eta2;
          c.truth_phi1![r] = bkg.phi1;
          c.truth_phi2![r] = bkg.phi2;
          c.truth_q1![r] = bkg.q1;
          c.truth_q2![r] = bkg.q2;
          c.truth_eps1![r] = 0;
          c.truth_eps2![r] = 0;
          c.truth_flip1![r] = 0;
          c.truth_flip2![r] = 0;
          c.truth_m![r] = bkg.m;
          c.is_background![r] = 1;
          c.event![r] = BACKGROUND_EVENT_BASE + nBkg++;
          p *= rng.next();
        }
      }
    }
  }
  return b.finish();
}
