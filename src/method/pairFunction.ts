/**
 * The algebra of the method note in double precision: the reference every tensor implementation, study
 * metric and property test is checked against.
 *
 * Conventions (the note's eq. 1–3 with the sign made explicit):
 *   κ(e) = logit ε(e);  f(φ1, φ2) = log(1 + e^{φ1+φ2}) − log(e^{φ1} + e^{φ2}) = log(λ_OC / λ_SC)  (eq. 3)
 *   so sigmoid(f) = P(OC | e1, e2) = 1 − ε12: opposite-charge pairs carry label 1 in the cross-entropy.
 *   f(φ1, φ2) = f(−φ1, −φ2): ε and 1 − ε describe the data equally well; the physical branch is ε < 1/2.
 */

/** log(1 + e^x) without overflow or loss of precision for large |x|. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** log(e^a + e^b), stable. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** κ = log(ε / (1 − ε)); ±Infinity at ε = 0 or 1. */
export function logit(eps: number): number {
  return Math.log(eps) - Math.log1p(-eps);
}

/** The constrained pair classifier f(φ1, φ2) of eq. 3, in a form that stays finite for |φ| up to ~1e300. */
export function pairLogit(phi1: number, phi2: number): number {
  return softplus(phi1 + phi2) - logAddExp(phi1, phi2);
}

/** ∂f/∂φ1 = sigmoid(φ1+φ2) − e^{φ1}/(e^{φ1}+e^{φ2}) = sigmoid(φ1+φ2) − sigmoid(φ1−φ2); ∂f/∂φ2 by symmetry. */
export function pairLogitGrad(phi1: number, phi2: number): [number, number] {
  const s = sigmoid(phi1 + phi2);
  return [s - sigmoid(phi1 - phi2), s - sigmoid(phi2 - phi1)];
}

/** Probability that a truth OC pair is reconstructed SC (eq. 1): ε12 = ε1 + ε2 − 2 ε1 ε2. */
export function eps12(eps1: number, eps2: number): number {
  return eps1 + eps2 - 2 * eps1 * eps2;
}

/** The OC/SC rate ratio of eq. 1, (1 − ε12)/ε12; its log is f(κ1, κ2). */
export function ocOverSc(eps1: number, eps2: number): number {
  return ((1 - eps1) * (1 - eps2) + eps1 * eps2) / (eps1 * (1 - eps2) + (1 - eps1) * eps2);
}

/**
 * Weight that turns an OC event into a prediction of the SC yield: ε12/(1 − ε12) = e^{−f} (the closure test
 * used in practice). Evaluated from φ so it stays exact where ε is tiny.
 */
export function scOverOcFromPhi(phi1: number, phi2: number): number {
  return Math.exp(-pairLogit(phi1, phi2));
}

/** log(1 − e^x) for x < 0, stable on both ends (Mächler 2012). */
function log1mexp(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/**
 * The partner of φ1 that keeps f(φ1, φ2) = C fixed (eq. 5): φ2 = log((e^{φ1+C} − 1)/(e^{φ1} − e^C)).
 *
 * With X = e^{φ1}, K = e^C, eq. 4 gives e^{φ2} = (K X − 1)/(X − K), positive only for |φ1| > |C|. The curve
 * therefore has two arms: φ1 < −|C| and φ1 > |C|, images of each other under φ → −φ. For C > 0 (the usual
 * case: OC dominates) the first arm has both electrons at ε < 1/2, the physical branch. (The note's "any
 * φ1 < C" is loose: inside (−|C|, |C|) no partner exists and NaN is returned.) Computed in log space so the
 * tails stay accurate.
 */
export function degeneratePartner(phi1: number, C: number): number {
  const numNegative = phi1 + C < 0; // K X < 1
  const denNegative = phi1 < C; // X < K
  if (numNegative !== denNegative || phi1 + C === 0 || phi1 === C) return Number.NaN;
  const logNum = numNegative ? log1mexp(phi1 + C) : phi1 + C + log1mexp(-(phi1 + C));
  const logDen = denNegative ? C + log1mexp(phi1 - C) : phi1 + log1mexp(C - phi1);
  return logNum - logDen;
}
