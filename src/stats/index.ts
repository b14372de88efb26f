/**
 * Statistics layer: every statistical quantity the bench uses comes from here, and here from libraries —
 * simple-statistics for descriptive statistics, the per-function @stdlib packages for distributions. The one
 * hand-written piece (the limiting Kolmogorov distribution, which no package in the family exposes) lives
 * in kolmogorov.ts. See docs/numerics.md; reference values from scipy are checked in test/stats.
 */
export { mean, median, quantile, sampleStandardDeviation, sampleVariance, sum } from './descriptive.js';
export { erf, erfc, normalCdf, normalQuantile } from './normal.js';
export { studentTCdf, studentTQuantile, studentTStandardDeviation } from './studentT.js';
export { betaCdf, betaQuantile } from './beta.js';
export { binomialCdf } from './binomial.js';
export { chiSquareCdf, chiSquareQuantile, chiSquareSf } from './chiSquare.js';
export { poissonCdf } from './poisson.js';
export { clopperPearson } from './clopperPearson.js';
export { wilson } from './wilson.js';
export { kolmogorovSf } from './kolmogorov.js';
export { KS_EXACT_MAX, ksOneSample, type KsResult } from './ksOneSample.js';
export { ksTwoSample } from './ksTwoSample.js';
