/**
 * Property `invariance`: the estimate must not depend on how the events are written down.
 *   - Relabelling e1 ↔ e2 in every event is an exact symmetry of the pair function and of the data; an
 *     estimator may differ only by rounding (sums in another order). Tolerance: every bulk bin within SWAP_TOL σ.
 *   - Permuting the events changes a stochastic trainer's batches and so its optimisation path; the change must
 *     stay below the statistical precision. Tolerance: every bulk bin within PERMUTE_TOL σ.
 * σ is the binned fit's sandwich error on the sample (the statistical precision of the bin). These are stated
 * engineering tolerances, not statistical tests: a deterministic estimator passes them exactly (false-alarm
 * rate 0); a stochastic one passes when its training noise is well below the data's.
 */
import type { EventTable } from '../../events/columns.js';
import { createRng } from '../../rng.js';
import { callEstimator, type PropertyDefinition } from '../property.js';
import { perBin } from '../perBin.js';
import { CHECK_BINNING, reference, windowSample, type EpsShape } from '../sample.js';

const SWAP_TOL = 0.1;
const PERMUTE_TOL = 1;
const SHAPES: readonly EpsShape[] = [
  { A: 7e-3, beta: 0.9, pb: 50 },
  { A: 5e-3, beta: 0.3, pb: 150 },
];
const SIZES = { quick: { truthEvents: 150_000, shapes: 1 }, full: { truthEvents: 400_000, shapes: 2 } } as const;

/** The same events with electron 1 and electron 2 exchanged (every column `<name>1` ↔ `<name>2`). */
export function swapElectrons(t: EventTable): EventTable {
  const c: EventTable['columns'] = { ...t.columns };
  for (const name of Object.keys(t.columns)) {
    const m = /^(.*)([12])$/.exec(name);
    const other = m ? `${m[1]}${m[2] === '1' ? '2' : '1'}` : undefined;
    if (other && t.columns[other]) c[name] = t.columns[other];
  }
  return { n: t.n, columns: c };
}

/** The same events in a seeded random order (Fisher–Yates). */
export function permuteEvents(t: EventTable, seed: string): EventTable {
  const idx = Uint32Array.from({ length: t.n }, (_, i) => i);
  const rng = createRng(seed);
  for (let i = t.n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const tmp = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = tmp;
  }
  const c: EventTable['columns'] = {};
  for (const [name, col] of Object.entries(t.columns)) {
    const out = new (col.constructor as new (n: number) => typeof col)(t.n);
    for (let i = 0; i < t.n; i++) out[i] = col[idx[i]!]!;
    c[name] = out;
  }
  return { n: t.n, columns: c };
}

export const invariance: PropertyDefinition = {
  name: 'invariance',
  title: `relabelling e1 ↔ e2 moves no bin by more than ${SWAP_TOL}σ, permuting the events by more than ${PERMUTE_TOL}σ`,
  async run(ctx) {
    const size = SIZES[ctx.preset];
    let checks = 0;
    let worstSwap = 0;
    let worstPerm = 0;
    for (let s = 0; s < size.shapes; s++) {
      const table = await windowSample(SHAPES[s]!, size.truthEvents, `${ctx.seed}/invariance/${s}`);
      const ref = reference(table, CHECK_BINNING);
      // The same seed for all three calls: only the layout of the events differs.
      const base = perBin(await callEstimator(ctx, table, CHECK_BINNING, 'invariance', s), table, CHECK_BINNING);
      const swappedTable = swapElectrons(table);
      const swapped = perBin(await callEstimator(ctx, swappedTable, CHECK_BINNING, 'invariance', s), swappedTable, CHECK_BINNING);
      const permutedTable = permuteEvents(table, `${ctx.seed}/invariance/permutation/${s}`);
      const permuted = perBin(await callEstimator(ctx, permutedTable, CHECK_BINNING, 'invariance', s), permutedTable, CHECK_BINNING);
      for (const k of ref.bulk) {
        const sigma = ref.fit.errSandwich[k]!;
        const ds = Math.abs(swapped.eps[k]! - base.eps[k]!) / sigma;
        const dp = Math.abs(permuted.eps[k]! - base.eps[k]!) / sigma;
        checks += 2;
        worstSwap = Math.max(worstSwap, Number.isNaN(ds) ? Infinity : ds);
        worstPerm = Math.max(worstPerm, Number.isNaN(dp) ? Infinity : dp);
        if (!(ds <= SWAP_TOL))
          return fail(
            `e1 ↔ e2 relabelling moves bin ${CHECK_BINNING.label(k)} from ${base.eps[k]} to ${swapped.eps[k]} (${ds.toFixed(3)}σ, tolerance ${SWAP_TOL}σ)`,
            checks,
          );
        if (!(dp <= PERMUTE_TOL))
          return fail(
            `permuting the events moves bin ${CHECK_BINNING.label(k)} from ${base.eps[k]} to ${permuted.eps[k]} (${dp.toFixed(3)}σ, tolerance ${PERMUTE_TOL}σ)`,
            checks,
          );
      }
    }
    return {
      status: 'passed',
      summary: `${size.shapes} sample(s): largest move ${worstSwap.toFixed(3)}σ under e1 ↔ e2, ${worstPerm.toFixed(3)}σ under permutation`,
      checks,
      falseAlarm: 0,
    };
  },
};

function fail(message: string, checks: number) {
  return { status: 'failed' as const, summary: 'the estimate depends on how the events are written down', message, checks, falseAlarm: 0 };
}
