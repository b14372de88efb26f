/**
 * Property `identifiability` (physics: per-bin rates are identifiable only if every connected component of the
 * "which bins pair with which" graph has an odd cycle; a bipartite pairing leaves the flat direction
 * ε_A + δ, ε_B − δ along which every pair's flip rate is unchanged, method note eq. 5).
 *   - Connected sample (all events): the estimator answers (status ok) and raises no identifiability flag.
 *   - Bipartite sample (every event one electron with |η| < 1.37 and one above): the data cannot fix the
 *     rates, so an honest estimator says so — a non-ok status, or `diagnostics.flagged === true`, or
 *     `diagnostics.identifiable === false`. A confident answer there is set by initialisation or smoothness,
 *     not by the data.
 * Not statistical (false-alarm rate 0): both outcomes follow from the pairing graph, not from fluctuations.
 */
import { callEstimator, reportsNonIdentifiable, type PropertyDefinition } from '../property.js';
import { CHECK_BINNING, windowSample, type EpsShape } from '../sample.js';

const SHAPE: EpsShape = { A: 8e-3, beta: 0.8, pb: 60 };
const SIZES = { quick: 150_000, full: 500_000 } as const;

export const identifiability: PropertyDefinition = {
  name: 'identifiability',
  title: 'answers on a connected pairing, and says so when the pairing is bipartite (not identifiable)',
  async run(ctx) {
    const n = SIZES[ctx.preset];
    const connected = await windowSample(SHAPE, n, `${ctx.seed}/identifiability/connected`);
    const a = await callEstimator(ctx, connected, CHECK_BINNING, 'identifiability', 'connected');
    if (reportsNonIdentifiable(a))
      return {
        status: 'failed',
        summary: 'flags a connected (identifiable) pairing',
        message: `connected pairing: status '${a.status}'${a.message ? ` (${a.message})` : ''}, diagnostics.flagged ${String(a.diagnostics?.flagged)}: the rates are identifiable here`,
        checks: 1,
        falseAlarm: 0,
      };
    const bipartite = await windowSample(SHAPE, n, `${ctx.seed}/identifiability/bipartite`, { bipartiteSplit: 1.37 });
    const b = await callEstimator(ctx, bipartite, CHECK_BINNING, 'identifiability', 'bipartite');
    if (!reportsNonIdentifiable(b))
      return {
        status: 'failed',
        summary: 'answers with status ok on a bipartite (non-identifiable) pairing',
        message: `bipartite pairing (one electron |η| < 1.37, one above, ${bipartite.n} events): status 'ok' and no flag, but ε_barrel + δ, ε_endcap − δ fits equally well — report a non-ok status or diagnostics.flagged = true`,
        checks: 2,
        falseAlarm: 0,
      };
    return {
      status: 'passed',
      summary: `connected: status ok, unflagged; bipartite: ${b.status !== 'ok' ? `status '${b.status}'` : 'flagged'}`,
      checks: 2,
      falseAlarm: 0,
    };
  },
};
