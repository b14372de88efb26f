/**
 * Property `pulls`: the estimator's own errors mean what they say. Over T independent samples of one truth
 * shape, the pulls (ε̂ − τ)/σ̂ of the bulk bins (σ̂ the estimator's reported error) pooled together must have
 *   - mean compatible with 0: |mean|·√n < z (bias hidden by the errors),
 *   - variance compatible with 1: (n − 1)s² inside the central 1 − α/2 interval of χ²(n − 1) (errors too small
 *     or too large).
 * Each of the two tests is at level α/2 (ALPHA in total). Pulls of bins of one sample are treated as
 * independent (the binned fit's correlations between bins are small). An estimator that reports no errors is
 * skipped with that reason. The sizes give n ≈ 60 pulls (quick) and ≈ 400 (full): quick detects errors off by
 * ≈ 40 % or a mean bias of ≈ 0.45σ, full by ≈ 15 % and ≈ 0.17σ (at 50 % power).
 */
import { chiSquareQuantile, normalQuantile } from '../../stats/index.js';
import { callEstimator, type PropertyDefinition } from '../property.js';
import { perBin } from '../perBin.js';
import { CHECK_BINNING, reference, windowSample, type EpsShape } from '../sample.js';

const ALPHA = 1e-3;
const SHAPE: EpsShape = { A: 7e-3, beta: 0.7, pb: 70 };
const SIZES = { quick: { samples: 6, truthEvents: 150_000 }, full: { samples: 40, truthEvents: 200_000 } } as const;

export const pulls: PropertyDefinition = {
  name: 'pulls',
  title: 'pulls with the estimator’s own errors have mean 0 and width 1',
  async run(ctx) {
    const size = SIZES[ctx.preset];
    const p: number[] = [];
    for (let s = 0; s < size.samples; s++) {
      const table = await windowSample(SHAPE, size.truthEvents, `${ctx.seed}/pulls/${s}`);
      const ref = reference(table, CHECK_BINNING);
      const res = await callEstimator(ctx, table, CHECK_BINNING, 'pulls', s);
      if (res.status !== 'ok')
        return {
          status: 'failed',
          summary: `status '${res.status}' on sample ${s}`,
          message: res.message ?? `status '${res.status}'`,
          checks: p.length,
          falseAlarm: ALPHA,
        };
      const est = perBin(res, table, CHECK_BINNING);
      if (s === 0 && ref.bulk.every((k) => !Number.isFinite(est.err[k]!)))
        return { status: 'skipped', summary: 'the estimator reports no per-bin errors', checks: 0, falseAlarm: 0 };
      for (const k of ref.bulk) p.push((est.eps[k]! - ref.truth[k]!) / est.err[k]!);
    }
    const n = p.length;
    if (p.some((x) => !Number.isFinite(x)))
      return {
        status: 'failed',
        summary: 'non-finite pulls',
        message: `${p.filter((x) => !Number.isFinite(x)).length} of ${n} bulk-bin pulls are not finite (an error of 0 or NaN in a populated bin)`,
        checks: n,
        falseAlarm: ALPHA,
      };
    const mean = p.reduce((a, b) => a + b, 0) / n;
    const s2 = p.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    const z = normalQuantile(1 - ALPHA / 4);
    const lo = chiSquareQuantile(ALPHA / 4, n - 1) / (n - 1);
    const hi = chiSquareQuantile(1 - ALPHA / 4, n - 1) / (n - 1);
    const line = `${n} pulls: mean ${mean.toFixed(3)} ± ${(1 / Math.sqrt(n)).toFixed(3)}, width ${Math.sqrt(s2).toFixed(3)} (allowed ${Math.sqrt(lo).toFixed(3)}–${Math.sqrt(hi).toFixed(3)})`;
    if (!(Math.abs(mean) * Math.sqrt(n) < z))
      return {
        status: 'failed',
        summary: 'biased pulls',
        message: `${line}: |mean|·√n = ${(Math.abs(mean) * Math.sqrt(n)).toFixed(2)} ≥ ${z.toFixed(2)}`,
        checks: 2,
        falseAlarm: ALPHA,
      };
    if (!(s2 >= lo && s2 <= hi))
      return { status: 'failed', summary: s2 > hi ? 'errors too small' : 'errors too large', message: line, checks: 2, falseAlarm: ALPHA };
    return { status: 'passed', summary: line, checks: 2, falseAlarm: ALPHA };
  },
};
