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
import type { ResolvedGeneratorConfig } from '../config/generatorConfig.js';
import { createBlockContext, type BlockContext } from '../../generators/zee/generateBlock.js';
import { generateTruthEventsSync, truthEventBlocks } from '../../generators/zee/generateEvents.js';
import { estimatorFor } from './estimatorFor.js';
import { bootstrapSample, loadSample } from './userSample.js';
import { ConfigError, QmisidError, UsageError } from '../errors.js';
import { deriveSeed } from '../rng.js';
import type { EstimatorResult } from './estimators/Estimator.js';
import { electronRates } from './estimators/electronRates.js';
import { EstimatorMetrics, failedRecord } from './estimatorMetrics.js';
import { PointMetrics } from './pointMetrics.js';
import { streamDecision, streamPoint, type StreamMode } from './streamToy.js';
import { applyPairing, repeatBackground, reselectTable, sidebandSubtractedTable, windowTable } from './prepareTable.js';
import { scYield } from './metrics/scYield.js';
import { quantileMorph } from '../method/quantileMorph.js';
import type { EstimatorContext } from './estimators/Estimator.js';
import type { PhiModel } from '../train/model.js';
import type { ResolvedStudy, ResolvedEstimator, ResolvedPoint } from './resolveStudy.js';
import type { EstimatorRecord, PointRecord, ToyRecord } from './toyRecord.js';

/**
 * Per-configuration generator tables (Z pT and rapidity CDFs, ε model, buffers), built once per thread and
 * reused for every toy — a study runs hundreds of toys on a handful of configurations. Keyed by the resolved
 * config object, so they go when the study goes.
 */
const contexts = new WeakMap<ResolvedGeneratorConfig, BlockContext>();

/** `n` truth Z→ee events (before acceptance and selection) through the generator's serial path, in this thread. */
export function generate(config: ResolvedGeneratorConfig, n: number, seed: string): EventTable {
  return generateTruthEventsSync(contextFor(config), seed, n);
}

function contextFor(config: ResolvedGeneratorConfig): BlockContext {
  let ctx = contexts.get(config);
  if (!ctx) {
    ctx = createBlockContext(config);
    contexts.set(config, ctx);
  }
  return ctx;
}

export function toySeed(study: ResolvedStudy, toy: number): string {
  return deriveSeed(study.seed, 'toy', toy);
}

export interface RunToyOptions {
  /**
   * Which points stream their events instead of holding them (streamToy.ts streamDecision; default `auto`).
   * The records are the same bytes either way: this chooses memory against a second generation.
   */
  stream?: StreamMode;
}

export async function runToy(study: ResolvedStudy, toy: number, threads?: number, opts: RunToyOptions = {}): Promise<ToyRecord> {
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
      if (streamDecision(study, point, opts.stream)) {
        // Generated twice, block by block, never held (streamToy.ts): the same record as below.
        const blocks = (): Iterable<EventTable> => truthEventBlocks(contextFor(point.generator), deriveSeed(seed, 'events'), point.events);
        points.push(await streamPoint(study, toy, seed, point, binning, blocks, threads != null ? { threads } : {}));
        continue;
      }
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
      const pointMetrics = new PointMetrics(binning);
      const { window, bins: wBins } = pointMetrics.add(events);
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
      points.push(pointMetrics.record(point.label, estimators));
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
  const metrics = new EstimatorMetrics(K, seed);
  metrics.add(table, bins, rates, res.members);
  return metrics.record(res, withScYield ? scYieldRecord(table, rates.eps1, rates.eps2, res.members) : undefined);
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
