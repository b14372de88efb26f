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
 *
 * With the pair head the same-charge labels decide which of two things such electrons are. A region holding
 * no SC event is not a collapse: there the pair likelihood rises monotonically as ε → 0 (every OC event adds
 * −log(1 − ε12) ≈ ε12), so ε̂ → 0 is its maximum, an upper limit and not a wrong answer. The latent electron
 * model (docs/electrons.md) has such regions: the reachable target of 25 % of its electrons is below 7·10⁻⁶,
 * fewer than one flip is expected among them in 10⁶ events, and a converged φ puts ~20 % of the electrons
 * below 1e-7. A collapse contradicts the data instead: the negative-weight terms (issue 11) drag ε → 0 where
 * window SC events lie. So with `sc` given, the low electrons are a collapse only when at least one used SC
 * event has both electrons below COLLAPSE_EPS — an event the model gives P(SC) = ε12 < 2·10⁻⁷ (eq. 1). The
 * loss guard above still catches every collapse with a negative loss.
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

/**
 * Fraction of the listed electrons with ε < COLLAPSE_EPS (or non-finite φ), and a problem message above 5 %.
 * `phi` holds electron 1 of every event, then electron 2 (n events, 2n values). With `sc` (pair head), more than
 * 5 % low is a problem only if some used SC event has both electrons low (`scOnLow` counts them); otherwise
 * the low electrons are the likelihood's answer for a region without SC events (see above).
 */
export function epsCollapse(
  phi: Float32Array,
  use: (electron: number) => boolean,
  sc?: ArrayLike<number>,
): { fraction: number; scOnLow?: number; problem?: string } {
  let n = 0;
  let low = 0;
  const isLow = (e: number) => !(phi[e]! >= COLLAPSE_PHI); // NaN counts as collapsed
  for (let e = 0; e < phi.length; e++) {
    if (!use(e)) continue;
    n++;
    if (isLow(e)) low++;
  }
  const fraction = n > 0 ? low / n : 0;
  let scOnLow: number | undefined;
  if (sc) {
    const nEv = phi.length / 2;
    scOnLow = 0;
    for (let i = 0; i < nEv; i++) if (sc[i] === 1 && use(i) && isLow(i) && isLow(i + nEv)) scOnLow++;
  }
  if (fraction <= COLLAPSE_FRACTION || scOnLow === 0) return { fraction, ...(scOnLow != null ? { scOnLow } : {}) };
  const onSc = scOnLow != null ? `, ${scOnLow} same-charge event(s) with both electrons there` : '';
  return {
    fraction,
    ...(scOnLow != null ? { scOnLow } : {}),
    problem: `${(100 * fraction).toFixed(1)} % of the electrons have epsilon < ${COLLAPSE_EPS} (allowed: ${100 * COLLAPSE_FRACTION} %)${onSc}: epsilon collapsed`,
  };
}
