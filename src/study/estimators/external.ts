/**
 * Adapter: an estimator written in any language, run as a command per toy through the external protocol
 * (src/external/protocol.ts). The program sees the same table as the built-in estimators (window, or window
 * + weighted sidebands), and its answer goes through exactly the same metrics and criteria.
 *
 * Options (study file):
 *   command         argv, e.g. ["python3", "estimators/torch_phi.py"] (the manifest path is appended), run in
 *                   `cwd` (default: the study file's directory, set when the study is resolved);
 *   timeoutSeconds  wall-clock limit per toy (default 600): past it the process group is killed, a failed toy;
 *   config          any JSON object, handed to the program as manifest.config;
 *   keep            keep the toy's directory (default false: removed after reading the answer).
 * Per-bin errors: with members (M > 1) the sample sd over members of the bin means, M − 1 degrees of freedom
 * (as the built-in ensemble); else with eps1_sd/eps2_sd the bin mean of the per-electron sd (the errors of
 * electrons in one bin taken as fully correlated, as an ensemble's are); else none.
 * A non-zero exit, a timeout, a missing or malformed answer: a failed toy with the program's message.
 */
import { z } from 'zod';
import { assignBins } from '../../binning/assignBins.js';
import { zodConfigError } from '../../config/zodConfigError.js';
import { runExternal } from '../../external/runExternal.js';
import { binMeans } from '../metrics/binMeans.js';
import type { Estimator, EstimatorResult } from './Estimator.js';

export const ExternalOptionsSchema = z.strictObject({
  command: z.array(z.string().min(1)).min(1),
  timeoutSeconds: z.number().positive().default(600),
  cwd: z.string().optional(),
  config: z.record(z.string(), z.unknown()).default({}),
  keep: z.boolean().default(false),
  /** Set by the study runner from the estimator spec (not written by users). */
  sidebandSubtraction: z.boolean().optional(),
});

const toNum = (a: readonly (number | null)[]): Float64Array => Float64Array.from(a, (x) => (x == null ? NaN : x));

function sd(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

export const externalEstimator: Estimator = async (table, ctx) => {
  const parsed = ExternalOptionsSchema.safeParse(ctx.options);
  if (!parsed.success) throw zodConfigError(parsed.error, ctx.options, ctx.source, 'options');
  const o = parsed.data;
  const out = await runExternal(table, {
    command: o.command,
    cwd: o.cwd ?? process.cwd(),
    timeoutSeconds: o.timeoutSeconds,
    keep: o.keep,
    binning: { eta: [...ctx.binning.etaEdges], pt: [...ctx.binning.ptEdges] },
    seed: ctx.seed,
    threads: 1,
    sidebandSubtraction: o.sidebandSubtraction ?? false,
    config: o.config,
    source: ctx.source,
  });
  const eps1 = toNum(out.eps1);
  const eps2 = toNum(out.eps2);
  const bins = assignBins(table, ctx.binning, ctx.source);
  const K = ctx.binning.size;
  const bg = table.columns.is_background;
  const mean = binMeans(bins, K, eps1, eps2, bg).mean;
  const members = out.members?.map((m) => ({ eps1: toNum(m.eps1), eps2: toNum(m.eps2), train: m.train ?? [], val: m.val ?? [] }));
  let binsOut: EstimatorResult['bins'] = { eps: mean };
  if (members && members.length > 1) {
    const memberBins = members.map((m) => binMeans(bins, K, m.eps1, m.eps2, bg).mean);
    binsOut = {
      eps: mean,
      err: mean.map((_, k) => sd(memberBins.map((b) => b[k]!).filter(Number.isFinite))),
      errDof: members.length - 1,
      ...(out.resampling != null ? { resampling: out.resampling } : {}),
    };
  } else if (out.eps1_sd && out.eps2_sd) {
    binsOut = { eps: mean, err: binMeans(bins, K, toNum(out.eps1_sd), toNum(out.eps2_sd), bg).mean };
  }
  return {
    status: out.status,
    ...(out.message != null ? { message: out.message } : {}),
    bins: binsOut,
    electrons: { eps1, eps2 },
    ...(members ? { members } : {}),
    diagnostics: { ...out.diagnostics, ...(members ? { members: members.length } : {}) },
  };
};
