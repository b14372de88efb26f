/** Argument checks shared by the binomial intervals: bad counts are programming errors, never silent NaN. */
export function checkCounts(fn: string, k: number, n: number, cl: number): void {
  if (!(Number.isFinite(n) && n > 0)) throw new RangeError(`${fn}: n = ${n}: expected a finite count > 0`);
  if (!(Number.isFinite(k) && k >= 0 && k <= n)) throw new RangeError(`${fn}: k = ${k}: expected 0 ≤ k ≤ n = ${n}`);
  if (!(cl > 0 && cl < 1)) throw new RangeError(`${fn}: cl = ${cl}: expected a confidence level in (0, 1)`);
}
