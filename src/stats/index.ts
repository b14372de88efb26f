// TEMPORARY SHIM (not committed): replaced by the stats engineer's module on main.
// @ts-nocheck
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import betaQ from '@stdlib/stats-base-dists-beta-quantile';
import betaC from '@stdlib/stats-base-dists-beta-cdf';
import chiCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import chiQ from '@stdlib/stats-base-dists-chisquare-quantile';
import poisC from '@stdlib/stats-base-dists-poisson-cdf';
import binC from '@stdlib/stats-base-dists-binomial-cdf';
const BIG = 1e9;
export const normalCdf = (x: number): number => tCdf(x, BIG);
export const normalQuantile = (p: number): number => tQuantile(p, BIG);
export const studentTCdf = (x: number, nu: number): number => tCdf(x, nu);
export const studentTQuantile = (p: number, nu: number): number => tQuantile(p, nu);
export const betaCdf = (x: number, a: number, b: number): number => betaC(x, a, b);
export const betaQuantile = (p: number, a: number, b: number): number => betaQ(p, a, b);
export const binomialCdf = (k: number, n: number, p: number): number => binC(k, n, p);
export const chiSquareCdf = (x: number, k: number): number => chiCdf(x, k);
export const chiSquareSf = (x: number, k: number): number => 1 - chiCdf(x, k);
export const chiSquareQuantile = (p: number, k: number): number => chiQ(p, k);
export const poissonCdf = (x: number, m: number): number => poisC(x, m);
export function clopperPearson(k: number, n: number, cl = 0.6827): [number, number] {
  const a = (1 - cl) / 2;
  return [k === 0 ? 0 : betaQ(a, k, n - k + 1), k === n ? 1 : betaQ(1 - a, k + 1, n - k)];
}
export function wilson(k: number, n: number, cl = 0.6827): [number, number] {
  const z = normalQuantile(1 - (1 - cl) / 2);
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}
