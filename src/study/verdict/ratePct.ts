/** A false-alarm rate as a percentage: two significant digits, and no exponent below 0.01 % or above 99.5 %. */
export function ratePct(x: number): string {
  return x < 1e-4 ? '< 0.01 %' : x > 0.995 ? `${(100 * x).toFixed(1)} %` : `${(100 * x).toPrecision(2)} %`;
}
