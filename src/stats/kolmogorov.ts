/**
 * Survival function of the limiting Kolmogorov distribution, Q(λ) = P(K > λ), K = lim √n·D_n.
 *
 * Hand-written on purpose, and only here: no package of the @stdlib family exposes it (@stdlib/stats-kstest
 * keeps its finite-n Marsaglia–Tsang–Wang routine private and has no two-sample test). Two standard series,
 * each used where it converges in a few terms (Kolmogorov 1933; e.g. Marsaglia, Tsang & Wang 2003):
 *   λ ≥ 1:  Q(λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2j²λ²}                 (relative accuracy kept in the far tail)
 *   λ < 1:  1 − Q(λ) = (√(2π)/λ) Σ_{j≥1} e^{−(2j−1)²π²/(8λ²)}
 * Checked against scipy.special.kolmogorov on a grid to 1e−14 (test/stats/kolmogorov.test.ts).
 */
export function kolmogorovSf(lambda: number): number {
  if (Number.isNaN(lambda)) return NaN;
  if (lambda <= 0) return 1;
  if (lambda >= 1) {
    let s = 0;
    for (let j = 1; j <= 100; j++) {
      const t = Math.exp(-2 * j * j * lambda * lambda);
      s += j % 2 === 1 ? t : -t;
      if (t < 1e-17 * s) break;
    }
    return 2 * s;
  }
  const c = (Math.PI * Math.PI) / (8 * lambda * lambda);
  let s = 0;
  for (let j = 1; j <= 100; j++) {
    const t = Math.exp(-(2 * j - 1) * (2 * j - 1) * c);
    s += t;
    if (t < 1e-17 * s || t === 0) break;
  }
  return 1 - (Math.sqrt(2 * Math.PI) / lambda) * s;
}
