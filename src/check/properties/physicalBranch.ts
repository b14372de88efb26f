/**
 * Property `physicalBranch`: the pair function is symmetric under ε ↔ 1 − ε for every electron at once
 * (f(φ1, φ2) = f(−φ1, −φ2)), so a sample fits ε and 1 − ε equally well; the physical branch (ε < ½) must be
 * chosen on purpose. On samples from the recovery family (truth ε ≤ 0.1 everywhere) every per-bin rate and all
 * but a fraction LIMIT of the per-electron rates must lie below ½. Not statistical: a correct estimator on the
 * physical branch is nowhere near ½ (false-alarm rate 0).
 */
import { callEstimator, type PropertyDefinition } from '../property.js';
import { perBin } from '../perBin.js';
import { CHECK_BINNING, reference, windowSample, type EpsShape } from '../sample.js';

const LIMIT = 0.01;
const SHAPES: readonly EpsShape[] = [
  { A: 6e-3, beta: 0.6, pb: 80 },
  { A: 1e-2, beta: 1.1, pb: 30 },
];
const SIZES = { quick: { truthEvents: 150_000, shapes: 1 }, full: { truthEvents: 400_000, shapes: 2 } } as const;

export const physicalBranch: PropertyDefinition = {
  name: 'physicalBranch',
  title: 'the estimate lies on the physical branch ε < ½ of the ε ↔ 1 − ε symmetry',
  async run(ctx) {
    const size = SIZES[ctx.preset];
    let checks = 0;
    for (let s = 0; s < size.shapes; s++) {
      const table = await windowSample(SHAPES[s]!, size.truthEvents, `${ctx.seed}/physicalBranch/${s}`);
      const ref = reference(table, CHECK_BINNING);
      const res = await callEstimator(ctx, table, CHECK_BINNING, 'physicalBranch', s);
      const est = perBin(res, table, CHECK_BINNING);
      for (const k of ref.bulk) {
        checks++;
        if (!(est.eps[k]! < 0.5))
          return fail(
            `bin ${CHECK_BINNING.label(k)}: ε = ${est.eps[k]} ≥ ½ where the truth is ${ref.truth[k]!.toExponential(3)} (mirror branch ε → 1 − ε?)`,
            checks,
          );
      }
      let above = 0;
      let n = 0;
      for (const e of [est.eps1, est.eps2])
        for (let i = 0; i < table.n; i++) {
          if (!Number.isFinite(e[i]!)) continue;
          n++;
          if (e[i]! >= 0.5) above++;
        }
      checks++;
      if (n > 0 && above / n > LIMIT)
        return fail(`${above} of ${n} electrons (${((100 * above) / n).toFixed(1)} %) have ε ≥ ½ (limit ${100 * LIMIT} %)`, checks);
    }
    return {
      status: 'passed',
      summary: `${size.shapes} sample(s): every bulk bin and ≥ ${100 * (1 - LIMIT)} % of electrons below ½`,
      checks,
      falseAlarm: 0,
    };
  },
};

function fail(message: string, checks: number) {
  return { status: 'failed' as const, summary: 'estimate on the mirror branch', message, checks, falseAlarm: 0 };
}
