/**
 * Material in front of the calorimeter, X/X0 as a function of |η|: piecewise linear between the configured
 * nodes, flat beyond the last, times a global scale. The default nodes (docs/electrons.md, [est]) rise from
 * ≈0.45 X0 at |η| = 0 to ≈1 X0 at the barrel end, jump across the barrel–endcap transition (services,
 * 1.37–1.52), and climb to ≈2.3 X0 at |η| = 2.47 — the shape of the inner detector's published material
 * budget, which is why charge flips rise steeply with |η|.
 */
export type MaterialProfile = (absEta: number) => number;

export function materialProfile(absEta: readonly number[], x0: readonly number[], scale: number): MaterialProfile {
  const n = absEta.length;
  const xs = Float64Array.from(absEta);
  const ys = Float64Array.from(x0, (v) => v * scale);
  return (a: number): number => {
    if (a <= xs[0]!) return ys[0]!;
    if (a >= xs[n - 1]!) return ys[n - 1]!;
    let i = 1;
    while (xs[i]! < a) i++;
    const f = (a - xs[i - 1]!) / (xs[i]! - xs[i - 1]!);
    return ys[i - 1]! + f * (ys[i]! - ys[i - 1]!);
  };
}
