/** Small helpers shared by the generator tests: statistics, and a byte fingerprint of an event table. */
import { createHash } from 'node:crypto';
import { COLUMNS, type EventTable } from '../../src/events/columns.js';

/** SHA-256 over every standard column's name and raw bytes: equal strings ⇔ byte-identical tables. */
export function columnBytes(t: EventTable): string {
  const h = createHash('sha256');
  for (const c of COLUMNS) {
    const col = t.columns[c.name]!;
    h.update(c.name);
    h.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  }
  return h.digest('hex');
}

/** One-sample Kolmogorov–Smirnov statistic D = sup |F_n − F| against an exact CDF. */
export function ksStatistic(sample: Float64Array, cdf: (x: number) => number): number {
  const s = Float64Array.from(sample).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]!);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}

/** Asymptotic Kolmogorov p-value P(√n·D > λ) = 2 Σ (−1)^{k−1} e^{−2k²λ²}. */
export function ksPValue(d: number, n: number): number {
  const lam = (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n)) * d;
  let p = 0;
  for (let k = 1; k <= 100; k++) p += 2 * (k % 2 ? 1 : -1) * Math.exp(-2 * k * k * lam * lam);
  return Math.min(1, Math.max(0, p));
}

export function meanAndError(xs: ArrayLike<number>): { mean: number; se: number; sd: number; seSd: number; n: number } {
  const n = xs.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i]!;
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (xs[i]! - mean) ** 2;
  const sd = Math.sqrt(v / (n - 1));
  // SE of the sample sd, normal approximation σ/√(2(n−1)); the m_ee core is close enough to normal in a window.
  return { mean, se: sd / Math.sqrt(n), sd, seSd: sd / Math.sqrt(2 * (n - 1)), n };
}
