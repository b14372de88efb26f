/**
 * Fake-electron pairs (W+jets / multijet stand-in): ε-independent, same- or opposite-charge.
 *   m_ee ∝ exp(−slope·m) on [lowSideband.lo, highSideband.hi] (exact inverse CDF; slope 0 = flat), redrawn
 *        until it falls in the window or a sideband;
 *   the pair's pT and rapidity follow the Z spectra, the decay is isotropic in the pair rest frame, and the pair
 *        is redrawn until both electrons pass the acceptance and pT thresholds (no detector smearing: these are
 *        reconstructed objects, truth columns copy the reco ones);
 *   charges: same-charge with probability scShare (++ or −− equally), else opposite.
 */
import { NumericalError } from '../../src/errors.js';
import type { GeneratorConfig } from '../../src/config/generatorConfig.js';
import type { TruthSamplers } from './truthSamplers.js';
import type { UniformStream } from './uniformStream.js';
import type { Acceptance } from './acceptance.js';
import { REGION } from '../../src/selection/selection.js';

export interface BackgroundPair {
  pt1: number;
  eta1: number;
  phi1: number;
  q1: number;
  pt2: number;
  eta2: number;
  phi2: number;
  q2: number;
  m: number;
}

const MAX_TRIES = 100000;

export class BackgroundSampler {
  private readonly lo: number;
  private readonly hi: number;
  private readonly slope: number;
  private readonly expSpan: number;
  private readonly scShare: number;

  constructor(
    cfg: GeneratorConfig,
    private readonly s: TruthSamplers,
    private readonly acc: Acceptance,
  ) {
    const sel = cfg.selection;
    this.lo = sel.lowSideband[0];
    this.hi = sel.highSideband[1];
    this.slope = cfg.background.slope;
    this.expSpan = -Math.expm1(-this.slope * (this.hi - this.lo));
    this.scShare = cfg.background.scShare;
  }

  private mass(u: number): number {
    if (this.slope === 0) return this.lo + u * (this.hi - this.lo);
    return this.lo - Math.log1p(-u * this.expSpan) / this.slope;
  }

  /** One accepted fake pair into `out`; electron 1 is the higher-pT one. */
  sample(rng: UniformStream, out: BackgroundPair): void {
    const { zSqrtPt, absY, sqrtS } = this.s;
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const m = this.mass(rng.next());
      if (this.acc.region(m) === REGION.outside) continue;
      const tPt = zSqrtPt.sample(rng.next());
      const pt = tPt * tPt;
      const uy = rng.next();
      const y = uy < 0.5 ? -absY.sample(2 * uy) : absY.sample(2 * uy - 1);
      const mt = Math.sqrt(m * m + pt * pt);
      if (mt * Math.exp(Math.abs(y)) > sqrtS) continue;
      const phiZ = 2 * Math.PI * rng.next();
      const c = 2 * rng.next() - 1;
      const sn = Math.sqrt(1 - c * c);
      const phiS = 2 * Math.PI * rng.next();
      // Rest-frame direction along lab axes (isotropic, so no frame choice is needed), then the exact boost.
      const E = mt * Math.cosh(y);
      const bx = (pt * Math.cos(phiZ)) / E;
      const by = (pt * Math.sin(phiZ)) / E;
      const bz = (mt * Math.sinh(y)) / E;
      const g = E / m;
      const g2 = (g * g) / (g + 1);
      const ps = 0.5 * m;
      const sx = ps * sn * Math.cos(phiS);
      const sy = ps * sn * Math.sin(phiS);
      const sz = ps * c;
      const bp = bx * sx + by * sy + bz * sz;
      const k1 = g2 * bp + g * ps;
      const k2 = -g2 * bp + g * ps;
      const ax = sx + k1 * bx,
        ay = sy + k1 * by,
        az = sz + k1 * bz;
      const cx = -sx + k2 * bx,
        cy = -sy + k2 * by,
        cz = -sz + k2 * bz;
      const ptA = Math.sqrt(ax * ax + ay * ay);
      const ptB = Math.sqrt(cx * cx + cy * cy);
      const etaA = Math.asinh(az / ptA);
      const etaB = Math.asinh(cz / ptB);
      if (!this.acc.accepts(etaA) || !this.acc.accepts(etaB)) continue;
      const lead = ptA >= ptB;
      const p1 = lead ? ptA : ptB;
      const p2 = lead ? ptB : ptA;
      if (!this.acc.passesPt(p1, p2)) continue;
      const uq = rng.next();
      const q1 = uq < 0.5 ? 1 : -1;
      const q2 = rng.next() < this.scShare ? q1 : -q1;
      out.pt1 = p1;
      out.pt2 = p2;
      out.eta1 = lead ? etaA : etaB;
      out.eta2 = lead ? etaB : etaA;
      out.phi1 = lead ? Math.atan2(ay, ax) : Math.atan2(cy, cx);
      out.phi2 = lead ? Math.atan2(cy, cx) : Math.atan2(ay, ax);
      out.q1 = q1;
      out.q2 = q2;
      out.m = m;
      return;
    }
    throw new NumericalError(
      'background',
      `no fake pair passed the selection in ${MAX_TRIES} tries: check selection.ptMin and detector acceptance`,
    );
  }
}
