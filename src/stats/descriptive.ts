/**
 * Descriptive statistics, taken as they are from simple-statistics (the project's statistics library):
 * arithmetic mean, median, quantile (simple-statistics' own interpolation rule, see its documentation),
 * sample variance and standard deviation with the n − 1 (Bessel) denominator, and a compensated
 * (Kahan–Babuška–Neumaier) sum. No hand-written copies elsewhere in src/, generators/, bench/ or test/.
 */
export { mean, median, quantile, sampleStandardDeviation, sampleVariance, sum } from 'simple-statistics';
