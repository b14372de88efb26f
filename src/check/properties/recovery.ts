/**
 * Property `recovery`: for arbitrary smooth truth ε(pT, |η|) = A·exp(β|η|)·(1 + pT/p_b) (A log-uniform in
 * [4e-3, 1.2e-2], β ∈ [0, 1.2], p_b ∈ [20, 200] GeV, drawn by fast-check), the estimator's per-bin rates agree
 * with the bin-averaged truth τ in every bulk bin, and in every |η| row taken together.
 *
 * Scale σ: the binned fit's sandwich error on the same sample. The binned fit is the efficient estimator of a
 * bin's rate, so its error is the precision any estimator can claim for that bin whatever errors (if any) the
 * estimator reports; the estimator's own errors are checked by `pulls`.
 * Tests, per run: each bulk bin |ε̂ − τ|/σ < z, and each |η| row with ≥ 2 bulk bins |Σ pull|/√n < z (Stouffer:
 * a bias shared by a detector region, e.g. +20 % in the endcap, adds up over its pT bins where one bin alone
 * would not reach z). z is Šidák-corrected for the largest possible number of tests, so the family-wise
 * false-alarm rate of a correct estimator is at most ALPHA (bins of one row are treated as independent; the
 * binned fit's correlations between bins are small and negative here, which makes the row test conservative).
 */
import fc from 'fast-check';
import { normalQuantile } from '../../stats/index.js';
import { callEstimator, type PropertyDefinition } from '../property.js';
import { perBin } from '../perBin.js';
import { CHECK_BINNING, epsShapeArb, reference, windowSample } from '../sample.js';

const ALPHA = 1e-3;
const SIZES = { quick: { runs: 3, truthEvents: 300_000 }, full: { runs: 20, truthEvents: 600_000 } } as const;

export const recovery: PropertyDefinition = {
  name: 'recovery',
  title: 'per-bin rates recover arbitrary smooth truth ε(pT, |η|) in every bulk bin and every |η| row',
  async run(ctx) {
    const size = SIZES[ctx.preset];
    const binning = CHECK_BINNING;
    const rows = binning.etaEdges.length - 1;
    const maxTests = size.runs * (binning.size + rows);
    const z = normalQuantile(1 - (1 - (1 - ALPHA) ** (1 / maxTests)) / 2);
    let checks = 0;
    let worst = 0;
    let run = 0;
    const details = await fc.check(
      fc.asyncProperty(epsShapeArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (shape, sampleSeed) => {
        const r = run++;
        const table = await windowSample(shape, size.truthEvents, sampleSeed);
        const ref = reference(table, binning);
        const res = await callEstimator(ctx, table, binning, 'recovery', r);
        if (res.status !== 'ok')
          throw new Error(
            `status '${res.status}'${res.message ? `: ${res.message}` : ''} on a connected sample where the rates are identifiable`,
          );
        const est = perBin(res, table, binning);
        const byRow = new Map<number, number[]>();
        for (const k of ref.bulk) {
          const pull = (est.eps[k]! - ref.truth[k]!) / ref.fit.errSandwich[k]!;
          checks++;
          worst = Math.max(worst, Math.abs(pull) || Infinity);
          if (!(Math.abs(pull) < z))
            throw new Error(
              `bin ${binning.label(k)}: estimate ${fmt(est.eps[k]!)}, truth ${fmt(ref.truth[k]!)}, σ ${fmt(ref.fit.errSandwich[k]!)}: pull ${pull.toFixed(2)}, limit ±${z.toFixed(2)}`,
            );
          const row = binning.coordinates(k).iEta;
          byRow.set(row, [...(byRow.get(row) ?? []), pull]);
        }
        for (const [row, pulls] of byRow) {
          if (pulls.length < 2) continue;
          const zr = pulls.reduce((a, b) => a + b, 0) / Math.sqrt(pulls.length);
          checks++;
          if (!(Math.abs(zr) < z))
            throw new Error(
              `|η| row ${binning.etaEdges[row]}–${binning.etaEdges[row + 1]}: ${pulls.length} bulk bins pull together (Stouffer z ${zr.toFixed(2)}, pulls ${pulls.map((p) => p.toFixed(2)).join(', ')}), limit ±${z.toFixed(2)}`,
            );
        }
      }),
      { seed: ctx.seed, numRuns: size.runs, endOnFailure: true, ...(ctx.path ? { path: ctx.path } : {}) },
    );
    if (details.failed) {
      return {
        status: 'failed',
        summary: `failed after ${details.numRuns} of ${size.runs} samples`,
        message: (details.errorInstance as Error | undefined)?.message ?? String(details.errorInstance),
        checks,
        falseAlarm: ALPHA,
        ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}),
        counterexample: details.counterexample,
      };
    }
    return {
      status: 'passed',
      summary: `${size.runs} samples, ${checks} comparisons within ±${z.toFixed(2)}σ (largest |pull| ${worst.toFixed(2)})`,
      checks,
      falseAlarm: ALPHA,
    };
  },
};

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toExponential(3) : String(x);
}
