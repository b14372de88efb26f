/**
 * Guards every training against answers that are not models (issue 11): a loss below what any φ can attain,
 * or ε collapsing to 0 for a large share of the electrons. Either makes the member's status 'collapsed';
 * `qmisid train` then exits non-zero and writes nothing, and a study counts the toy's estimate as collapsed.
 *
 * Attainable minimum. With non-negative weights every term −log P of the pair loss (plain or with the
 * modelled background, pairLoss.ts) has P ≤ 1, so the weighted mean loss is ≥ 0; 0 is its bound. With the
 * linear negative-weight loss (negativeWeights: 'linear') the loss has no lower bound at all (−|w|·ℓ of a
 * sideband SC event → −∞ as its ε → 0), but any φ that describes the data has the window's positive
 * cross-entropy dominate the subtracted sideband's (their ratio is the sideband weight times the sideband-to-
 * window yield ratio, < 1), so a negative loss means the negative-weight terms took over: the same bound 0.
 *
 * Collapse. Charge-flip rates of real electrons are ≥ 1e-5 (published measurements; the generator's default
 * truth function is ≥ 2.5e-5·(1 + 25/50) ≈ 3.8e-5), so a trained ε below COLLAPSE_EPS = 1e-7 is a rate no
 * truth model allows; more than
 * COLLAPSE_FRACTION = 5 % of the electrons there is a collapse, not a measurement. Non-finite φ is too.
 */

export const COLLAPSE_EPS = 1e-7;
export const COLLAPSE_FRACTION = 0.05;
/** φ = logit(COLLAPSE_EPS): ε < COLLAPSE_EPS ⇔ φ < this. */
export const COLLAPSE_PHI = Math.log(COLLAPSE_EPS / (1 - COLLAPSE_EPS));

/** A problem message when a loss is below the attainable minimum 0 (or not finite), else undefined. */
export function lossBelowMinimum(loss: number, what: string): string | undefined {
  if (Number.isNaN(loss)) return undefined; // no validation split
  if (!Number.isFinite(loss)) return `${what} is ${loss}`;
  return loss < 0 ? `${what} ${loss.toPrecision(4)} is below its attainable minimum 0` : undefined;
}

/** Fraction of the listed electrons with ε < COLLAPSE_EPS (or non-finite φ), and a problem message above 5 %. */
export function epsCollapse(phi: Float32Array, use: (electron: number) => boolean): { fraction: number; problem?: string } {
  let n = 0;
  let low = 0;
  for (let e = 0; e < phi.length; e++) {
    if (!use(e)) continue;
    n++;
    if (!(phi[e]! >= COLLAPSE_PHI)) low++; // NaN counts as collapsed
  }
  const fraction = n > 0 ? low / n : 0;
  return fraction > COLLAPSE_FRACTION
    ? {
        fraction,
        problem: `${(100 * fraction).toFixed(1)} % of the electrons have epsilon < ${COLLAPSE_EPS} (allowed: ${100 * COLLAPSE_FRACTION} %): epsilon collapsed`,
      }
    : { fraction };
}
