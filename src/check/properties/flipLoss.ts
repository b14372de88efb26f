/**
 * Property `flipLoss` (stress): a flipped electron radiated, so its energy is lower (E → E(1 − x), mean loss
 * 8 % here, exaggerated so a check-sized sample resolves it). Same-charge pairs then leave the mass window
 * and fall below the pT threshold more often than opposite-charge ones, which biases every estimator that
 * does not fold the flip response into its prediction low.
 * By default this is a measurement, printed and recorded, never a failure: the pooled relative bias of the
 * bulk bins against the truth, with its error from the binned fit's errors. With `expectClosure` (the CLI's
 * `--flip-closure`, for an estimator that claims to model the response) it is judged: |pooled bias| < z·error
 * at level ALPHA. The estimator must answer (status ok) either way.
 */
import { normalQuantile } from '../../stats/index.js';
import { callEstimator, type PropertyDefinition } from '../property.js';
import { perBin } from '../perBin.js';
import { CHECK_BINNING, reference, windowSample, type EpsShape } from '../sample.js';

const ALPHA = 1e-3;
const LOSS = 0.08;
const SHAPE: EpsShape = { A: 1e-2, beta: 0.5, pb: 100 };
const SIZES = { quick: 300_000, full: 1_000_000 } as const;

export function flipLoss(expectClosure: boolean): PropertyDefinition {
  return {
    name: 'flipLoss',
    title: `stress: flipped electrons lose ${100 * LOSS} % of their energy — pooled bias ${expectClosure ? 'judged (closure expected)' : 'measured'}`,
    async run(ctx) {
      const table = await windowSample(SHAPE, SIZES[ctx.preset], `${ctx.seed}/flipLoss`, { lossMean: LOSS });
      const ref = reference(table, CHECK_BINNING);
      const res = await callEstimator(ctx, table, CHECK_BINNING, 'flipLoss');
      if (res.status !== 'ok')
        return {
          status: 'failed',
          summary: `status '${res.status}'`,
          message: res.message ?? `status '${res.status}'`,
          checks: 1,
          falseAlarm: 0,
        };
      const est = perBin(res, table, CHECK_BINNING);
      // Pooled relative bias: Σ w (ε̂/τ − 1) with w = (τ/σ)² (inverse-variance weights of the relative bias).
      let sw = 0;
      let swb = 0;
      for (const k of ref.bulk) {
        const rel = est.eps[k]! / ref.truth[k]! - 1;
        const w = (ref.truth[k]! / ref.fit.errSandwich[k]!) ** 2;
        sw += w;
        swb += w * rel;
      }
      const bias = swb / sw;
      const err = 1 / Math.sqrt(sw);
      const line = `pooled relative bias ${(100 * bias).toFixed(2)} ± ${(100 * err).toFixed(2)} % over ${ref.bulk.length} bulk bins at ${100 * LOSS} % flip loss`;
      if (!expectClosure) return { status: 'passed', summary: `measured (not judged): ${line}`, checks: 1, falseAlarm: 0 };
      const z = normalQuantile(1 - ALPHA / 2);
      if (!(Math.abs(bias) < z * err))
        return {
          status: 'failed',
          summary: 'does not close under flip loss',
          message: `${line}: |bias| ≥ ${z.toFixed(2)}σ`,
          checks: 1,
          falseAlarm: ALPHA,
        };
      return { status: 'passed', summary: line, checks: 1, falseAlarm: ALPHA };
    },
  };
}
