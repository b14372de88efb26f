/**
 * Shared by the φ-trainer and the oracle adapters: train (an ensemble), apply it to the table's electrons,
 * and put the result on the common footing.
 *   per electron: ensemble-mean ε;
 *   per bin: mean ε̂ over the bin's signal electrons; error = standard deviation of that bin mean over the
 *     ensemble members (the network's "ensemble error"; NaN with a single member), with M − 1 degrees of
 *     freedom (errDof: its intervals are Student-t intervals, see metrics/pullStats.ts);
 *   diagnostics: branch of every member (ε ↔ 1 − ε, eq. 3), and the eq. 5 trade-off — for each member the mean
 *     ε̂ of electrons below (A) and above (B) |η| = tradeoffEtaSplit. In a bipartite pairing only ε_A + ε_B is
 *     fixed by the data, so members spread along ε_A − ε_B: tradeoffRatio = sd(ε̄_A − ε̄_B)/sd(ε̄_A + ε̄_B) ≫ 1;
 *     with the topology connected both are fixed and the ratio is of order 1.
 */
import { assignBins } from '../../binning/assignBins.js';
import { ConfigError } from '../../errors.js';
import type { EventTable } from '../../events/columns.js';
import { sampleStandardDeviation } from '../../stats/index.js';
import type { PhiModel } from '../../train/model.js';
import { BinMeansAccumulator } from '../metrics/binMeans.js';
import type { EstimatorContext, EstimatorResult } from './Estimator.js';
import { REGION } from '../../selection/selection.js';

const STUDY_KEYS = new Set(['tradeoffEtaSplit']);
/** A streamed estimate's members carry no per-electron arrays (the caller had them chunk by chunk). */
const EMPTY = new Float64Array(0);

/** Trainer options from the estimator options: the study-only keys removed, seed and progress set here. */
export function trainerOptions(ctx: EstimatorContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ctx.options)) if (!STUDY_KEYS.has(k)) out[k] = v;
  if ('seed' in out)
    throw new ConfigError('options.seed', out.seed, 'no seed: each toy derives the trainer seed from the study seed', ctx.source);
  // The background model and the pairing diagnostic use the study binning unless the options name one.
  return { bins: { eta: [...ctx.binning.etaEdges], pt: [...ctx.binning.ptEdges] }, ...out, seed: ctx.seed, progress: false };
}

/** Sample standard deviation (n − 1); NaN below two members (simple-statistics would throw). */
function sd(xs: readonly number[]): number {
  return xs.length >= 2 ? sampleStandardDeviation(xs as number[]) : NaN;
}

export async function networkEstimate(model: PhiModel, table: EventTable, ctx: EstimatorContext): Promise<EstimatorResult> {
  const acc = await NetworkEstimateAccumulator.create(model, ctx);
  return acc.result(acc.add(table));
}

/** One chunk's per-electron rates: the ensemble mean and each member's. */
export interface NetworkChunk {
  eps1: Float64Array;
  eps2: Float64Array;
  members: { eps1: Float64Array; eps2: Float64Array }[];
}

/**
 * The model applied chunk by chunk (a streamed toy, src/study/streamToy.ts): every sum runs in row order across
 * chunks, so the result is bit-identical to networkEstimate on the concatenated rows, provided each chunk but
 * the last holds a multiple of PREDICT_CHUNK_ROWS rows (the network is evaluated in batches of that many rows,
 * train/predict.ts, and a batch's numbers need not be independent of its other rows).
 */
export class NetworkEstimateAccumulator {
  private readonly mean: BinMeansAccumulator;
  private readonly memberBins: BinMeansAccumulator[];
  private readonly trade: Float64Array;

  private constructor(
    private readonly model: PhiModel,
    private readonly ctx: EstimatorContext,
    private readonly split: number,
    private readonly memberEps: typeof import('../../train/apply.js').memberEps,
  ) {
    const K = ctx.binning.size;
    const M = model.members.length;
    this.mean = new BinMeansAccumulator(K);
    this.memberBins = model.members.map(() => new BinMeansAccumulator(K));
    // Per member: Σε and count below (A) and above (B) |η| = split.
    this.trade = new Float64Array(4 * M);
  }

  static async create(model: PhiModel, ctx: EstimatorContext): Promise<NetworkEstimateAccumulator> {
    const { memberEps } = await import('../../train/apply.js');
    const split = ctx.options.tradeoffEtaSplit ?? 1.37;
    if (typeof split !== 'number' || !(split > 0)) throw new ConfigError('options.tradeoffEtaSplit', split, 'a positive |eta|', ctx.source);
    return new NetworkEstimateAccumulator(model, ctx, split, memberEps);
  }

  add(table: EventTable): NetworkChunk {
    const { model, ctx, split, trade } = this;
    const m1 = this.memberEps(model, table, 1, ctx.source);
    const m2 = this.memberEps(model, table, 2, ctx.source);
    const M = m1.length;
    const n = table.n;
    const eps1 = new Float64Array(n);
    const eps2 = new Float64Array(n);
    for (let m = 0; m < M; m++) {
      for (let i = 0; i < n; i++) {
        eps1[i] += m1[m]![i]! / M;
        eps2[i] += m2[m]![i]! / M;
      }
    }
    const bins = assignBins(table, ctx.binning, ctx.source);
    // Bin means over the window's signal electrons, the truth references' electrons (a table holding sidebands —
    // sideband subtraction, the folded trainer's parents — carries rows that are not estimated).
    const region0 = table.columns.region;
    const bgCol = table.columns.is_background;
    const bg = Uint8Array.from({ length: n }, (_, i) => ((bgCol && bgCol[i] === 1) || (region0 && region0[i] !== REGION.window) ? 1 : 0));
    this.mean.add(bins, eps1, eps2, bg);
    m1.forEach((e1, m) => this.memberBins[m]!.add(bins, e1, m2[m]!, bg));
    // eq. 5 trade-off: per-member means over signal electrons in region A (|η| < split) and B.
    const eta1 = table.columns.eta1!;
    const eta2 = table.columns.eta2!;
    const region = table.columns.region!;
    for (let m = 0; m < M; m++) {
      let sa = trade[4 * m]!;
      let na = trade[4 * m + 1]!;
      let sb = trade[4 * m + 2]!;
      let nb = trade[4 * m + 3]!;
      for (let i = 0; i < n; i++) {
        if ((bg && bg[i] === 1) || region[i] !== REGION.window) continue;
        if (Math.abs(eta1[i]!) < split) {
          sa += m1[m]![i]!;
          na++;
        } else {
          sb += m1[m]![i]!;
          nb++;
        }
        if (Math.abs(eta2[i]!) < split) {
          sa += m2[m]![i]!;
          na++;
        } else {
          sb += m2[m]![i]!;
          nb++;
        }
      }
      trade.set([sa, na, sb, nb], 4 * m);
    }
    return { eps1, eps2, members: m1.map((e1, m) => ({ eps1: e1, eps2: m2[m]! })) };
  }

  /** The estimate over every chunk added; `electrons`: the per-electron rates to hand on (a whole table's). */
  async result(electrons?: NetworkChunk): Promise<EstimatorResult> {
    const { model, trade } = this;
    const M = model.members.length;
    const mean = this.mean.result().mean;
    const memberBins = this.memberBins.map((b) => b.result().mean);
    const err = mean.map((_, k) => sd(memberBins.map((b) => b[k]!).filter(Number.isFinite)));
    const tradeA: number[] = [];
    const tradeB: number[] = [];
    for (let m = 0; m < M; m++) {
      const [sa, na, sb, nb] = trade.subarray(4 * m, 4 * m + 4);
      tradeA.push(na! > 0 ? sa! / na! : NaN);
      tradeB.push(nb! > 0 ? sb! / nb! : NaN);
    }
    const diff = tradeA.map((a, m) => a - tradeB[m]!);
    const sum = tradeA.map((a, m) => a + tradeB[m]!);
    const mirror = model.members.filter((mb) => mb.branch.branch === 'mirror').length;
    const flipped = model.members.filter((mb) => mb.branch.flipped).length;
    // Status, most serious first: a collapsed member (no model), a mirror member, a pairing that does not
    // identify ε (the answer along eq. 5 is the initialisation's). Each is counted by the study summary.
    const { modelProblems } = await import('../../train/trainModel.js');
    const problems = modelProblems(model);
    const pairing = model.pairing;
    const notIdentified = pairing != null && !pairing.identifiable;
    const status = problems.length > 0 ? 'collapsed' : mirror > 0 ? 'unphysicalBranch' : notIdentified ? 'notIdentifiable' : 'ok';
    const message =
      status === 'collapsed'
        ? `training collapsed: ${problems.join('; ')}`
        : status === 'unphysicalBranch'
          ? `${mirror} of ${M} ensemble members on the mirror branch (epsilon > 1/2)`
          : status === 'notIdentifiable'
            ? `not identifiable: ${pairing!.notes.join('; ')}`
            : undefined;
    const bgs = model.members.map((mb) => mb.background).filter((b) => b != null);
    return {
      status,
      ...(message != null ? { message } : {}),
      // err is a sample sd over M members: M − 1 degrees of freedom (t-quantile intervals in the summary).
      bins: {
        eps: mean,
        err,
        ...(M > 1 ? { errDof: M - 1, resampling: model.members.every((mb) => mb.bootstrap) ? 'bootstrap' : 'none' } : {}),
      },
      ...(electrons ? { electrons: { eps1: electrons.eps1, eps2: electrons.eps2 } } : {}),
      members: model.members.map((mb, m) => ({
        eps1: electrons?.members[m]!.eps1 ?? EMPTY,
        eps2: electrons?.members[m]!.eps2 ?? EMPTY,
        train: mb.curves.train,
        val: mb.curves.val,
      })),
      diagnostics: {
        backend: model.backend,
        members: M,
        mirrorMembers: mirror,
        flippedMembers: flipped,
        branch: mirror > 0 ? 'mirror' : 'physical',
        epochs: model.members.reduce((a, mb) => a + mb.epochsRun, 0) / M,
        tradeoffA: tradeA.map((x) => (Number.isFinite(x) ? x : null)),
        tradeoffB: tradeB.map((x) => (Number.isFinite(x) ? x : null)),
        tradeoffRatio: M > 2 && Number.isFinite(sd(diff) / sd(sum)) ? sd(diff) / sd(sum) : null,
        // Pairing identifiability of the training sample (train/pairingDiagnostic.ts): flagged counts in flaggedFraction.
        flagged: notIdentified,
        bipartiteComponents: pairing?.bipartiteComponents ?? null,
        collapsedMembers: model.members.filter((mb) => mb.status === 'collapsed').length,
        collapsedFraction: Math.max(...model.members.map((mb) => mb.collapsedFraction)),
        ...(model.fold
          ? {
              foldMeanFactor: model.fold.meanFactor,
              foldLostFraction: model.fold.lostFraction,
              foldUnreachableSC: model.fold.unreachableSC,
              foldOutsideBinning: model.fold.outsideBinning,
            }
          : {}),
        ...(bgs.length > 0
          ? {
              backgroundSC: bgs.reduce((a, b) => a + b.backgroundSC, 0) / bgs.length,
              backgroundSCErr: bgs.reduce((a, b) => a + b.backgroundSCErr, 0) / bgs.length,
              backgroundExcessCategories: bgs.reduce((a, b) => a + b.excessCategories, 0) / bgs.length,
            }
          : {}),
      },
    };
  }
}
