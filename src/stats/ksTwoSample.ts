/**
 * Two-sample two-sided Kolmogorov–Smirnov test. D = sup_x |F_a(x) − F_b(x)| over the pooled values (ties
 * stepped together); p-value from the limiting Kolmogorov distribution at the usual effective size
 * n_e = n_a·n_b/(n_a + n_b): p = Q(√n_e·D) (= scipy.stats.kstwobign.sf(√n_e·D)). No package of the @stdlib
 * family has a two-sample KS test, so the statistic is computed here and Q comes from ./kolmogorov.ts.
 * The asymptotic p-value is conservative-to-accurate for n_e ≳ 50; for smaller samples treat it as approximate.
 */
import { kolmogorovSf } from './kolmogorov.js';
import type { KsResult } from './ksOneSample.js';

export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) throw new RangeError(`ksTwoSample: empty sample (sizes ${na}, ${nb})`);
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  if (Number.isNaN(x[na - 1]!) || Number.isNaN(y[nb - 1]!)) throw new RangeError('ksTwoSample: NaN in a sample');
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < na && j < nb) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < na && x[i]! <= v) i++;
    while (j < nb && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / na - j / nb));
  }
  const ne = (na * nb) / (na + nb);
  return { d, pValue: kolmogorovSf(Math.sqrt(ne) * d) };
}
