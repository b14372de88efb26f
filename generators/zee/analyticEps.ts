/**
 * The default truth flip probability ε(pT, |η|) of physics.md ("Charge flips"):
 *
 *   ε = ε0·exp(β|η|)·(1 + pT/p_b)·[c_crack inside the crack]                 (trident: brem + conversion)
 *     + Q( 1 / (pT·k·σ∞(|η|)·√(1 + (p_X/pT)²)) ),  σ∞ = s0 + s2·η²           (curvature sign mismeasured)
 *
 * clipped to `clip` ([0, 0.5] by default). At pT = 45 GeV: ≈ 9e-5 (|η| 0.3), 3.4e-4 (0.9), 3.9e-3 (2.0),
 * 1.0e-2 (2.45); a test checks these.
 */
import type { AnalyticEpsParams } from '../../src/config/generatorConfig.js';
import { upperTailProbability } from './normalTail.js';

export type EpsModel = (pt: number, absEta: number, phi: number) => number;

// Beyond x = 12 the Gaussian tail is below 2e-33, far under any ε that matters (and ε0·e^{β|η|} ≥ 1e-5 by default): skip the exp.
const TAIL_CUTOFF = 12;

export function analyticEps(p: AnalyticEpsParams): EpsModel {
  const { eps0, beta, pb, k, pX, crackFactor } = p;
  const [s0, s2] = p.sigmaInf;
  const [crackLo, crackHi] = p.crack;
  const [clipLo, clipHi] = p.clip;
  const pX2 = pX * pX;
  return (pt: number, absEta: number): number => {
    let trident = eps0 * Math.exp(beta * absEta) * (1 + pt / pb);
    if (absEta > crackLo && absEta < crackHi) trident *= crackFactor;
    const sigma = s0 + s2 * absEta * absEta;
    const x = 1 / (pt * k * sigma * Math.sqrt(1 + pX2 / (pt * pt)));
    const eps = trident + (x < TAIL_CUTOFF ? upperTailProbability(x) : 0);
    return eps < clipLo ? clipLo : eps > clipHi ? clipHi : eps;
  };
}
