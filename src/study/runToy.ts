/**
 * One toy, start to finish, for every scan point:
 *   1. generate N events with the toy's seed (the same seed at every scan point: common random numbers make
 *      differences between points smoother than independent samples would),
 *   2. apply the pairing topology, cut to the window (or window + weighted sidebands),
 *   3. the truth reference per bin (mean truth ε of the signal electrons in the window),
 *   4. every estimator on the same table, each with its own derived seed,
 *   5. per-bin rates, per-electron accuracy, SC closure χ² — one ToyRecord.
 * An estimator that throws an input/numerical error is recorded as `failed` with the message; the toy goes on.
 */
import { Binning } from '../binning/Binning.js';
import { assignBins, type BinAssignment } from '../binning/assignBins.js';
import type { EventTable } from '../events/columns.js';
import { REGION } from '../selection/selection.js';
import type { ResolvedGeneratorConfig } from '../config/generatorConfig.js';
import { createBlockContext, type BlockContext } from '../../generators/zee/generateBlock.js';
import { generateTruthEventsSync } from '../../generators/zee/generateEvents.js';
import { estimatorFor } from './estimatorFor.js';
import { bootstrapSample, loadSample } from './userSample.js';
import { ConfigError, QmisidError, UsageError } from '../errors.js';
import { deriveSeed } from '../rng.js';
import type { EstimatorResult } from './estimators/Estimator.js';
import { binMeans } from './metrics/binMeans.js';
import { electronRates } from './estimators/electronRates.js';
import { closureChi2 } from './metrics/closureChi2.js';
import { electronMetrics } from './metrics/electronMetrics.js';
import { scanObserved, scanPredicted } from './verdict/closureScan.js';
import { featureClosures } from './metrics/featureClosure.js';
import { applyPairing, repeatBackground, reselectTable, sidebandSubtractedTable, windowTable } from './prepareTable.js';
import { scYield } from './metrics/scYield.js';
import { quantileMorph } from '../method/quantileMorph.js';
import type { EstimatorContext } from './estimators/Estimator.js';
import type { PhiModel } from '../train/model.js';
import type { ResolvedStudy, ResolvedEstimator, ResolvedPoint } from './resolveStudy.js';
import { massSpectra, PROFILE_EDGES, profileBins, profileMean, sig6, type ProfileVariable } from './metrics/profiles.js';
import {
  jsonNumber,
  type ClosureHistRecord,
  type EstimatorRecord,
  type MemberRecord,
  type PointRecord,
  type ProfileRecord,
  type ToyRecord,
} from './toyRecord.js';

const PROFILE_VARIABLES: readonly ProfileVariable[] = ['pt', 'abseta', 'phi'];

/**
 * Per-configuration generator tables (Z pT and rapidity CDFs, ε model, buffers), built once per thread and
 * reused for every toy — a study runs hundreds of toys on a handful of configurations. Keyed by the resolved
 * config object, so they go when the study goes.
 */
const contexts = new WeakMap<ResolvedGeneratorConfig, BlockContext>();

/** `n` truth Z→ee events (before acceptance and selection) through the generator's serial path, in this thread. */
export function generate(config: ResolvedGeneratorConfig, n: number, seed: string): EventTable {
  let ctx = contexts.get(config);
  if (!ctx) {
    ctx = createBlockContext(config);
    contexts.set(config, ctx);
  }
  return generateTruthEventsSync(ctx, seed, n);
}

export function toySeed(study: ResolvedStudy, toy: number): string {
  return deriveSeed(study.seed, 'toy', toy);
}

export async function runToy(study: ResolvedStudy, toy: number, threads?: number): Promise<ToyRecord> {
  const seed = toySeed(study, toy);
  const binning = Binning.fromEdges(study.binning.eta, study.binning.pt);
  const points: PointRecord[] = [];
  // Paired studies: generated samples of this toy by (stream, configuration without selection, size), for
  // re-selection; each point's selected events, for the estimators trained on the MC side; trained models.
  const generatedBy = new Map<string, { table: EventTable; point: ResolvedPoint }>();
  const eventsOf = new Map<string, EventTable>();
  const models = new Map<string, PhiModel>();
  try {
    for (const point of study.points) {
      // A user sample (userSample.ts): a Poisson bootstrap of its file instead of generated events.
      const generated = study.sample
        ? bootstrapSample(await loadSample(study.sample), deriveSeed(seed, 'events'))
        : point.stream != null
          ? pairedSample(point, seed, generatedBy)
          : generate(point.generator, point.events, deriveSeed(seed, 'events'));
      const events = applyPairing(
        point.backgroundCopies != null ? repeatBackground(generated, point.backgroundCopies) : generated,
        point.pairing,
      );
      eventsOf.set(point.label, events);
      const window = windowTable(events);
      const wBins = assignBins(window, binning);
      const truth = binMeans(wBins, binning.size, window.columns.truth_eps1!, window.columns.truth_eps2!, window.columns.is_background);
      // The generator's bookkeeping: flipped signal electrons per bin (the reachable target's numerator).
      const flipped = binMeans(wBins, binning.size, window.columns.truth_flip1!, window.columns.truth_flip2!, window.columns.is_background);
      const sc = window.columns.sc!;
      let windowSC = 0;
      for (let i = 0; i < window.n; i++) windowSC += sc[i]!;
      const estimators: Record<string, EstimatorRecord> = {};
      for (const spec of point.estimators) {
        const source = `study ${study.name} toy ${toy} point ${point.label} estimator ${spec.name}`;
        const sel = point.generator.selection;
        // The folded fit needs the parents outside the window: it gets the whole selection and applies its own window.
        // So does the folded φ-trainer (phi with a `fold` option): the parents are the whole selection.
        const wholeSelection = spec.kind === 'binnedFolded' || (spec.kind === 'phi' && spec.options.fold != null);
        const table = wholeSelection ? events : spec.sidebandSubtraction ? sidebandSubtractedTable(events, sel, source) : window;
        let applied = table;
        let produce: ((ctx: EstimatorContext) => Promise<EstimatorResult>) | undefined;
        if (spec.trainOn) {
          // Trained on the MC sample of this scan point (one model per toy, options and MC sample, shared by the
          // estimators that differ only in morphing), applied to this sample, morphed onto the MC if asked.
          const mcEvents = eventsOf.get(point.pair!);
          const mcPoint = study.points.find((p) => p.label === point.pair);
          if (!mcEvents || !mcPoint)
            throw new ConfigError(`estimators.${spec.name}.trainOn`, 'mc', 'the MC sample of the point generated first', source);
          const train =
            spec.kind === 'binnedFolded'
              ? mcEvents
              : spec.sidebandSubtraction
                ? sidebandSubtractedTable(mcEvents, mcPoint.generator.selection, source)
                : windowTable(mcEvents);
          if (spec.morph) {
            try {
              applied = quantileMorph(table, train, spec.morph, source);
            } catch (err) {
              if (!(err instanceof QmisidError) || err instanceof ConfigError || err instanceof UsageError) throw err;
              estimators[spec.name] = failedRecord(binning.size, err.message);
              continue;
            }
          }
          // The MC samples of two scan points that share configuration, size and stream are the same events
          // (pairedSample), so one model serves both: the key is the sample, not the point.
          const key = JSON.stringify({
            kind: spec.kind,
            options: spec.options,
            sub: spec.sidebandSubtraction,
            mc: {
              generator: mcPoint.generator,
              events: mcPoint.events,
              stream: mcPoint.stream,
              copies: mcPoint.backgroundCopies,
              pairing: mcPoint.pairing,
            },
          });
          const trainSeed = deriveSeed(seed, 'train', spec.kind, fnv1a(key));
          produce = async (ctx) => {
            let model = models.get(key);
            if (!model) {
              model = await trainOnTable(spec.kind, train, { ...ctx, seed: trainSeed });
              models.set(key, model);
            }
            const { networkEstimate } = await import('./estimators/networkEstimate.js');
            return networkEstimate(model, applied, ctx);
          };
        }
        const bins = applied === window ? wBins : assignBins(applied, binning);
        estimators[spec.name] = await runEstimator(
          spec,
          applied,
          bins,
          binning,
          deriveSeed(seed, 'point', point.label, 'estimator', spec.name),
          source,
          produce,
          point.side != null,
          threads,
        );
      }
      const profiles: NonNullable<PointRecord['profiles']> = {};
      for (const v of PROFILE_VARIABLES) {
        const pb = profileBins(window, v);
        const t = profileMean(pb, PROFILE_EDGES[v].length - 1, window.columns.truth_eps1!, window.columns.truth_eps2!);
        profiles[v] = { edges: [...PROFILE_EDGES[v]], truth: t.mean.map(sig6), count: t.count };
      }
      points.push({
        label: point.label,
        events: events.n,
        window: window.n,
        windowSC,
        truth: truth.mean.map(jsonNumber),
        count: truth.count,
        flips: flipped.mean.map((f, k) => (flipped.count[k]! > 0 ? Math.round(f * flipped.count[k]!) : 0)),
        scanObs: scanObserved(window),
        profiles,
        mass: massSpectra(events),
        estimators,
      });
    }
  } catch (err) {
    if (!(err instanceof QmisidError) || err instanceof ConfigError || err instanceof UsageError) throw err;
    return { toy, seed, status: 'failed', message: err.message, points };
  }
  return { toy, seed, status: 'ok', points };
}

/**
 * A paired study's sample: the toy's events of the point's stream. A point whose configuration differs from an
 * earlier one of the same stream and size only in the selection re-selects those events (prepareTable.ts
 * reselectTable) when it can; otherwise it generates from (toy seed, "events", stream).
 */
function pairedSample(point: ResolvedPoint, seed: string, cache: Map<string, { table: EventTable; point: ResolvedPoint }>): EventTable {
  const { selection: _selection, ...rest } = point.generator;
  const key = JSON.stringify({ stream: point.stream, events: point.events, generator: rest });
  const have = cache.get(key);
  if (have) {
    const t = reselectTable(have.table, have.point.generator.selection, point.generator.selection);
    if (t) return t;
  }
  const table = generate(point.generator, point.events, deriveSeed(seed, 'events', point.stream!));
  if (!have) cache.set(key, { table, point });
  return table;
}

/** 32-bit FNV-1a of a string, hex: a short, stable tag for a seed path. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Train a network estimator's model on `table` (the MC side of a paired point). */
async function trainOnTable(kind: ResolvedEstimator['kind'], table: EventTable, ctx: EstimatorContext): Promise<PhiModel> {
  const { trainerOptions } = await import('./estimators/networkEstimate.js');
  if (kind === 'oracle') {
    const { trainOracle } = await import('../train/oracle.js');
    return trainOracle(table, trainerOptions(ctx), { source: ctx.source, maxThreads: ctx.threads });
  }
  const { trainModel } = await import('../train/trainModel.js');
  return trainModel(table, trainerOptions(ctx), { source: ctx.source, maxThreads: ctx.threads });
}

async function runEstimator(
  spec: ResolvedEstimator,
  table: EventTable,
  bins: BinAssignment,
  binning: Binning,
  seed: string,
  source: string,
  produce?: (ctx: EstimatorContext) => Promise<EstimatorResult>,
  withScYield = false,
  threads?: number,
): Promise<EstimatorRecord> {
  let res: EstimatorResult;
  try {
    const ctx: EstimatorContext = { binning, seed, options: spec.options, source, ...(threads != null ? { threads } : {}) };
    res = produce ? await produce(ctx) : await (await estimatorFor(spec.kind))(table, ctx);
  } catch (err) {
    // Bad options are the user's to fix: stop the study. Data/numerical trouble in one toy is a counted failure.
    if (!(err instanceof QmisidError) || err instanceof ConfigError || err instanceof UsageError) throw err;
    return failedRecord(binning.size, err.message);
  }
  const K = binning.size;
  // Per-electron rates: given, or looked up from the bins.
  const rates = electronRates(res, bins);
  if (!rates) return failedRecord(K, 'estimator returned neither per-bin nor per-electron rates');
  const { eps1, eps2 } = rates;
  // Per-bin rates: given, or the mean over the signal electrons of each bin (the truth reference's electrons).
  const eps = res.bins ? Array.from(res.bins.eps) : binMeans(bins, K, eps1, eps2, table.columns.is_background).mean;
  const err = res.bins?.err ? Array.from(res.bins.err) : new Array<number>(K).fill(NaN);
  // Electron and closure metrics on the window rows only (sideband rows carry no flip information of their own).
  const region = table.columns.region!;
  let allWindow = true;
  for (let i = 0; i < table.n && allWindow; i++) if (region[i] !== REGION.window) allWindow = false;
  const el = electronMetrics(table, maskRows(eps1, region, allWindow), maskRows(eps2, region, allWindow));
  const hists = {
    pt: closureChi2(table, eps1, eps2, 'pt'),
    eta: closureChi2(table, eps1, eps2, 'eta'),
    m_ee: closureChi2(table, eps1, eps2, 'm_ee'),
  };
  const fc = featureClosures(table, eps1, eps2);
  const cl = (v: 'pt' | 'eta' | 'm_ee') => ({ chi2: hists[v].chi2, ndf: hists[v].ndf });
  const histRecord = (v: 'pt' | 'eta' | 'm_ee'): ClosureHistRecord => ({
    edges: hists[v].edges,
    observed: hists[v].observed.map(sig6),
    predicted: hists[v].predicted.map(sig6),
    variance: hists[v].variance.map(sig6),
    predictedVariance: hists[v].predictedVariance.map(sig6),
  });
  // Profiles over the window's signal electrons (profileBins skips sideband rows and fakes).
  const profiles: NonNullable<EstimatorRecord['profiles']> = {};
  for (const v of PROFILE_VARIABLES) {
    const pb = profileBins(table, v);
    const nb = PROFILE_EDGES[v].length - 1;
    const mean = profileMean(pb, nb, eps1, eps2).mean;
    const prof: ProfileRecord = { eps: mean.map(sig6) };
    if (res.members && res.members.length > 1) {
      const per = res.members.map((m) => profileMean(pb, nb, m.eps1, m.eps2).mean);
      prof.lo = mean.map((_, b) => sig6(Math.min(...per.map((p) => p[b]!))));
      prof.hi = mean.map((_, b) => sig6(Math.max(...per.map((p) => p[b]!))));
    }
    profiles[v] = prof;
  }
  const members: MemberRecord[] | undefined = res.members?.map((m) => ({
    eps: binMeans(bins, K, m.eps1, m.eps2, table.columns.is_background).mean.map(sig6),
    train: m.train.map(sig6),
    val: m.val.map(sig6),
  }));
  return {
    status: res.status,
    ...(res.message != null ? { message: res.message } : {}),
    eps: eps.map(jsonNumber),
    err: err.map(jsonNumber),
    ...(res.bins?.errDof != null ? { errDof: res.bins.errDof } : {}),
    ...(res.bins?.errLo && res.bins.errHi
      ? { errLo: Array.from(res.bins.errLo, jsonNumber), errHi: Array.from(res.bins.errHi, jsonNumber) }
      : {}),
    ...(res.bins?.interval != null ? { interval: res.bins.interval } : {}),
    scan: scanPredicted(table, eps1, eps2).map(sig6),
    electron: {
      n: el.n,
      mse: jsonNumber(el.mse),
      meanRelBias: jsonNumber(el.meanRelBias),
      phiKappaMean: jsonNumber(el.phiKappaMean),
      phiKappaRms: jsonNumber(el.phiKappaRms),
      ...(Number.isFinite(el.mseReach) ? { mseReach: jsonNumber(el.mseReach) } : {}),
    },
    closure: { pt: cl('pt'), eta: cl('eta'), m_ee: cl('m_ee') },
    ...(withScYield ? { scYield: scYieldRecord(table, eps1, eps2, res.members) } : {}),
    ...(Object.keys(fc).length > 0
      ? { featureClosure: Object.fromEntries(Object.entries(fc).map(([f, h]) => [f, { chi2: h.chi2, ndf: h.ndf }])) }
      : {}),
    diagnostics: res.diagnostics ?? {},
    profiles,
    closureHist: { pt: histRecord('pt'), eta: histRecord('eta'), m_ee: histRecord('m_ee') },
    ...(members ? { members } : {}),
    ...(res.graph ? { graph: res.graph } : {}),
  };
}

function scYieldRecord(
  table: EventTable,
  eps1: ArrayLike<number>,
  eps2: ArrayLike<number>,
  members: EstimatorResult['members'],
): NonNullable<EstimatorRecord['scYield']> {
  const y = scYield(table, eps1, eps2, members);
  const r = (x: number): number => Number(x.toPrecision(6));
  return { observed: r(y.observed), predicted: r(y.predicted), variance: r(y.variance), trainVariance: r(y.trainVariance) };
}

function maskRows(eps: ArrayLike<number>, region: ArrayLike<number>, allWindow: boolean): ArrayLike<number> {
  if (allWindow) return eps;
  return Float64Array.from({ length: eps.length }, (_, i) => (region[i] === REGION.window ? eps[i]! : NaN));
}

function failedRecord(K: number, message: string): EstimatorRecord {
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
