/**
 * Data/MC scale factors per (pT, |η|) bin — what analyses quote from a charge-flip measurement — and their
 * check against the truth (docs/electrons.md, "Scale factors"):
 *   SF_k = ε_k(data)/ε_k(MC),   σ(SF_k) = SF_k·√((σ_k(data)/ε_k(data))² + (σ_k(MC)/ε_k(MC))²)
 * (first-order propagation; data and MC are independent samples). The true SF is the ratio of the truth
 * references (mean truth ε of each sample's window signal electrons). A bin with a non-positive or non-finite
 * rate or error on either side has no SF (NaN) and is counted, not dropped silently.
 */
export interface ScaleFactors {
  sf: Float64Array;
  err: Float64Array;
  /** Bins without a scale factor (a side empty, zero or without error). */
  missing: number;
}

export function scaleFactors(
  data: { eps: ArrayLike<number>; err: ArrayLike<number> },
  mc: { eps: ArrayLike<number>; err: ArrayLike<number> },
): ScaleFactors {
  const K = data.eps.length;
  const sf = new Float64Array(K);
  const err = new Float64Array(K);
  let missing = 0;
  for (let k = 0; k < K; k++) {
    const d = data.eps[k]!;
    const m = mc.eps[k]!;
    const sd = data.err[k]!;
    const sm = mc.err[k]!;
    if (!(d > 0 && m > 0 && sd > 0 && sm > 0 && Number.isFinite(d + m + sd + sm))) {
      sf[k] = err[k] = Number.NaN;
      missing++;
      continue;
    }
    sf[k] = d / m;
    err[k] = sf[k]! * Math.sqrt((sd / d) ** 2 + (sm / m) ** 2);
  }
  return { sf, err, missing };
}
