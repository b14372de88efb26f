/**
 * A study toy's scan point without its events in memory (issue 16: `bias-vs-n` at 10^8 truth events). The
 * point's events are generated twice, block by block, from the toy's seed — a block depends only on (config,
 * seed, block index), generators/zee/generateEvents.ts truthEventBlocks — and dropped block by block:
 *
 *   pass 1  the point's own numbers (PointMetrics), the binned fit's pair sums (BinnedTableAccumulator), the
 *           truth-matched sums, and for φ the events some ensemble member keeps under its OC subsampling
 *           (ensembleOcFilter: every SC event, an OC event iff u(member key, window row) < ocKeep — the rule
 *           `qmisid train --oc-keep` applies while reading), with their window row numbers;
 *   then    the binned fit, the truth-matched rates, φ trained on the kept events (trainModel with `rows`);
 *   pass 2  the per-electron rates of every estimator and their metrics (EstimatorMetrics), on the window rows
 *           regrouped into chunks of a multiple of PREDICT_CHUNK_ROWS (the network's batches then hold the
 *           same rows as on the whole table).
 *
 * Every sum runs in row order across blocks, so the point's record is the in-memory one byte for byte
 * (test/study/streamToy.test.ts). Both passes fingerprint the window rows they saw (count and a hash of m_ee,
 * pT and η bits); a second pass that saw other events stops the study with an internal error instead of
 * writing numbers of two different samples.
 *
 * Which points stream is decided here, in streamDecision, and nowhere else (docs/event-input.md, "Study toys").
 */
import type { BinAssignment } from '../binning/assignBins.js';
import type { Binning } from '../binning/Binning.js';
import { concatTables, filterTable, sliceTable, type EventTable } from '../events/columns.js';
import { ConfigError, QmisidError, UsageError } from '../errors.js';
import type { BinnedTableAccumulator } from '../fit/BinnedTableAccumulator.js';
import { MAX_TOY_EVENTS } from '../limits.js';
import { deriveSeed } from '../rng.js';
import { PREDICT_CHUNK_ROWS } from '../train/predict.js';
import type { EstimatorContext, EstimatorResult } from './estimators/Estimator.js';
import { electronRates } from './estimators/electronRates.js';
import type { NetworkChunk, NetworkEstimateAccumulator } from './estimators/networkEstimate.js';
import type { TruthMatchedAccumulator } from './estimators/truthMatched.js';
import { EstimatorMetrics, failedRecord } from './estimatorMetrics.js';
import { PointMetrics } from './pointMetrics.js';
import { applyPairing } from './prepareTable.js';
import type { ResolvedEstimator, ResolvedPoint, ResolvedStudy } from './resolveStudy.js';
import type { EstimatorRecord, PointRecord } from './toyRecord.js';

/**
 * Points of at least this many truth events stream when they can (`auto`). Below it the in-memory path is
 * cheaper (one generation instead of two) and its memory is small: a toy holds ~0.4 GB per 10^6 truth events
 * (bias-vs-n: 3.9 GB at 10^7), so 2·10^6 keeps an in-memory toy under ~1 GB.
 */
export const STREAM_MIN_EVENTS = 2_000_000;

/** Window rows per pass-2 chunk: a multiple of the network's prediction batch (see the file comment). */
export const STREAM_CHUNK_ROWS = 8 * PREDICT_CHUNK_ROWS;

/** `auto`: stream the points that can and are large (above); `always`: every point (an error if one cannot); `never`: none. */
export type StreamMode = 'auto' | 'always' | 'never';

/**
 * Why a point cannot stream, or undefined when it can. Supported: generated events (no user sample, no paired
 * stream, no repeated background) with any pairing topology; estimators `binned` (any options),
 * `truthMatched`, and `phi` with `ocKeep` < 1 and no `fold` (so that what it trains on is a subsample kept while
 * generating), none trained on another sample, morphed or sideband-subtracted. Everything else keeps the
 * in-memory path.
 */
export function notStreamable(study: Pick<ResolvedStudy, 'sample'>, point: ResolvedPoint): string | undefined {
  if (study.sample) return 'a user sample (a bootstrap of its file)';
  if (point.stream != null) return 'a paired study point';
  if (point.backgroundCopies != null) return 'backgroundCopies';
  for (const e of point.estimators) {
    if (e.trainOn || e.morph) return `estimator ${e.name} is trained on another sample`;
    if (e.sidebandSubtraction) return `estimator ${e.name} uses sideband subtraction`;
    if (e.kind === 'binned' || e.kind === 'truthMatched') continue;
    if (e.kind !== 'phi') return `estimator ${e.name} is of kind ${e.kind}`;
    const keep = e.options.ocKeep;
    if (!(typeof keep === 'number' && keep < 1)) return `estimator ${e.name} trains on every event (ocKeep 1)`;
    if (e.options.fold != null) return `estimator ${e.name} is a folded trainer (it reads every parent)`;
  }
  return undefined;
}

/** Whether this point streams under `mode` (the one place that decides). */
export function streamDecision(study: Pick<ResolvedStudy, 'sample'>, point: ResolvedPoint, mode: StreamMode = 'auto'): boolean {
  if (mode === 'never') return false;
  const why = notStreamable(study, point);
  if (mode === 'always') {
    if (why) throw new UsageError('stream', mode, `point ${point.label} cannot stream: ${why}`);
    return true;
  }
  return why == null && point.events >= STREAM_MIN_EVENTS;
}

/**
 * The size check that goes with it, for resolveStudy: a point above MAX_TOY_EVENTS is held in memory unless it
 * streams, so it must be able to.
 */
export function checkToySize(study: Pick<ResolvedStudy, 'sample'>, point: ResolvedPoint, path: string, source?: string): void {
  if (point.events <= MAX_TOY_EVENTS) return;
  const why = notStreamable(study, point);
  if (why)
    throw new ConfigError(
      path,
      point.events,
      `at most ${MAX_TOY_EVENTS} truth events for a toy held in memory (this point cannot stream: ${why})`,
      source,
    );
}

/** The point's selected events, generated block by block; called once per pass, both calls giving the same rows. */
export type BlockSource = (pass: 1 | 2) => Iterable<EventTable>;

export interface StreamPointOptions {
  /** The toy's share of the cores for the trainer's gradient threads (as runToy's `threads`). */
  threads?: number;
  /** Window rows per pass-2 chunk (default STREAM_CHUNK_ROWS; a multiple of PREDICT_CHUNK_ROWS). */
  chunkRows?: number;
}

interface Stage {
  spec: ResolvedEstimator;
  ctx: EstimatorContext;
  failed?: string;
  /** Pass 1: the window rows of one block (and their bins). */
  add(window: EventTable, bins: BinAssignment): void;
  /** Between the passes: fit or train. */
  finish(): Promise<void>;
  /** Pass 2: per-electron rates of a chunk of window rows. */
  rates(
    window: EventTable,
    bins: BinAssignment,
  ): { rates: { eps1: ArrayLike<number>; eps2: ArrayLike<number> }; members?: NetworkChunk['members'] };
  result(): Promise<EstimatorResult>;
}

export async function streamPoint(
  study: ResolvedStudy,
  toy: number,
  seed: string,
  point: ResolvedPoint,
  binning: Binning,
  blocks: BlockSource,
  opts: StreamPointOptions = {},
): Promise<PointRecord> {
  const { threads, chunkRows = STREAM_CHUNK_ROWS } = opts;
  if (!(Number.isInteger(chunkRows / PREDICT_CHUNK_ROWS) && chunkRows > 0))
    throw new Error(`streamPoint: chunkRows ${chunkRows} must be a positive multiple of ${PREDICT_CHUNK_ROWS}`);
  const stages: Stage[] = [];
  const seeds = point.estimators.map((spec) => deriveSeed(seed, 'point', point.label, 'estimator', spec.name));
  for (const [j, spec] of point.estimators.entries()) {
    const ctx: EstimatorContext = {
      binning,
      seed: seeds[j]!,
      options: spec.options,
      source: `study ${study.name} toy ${toy} point ${point.label} estimator ${spec.name}`,
      ...(threads != null ? { threads } : {}),
    };
    stages.push(await stageFor(spec, ctx));
  }
  const guard = async (s: Stage, f: () => void | Promise<void>): Promise<void> => {
    if (s.failed != null) return;
    try {
      await f();
    } catch (err) {
      // As runToy: bad options stop the study; data or numerical trouble is this estimator's failure.
      if (!(err instanceof QmisidError) || err instanceof ConfigError || err instanceof UsageError) throw err;
      s.failed = err.message;
    }
  };

  // Pass 1.
  const metrics = new PointMetrics(binning);
  const seen1 = new Fingerprint();
  for (const block of blocks(1)) {
    const { window, bins } = metrics.add(applyPairing(block, point.pairing));
    seen1.add(window);
    for (const s of stages) await guard(s, () => s.add(window, bins));
  }
  for (const s of stages) await guard(s, () => s.finish());

  // Pass 2.
  const perEstimator = stages.map((_, j) => new EstimatorMetrics(binning.size, seeds[j]!));
  const seen2 = new Fingerprint();
  const chunks = new Rechunker(chunkRows);
  const evaluate = async (window: EventTable): Promise<void> => {
    const bins = metrics.assign(window);
    for (const [j, s] of stages.entries()) {
      let out: ReturnType<Stage['rates']> | undefined;
      await guard(s, () => void (out = s.rates(window, bins)));
      if (out) perEstimator[j]!.add(window, bins, out.rates, out.members);
    }
  };
  for (const block of blocks(2)) {
    const window = metrics.windowOf(applyPairing(block, point.pairing));
    seen2.add(window);
    for (const chunk of chunks.push(window)) await evaluate(chunk);
  }
  for (const chunk of chunks.flush()) await evaluate(chunk);
  if (!seen1.equals(seen2))
    throw new Error(
      `study ${study.name} toy ${toy} point ${point.label}: the second pass over the streamed events saw other events than the first ` +
        `(${seen2.describe()} against ${seen1.describe()}): the generator is not reproducible from its seed`,
    );

  const estimators: Record<string, EstimatorRecord> = {};
  for (const [j, s] of stages.entries()) {
    let res: EstimatorResult | undefined;
    await guard(s, async () => void (res = await s.result()));
    estimators[s.spec.name] = s.failed != null || !res ? failedRecord(binning.size, s.failed ?? 'no result') : perEstimator[j]!.record(res);
  }
  return metrics.record(point.label, estimators);
}

async function stageFor(spec: ResolvedEstimator, ctx: EstimatorContext): Promise<Stage> {
  if (spec.kind === 'binned') return binnedStage(spec, ctx);
  if (spec.kind === 'truthMatched') return truthStage(spec, ctx);
  if (spec.kind === 'phi') return phiStage(spec, ctx);
  throw new Error(`streamPoint: estimator kind ${spec.kind} does not stream (notStreamable lets it through)`);
}

/** Per-bin estimators: the per-electron rates are the bins' (electronRates). */
function binLookup(res: () => EstimatorResult | undefined): Stage['rates'] {
  return (_window, bins) => ({ rates: electronRates(res()!, bins)! });
}

async function binnedStage(spec: ResolvedEstimator, ctx: EstimatorContext): Promise<Stage> {
  const { binnedAccumulator, binnedFromAccumulator } = await import('./estimators/binned.js');
  // Options are checked now: a ConfigError stops the study, as it would in memory.
  const acc: BinnedTableAccumulator = binnedAccumulator(ctx);
  let nonNegative = true;
  let res: EstimatorResult | undefined;
  const stage: Stage = {
    spec,
    ctx,
    add(window) {
      acc.add(window);
      const w = window.columns.w;
      for (let e = 0; w && e < window.n && nonNegative; e++) if (!(w[e]! >= 0)) nonNegative = false;
    },
    async finish() {
      res = binnedFromAccumulator(acc, ctx, nonNegative);
    },
    rates: binLookup(() => res),
    async result() {
      return res!;
    },
  };
  return stage;
}

async function truthStage(spec: ResolvedEstimator, ctx: EstimatorContext): Promise<Stage> {
  const { TruthMatchedAccumulator } = await import('./estimators/truthMatched.js');
  const acc: TruthMatchedAccumulator = new TruthMatchedAccumulator(ctx);
  let res: EstimatorResult | undefined;
  return {
    spec,
    ctx,
    add(window) {
      acc.add(window);
    },
    async finish() {
      res = acc.result();
    },
    rates: binLookup(() => res),
    async result() {
      return res!;
    },
  };
}

async function phiStage(spec: ResolvedEstimator, ctx: EstimatorContext): Promise<Stage> {
  const { trainerOptions, NetworkEstimateAccumulator } = await import('./estimators/networkEstimate.js');
  const { resolveTrainConfig } = await import('../train/config.js');
  const { ensembleOcFilter } = await import('../train/ensemble.js');
  const { trainModel } = await import('../train/trainModel.js');
  // The options are checked now (a ConfigError stops the study, as it would in memory).
  const options = trainerOptions(ctx);
  const keeps = ensembleOcFilter(resolveTrainConfig(options));
  let kept: EventTable[] = [];
  let rows: number[] = [];
  let row0 = 0;
  let net: NetworkEstimateAccumulator | undefined;
  return {
    spec,
    ctx,
    add(window) {
      const sc = window.columns.sc!;
      const mine: number[] = [];
      for (let i = 0; i < window.n; i++) if (keeps(row0 + i, sc[i]!)) mine.push(i);
      const keep = new Uint8Array(window.n);
      for (const i of mine) {
        keep[i] = 1;
        rows.push(row0 + i);
      }
      kept.push(filterTable(window, (i) => keep[i] === 1));
      row0 += window.n;
    },
    async finish() {
      const table = concatTables(kept);
      const r = Float64Array.from(rows);
      kept = [];
      rows = [];
      const model = await trainModel(table, options, { source: ctx.source, maxThreads: ctx.threads, rows: r });
      net = await NetworkEstimateAccumulator.create(model, ctx);
    },
    rates(window) {
      const out = net!.add(window);
      return { rates: out, members: out.members };
    },
    async result() {
      return net!.result();
    },
  };
}

/** Regroups window rows into tables of exactly `rows` rows (the last one shorter), in order. */
class Rechunker {
  private parts: EventTable[] = [];
  private have = 0;
  private emitted = false;

  constructor(private readonly rows: number) {}

  *push(t: EventTable): Generator<EventTable> {
    this.parts.push(t);
    this.have += t.n;
    if (this.have < this.rows) return;
    const all = concatTables(this.parts);
    let s = 0;
    for (; s + this.rows <= all.n; s += this.rows) {
      this.emitted = true;
      yield sliceTable(all, s, s + this.rows);
    }
    this.parts = s < all.n ? [sliceTable(all, s, all.n)] : [];
    this.have = all.n - s;
  }

  /** The rest; an empty table when nothing was emitted at all (every metric then sees the columns once, as in memory). */
  *flush(): Generator<EventTable> {
    if (this.have > 0 || !this.emitted) yield concatTables(this.parts);
    this.parts = [];
    this.have = 0;
  }
}

/** Window rows seen by a pass: their number and an FNV-1a hash of the bits of m_ee, pt1, eta1, pt2, eta2. */
class Fingerprint {
  private n = 0;
  private h = 0x811c9dc5;

  add(window: EventTable): void {
    this.n += window.n;
    let h = this.h;
    for (const name of ['m_ee', 'pt1', 'eta1', 'pt2', 'eta2']) {
      const c = window.columns[name];
      if (!(c instanceof Float64Array)) continue;
      const u = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
      for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u[i]!, 0x01000193);
    }
    this.h = h;
  }

  equals(o: Fingerprint): boolean {
    return this.n === o.n && this.h === o.h;
  }

  describe(): string {
    return `${this.n} window events, hash ${(this.h >>> 0).toString(16)}`;
  }
}
