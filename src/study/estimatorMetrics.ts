/**
 * An estimator's record (toyRecord.ts EstimatorRecord) from its result and the per-electron rates of the rows
 * it estimated: per-bin rates (given, or the mean over each bin's signal electrons), per-electron accuracy
 * against the truth, the SC closure histograms and χ² (pt, η, m_ee, and the latent-model features present),
 * the closure scan's predicted cells, ε profiles (with the ensemble band) and per-member bin means.
 *
 * The rows come in one table (runToy's in-memory path) or chunk by chunk (a streamed toy, streamToy.ts). Every
 * sum runs in row order across the chunks, so both give the same record, byte for byte.
 */
import type { BinAssignment } from '../binning/assignBins.js';
import type { EventTable } from '../events/columns.js';
import { deriveSeed } from '../rng.js';
import { REGION } from '../selection/selection.js';
import type { EstimatorResult } from './estimators/Estimator.js';
import { BinMeansAccumulator } from './metrics/binMeans.js';
import { ClosureAccumulator, type ClosureHistogram } from './metrics/closureChi2.js';
import { ElectronMetricsAccumulator } from './metrics/electronMetrics.js';
import { FeatureClosureAccumulator } from './metrics/featureClosure.js';
import { PROFILE_EDGES, ProfileMeanAccumulator, profileBins, sig6, type ProfileVariable } from './metrics/profiles.js';
import { SCAN_CELLS, addScanPredicted } from './verdict/closureScan.js';
import { jsonNumber, type ClosureHistRecord, type EstimatorRecord, type MemberRecord, type ProfileRecord } from './toyRecord.js';

export const PROFILE_VARIABLES: readonly ProfileVariable[] = ['pt', 'abseta', 'phi'];
const CLOSURE_VARIABLES = ['pt', 'eta', 'm_ee'] as const;

type Rates = { eps1: ArrayLike<number>; eps2: ArrayLike<number> };

export class EstimatorMetrics {
  /** The bin means of the per-electron rates (used when the estimator gives no per-bin rates). */
  private readonly binned: BinMeansAccumulator;
  private readonly electrons = new ElectronMetricsAccumulator();
  private readonly closure = CLOSURE_VARIABLES.map((v) => new ClosureAccumulator(v));
  private readonly features = new FeatureClosureAccumulator();
  private readonly scan = new Float64Array(SCAN_CELLS);
  private readonly profiles = PROFILE_VARIABLES.map((v) => new ProfileMeanAccumulator(PROFILE_EDGES[v].length - 1));
  /** Per ensemble member: its bin means and its profiles (the band of the report's profiles). */
  private members: { bins: BinMeansAccumulator; profiles: ProfileMeanAccumulator[] }[] | undefined;

  /** `seed`: the estimator's, from which its closure null draws (metrics/closureNull.ts). */
  constructor(
    private readonly K: number,
    private readonly seed: string,
  ) {
    this.binned = new BinMeansAccumulator(K);
  }

  /** Rows of `table`, their bins and the estimator's per-electron rates (ensemble members' too, for networks). */
  add(table: EventTable, bins: BinAssignment, rates: Rates, members?: readonly Rates[]): void {
    const { eps1, eps2 } = rates;
    this.binned.add(bins, eps1, eps2, table.columns.is_background);
    // Electron and closure metrics on the window rows only (sideband rows carry no flip information of their own).
    const region = table.columns.region!;
    let allWindow = true;
    for (let i = 0; i < table.n && allWindow; i++) if (region[i] !== REGION.window) allWindow = false;
    this.electrons.add(table, maskRows(eps1, region, allWindow), maskRows(eps2, region, allWindow));
    for (const c of this.closure) c.add(table, eps1, eps2);
    this.features.add(table, eps1, eps2);
    addScanPredicted(this.scan, table, eps1, eps2);
    // Profiles over the window's signal electrons (profileBins skips sideband rows and fakes).
    const pbs = PROFILE_VARIABLES.map((v) => profileBins(table, v));
    pbs.forEach((pb, j) => this.profiles[j]!.add(pb, eps1, eps2));
    if (members) {
      this.members ??= members.map(() => ({
        bins: new BinMeansAccumulator(this.K),
        profiles: PROFILE_VARIABLES.map((v) => new ProfileMeanAccumulator(PROFILE_EDGES[v].length - 1)),
      }));
      members.forEach((m, k) => {
        const acc = this.members![k]!;
        acc.bins.add(bins, m.eps1, m.eps2, table.columns.is_background);
        pbs.forEach((pb, j) => acc.profiles[j]!.add(pb, m.eps1, m.eps2));
      });
    }
  }

  /** The record; `scYield` is a paired study's (computed on the whole table, in memory only). */
  record(res: EstimatorResult, scYield?: EstimatorRecord['scYield']): EstimatorRecord {
    const K = this.K;
    const eps = res.bins ? Array.from(res.bins.eps) : this.binned.result().mean;
    const err = res.bins?.err ? Array.from(res.bins.err) : new Array<number>(K).fill(NaN);
    const el = this.electrons.result();
    const hists = Object.fromEntries(CLOSURE_VARIABLES.map((v, j) => [v, this.closure[j]!.result()])) as Record<
      (typeof CLOSURE_VARIABLES)[number],
      ClosureHistogram
    >;
    const fc = this.features.result(deriveSeed(this.seed, 'featureClosureNull'));
    const cl = (v: 'pt' | 'eta' | 'm_ee') => ({ chi2: hists[v].chi2, ndf: hists[v].ndf });
    const histRecord = (v: 'pt' | 'eta' | 'm_ee'): ClosureHistRecord => ({
      edges: hists[v].edges,
      observed: hists[v].observed.map(sig6),
      predicted: hists[v].predicted.map(sig6),
      variance: hists[v].variance.map(sig6),
      predictedVariance: hists[v].predictedVariance.map(sig6),
    });
    const profiles: NonNullable<EstimatorRecord['profiles']> = {};
    PROFILE_VARIABLES.forEach((v, j) => {
      const mean = this.profiles[j]!.result().mean;
      const prof: ProfileRecord = { eps: mean.map(sig6) };
      if (res.members && res.members.length > 1 && this.members) {
        const per = this.members.map((m) => m.profiles[j]!.result().mean);
        prof.lo = mean.map((_, b) => sig6(Math.min(...per.map((p) => p[b]!))));
        prof.hi = mean.map((_, b) => sig6(Math.max(...per.map((p) => p[b]!))));
      }
      profiles[v] = prof;
    });
    const members: MemberRecord[] | undefined = res.members?.map((m, k) => ({
      eps: (this.members?.[k]?.bins.result().mean ?? new Array<number>(K).fill(NaN)).map(sig6),
      train: m.train.map(sig6),
      val: m.val.map(sig6),
    }));
    return {
      status: res.status,
      ...(res.message != null ? { message: res.message } : {}),
      eps: eps.map(jsonNumber),
      err: err.map(jsonNumber),
      ...(res.bins?.errDof != null ? { errDof: res.bins.errDof } : {}),
      ...(res.bins?.errDof != null && res.bins.resampling != null ? { errResampling: res.bins.resampling } : {}),
      ...(res.bins?.errLo && res.bins.errHi
        ? { errLo: Array.from(res.bins.errLo, jsonNumber), errHi: Array.from(res.bins.errHi, jsonNumber) }
        : {}),
      ...(res.bins?.interval != null ? { interval: res.bins.interval } : {}),
      scan: Array.from(this.scan).map(sig6),
      electron: {
        n: el.n,
        mse: jsonNumber(el.mse),
        meanRelBias: jsonNumber(el.meanRelBias),
        phiKappaMean: jsonNumber(el.phiKappaMean),
        phiKappaRms: jsonNumber(el.phiKappaRms),
        ...(Number.isFinite(el.mseReach) ? { mseReach: jsonNumber(el.mseReach) } : {}),
      },
      closure: { pt: cl('pt'), eta: cl('eta'), m_ee: cl('m_ee') },
      ...(scYield ? { scYield } : {}),
      ...(fc.null
        ? {
            featureClosure: Object.fromEntries(
              Object.entries(fc.hists).map(([f, h]) => [f, { chi2: h.chi2, ndf: h.ndf, p: jsonNumber(fc.null!.p[f]!) }]),
            ),
            featureClosureP: jsonNumber(fc.null.family),
          }
        : {}),
      diagnostics: res.diagnostics ?? {},
      profiles,
      closureHist: { pt: histRecord('pt'), eta: histRecord('eta'), m_ee: histRecord('m_ee') },
      ...(members ? { members } : {}),
      ...(res.graph ? { graph: res.graph } : {}),
    };
  }
}

/** The record of an estimator that could not answer (its message says why). */
export function failedRecord(K: number, message: string): EstimatorRecord {
  const nan = new Array<number | null>(K).fill(null);
  const zero = { chi2: 0, ndf: 0 };
  return {
    status: 'failed',
    message,
    eps: nan,
    err: [...nan],
    electron: { n: 0, mse: null, meanRelBias: null, phiKappaMean: null, phiKappaRms: null },
    closure: { pt: zero, eta: { ...zero }, m_ee: { ...zero } },
    diagnostics: {},
  };
}

function maskRows(eps: ArrayLike<number>, region: ArrayLike<number>, allWindow: boolean): ArrayLike<number> {
  if (allWindow) return eps;
  return Float64Array.from({ length: eps.length }, (_, i) => (region[i] === REGION.window ? eps[i]! : NaN));
}
