/**
 * The two per-bin targets a binned rate can be compared with (issue "verdicts with power", item 1):
 *
 *   model     τ_k = mean truth ε(e) of the window's signal electrons whose RECONSTRUCTED (pT, |η|) is in bin k —
 *             the truth model averaged over the bin. No rate estimator can reach it when a flip changes the
 *             electron's pT or the pair's m_ee (migration between bins, out of the window, below threshold).
 *   reachable R_k = P(flip | reco bin k, selection): the fraction of those electrons whose charge was flipped,
 *             from the generator's own bookkeeping (truth_flip) on a large independent sample made with the
 *             same configuration. That is what the exact truth-matched rate estimates, and what a flip-rate
 *             estimator that is right should return.
 * R_k − τ_k is physics (migration), reported apart from any estimator's bias.
 *
 * The reference sample is generated per scan point from deriveSeed(study seed, 'reference', label, chunk) in
 * chunks (memory stays that of one chunk), so every run, shard and resume computes the same numbers; it is
 * cached in DIR/reference.json.
 */
import type { Binning } from '../../binning/Binning.js';
import { assignBins } from '../../binning/assignBins.js';
import { deriveSeed } from '../../rng.js';
import { binMeans } from '../metrics/binMeans.js';
import { applyPairing, windowTable } from '../prepareTable.js';
import type { ResolvedPoint, ResolvedStudy } from '../resolveStudy.js';
import type { ResolvedGeneratorConfig } from '../../config/generatorConfig.js';
import type { EventTable } from '../../events/columns.js';

/** Truth Z→ee events from a resolved configuration and a seed (runToy's generate). */
export type GenerateFn = (config: ResolvedGeneratorConfig, n: number, seed: string) => EventTable | Promise<EventTable>;

export type TargetKind = 'reachable' | 'model';

export interface PointReference {
  /** Truth Z events generated for the reference (before acceptance and selection). */
  events: number;
  /** Signal electrons per bin in the window, flipped ones among them, and the sum of their truth ε. */
  count: number[];
  flips: number[];
  sumTruthEps: number[];
  /** R_k (flips/count) with its binomial standard error, and τ_k (mean truth ε) with the error of a mean of Bernoulli ε's. */
  reachable: (number | null)[];
  reachableErr: (number | null)[];
  model: (number | null)[];
}

export interface StudyReference {
  /** What the reference was made for: a later run with another configuration recomputes it. */
  key: string;
  points: Record<string, PointReference>;
}

/** Reference events per point: `scale` × the point's events per toy (default max(10, toys): the reference error
 * then stays at or below the error of the mean over the toys). */
export function referenceEvents(study: ResolvedStudy, point: ResolvedPoint): number {
  const scale = study.reference?.scale ?? Math.max(10, study.toys);
  return Math.max(1, Math.round(point.events * scale));
}

export function referenceKey(study: ResolvedStudy): string {
  return JSON.stringify({
    seed: study.seed,
    binning: study.binning,
    points: study.points.map((p) => ({ label: p.label, generator: p.generator, pairing: p.pairing, events: referenceEvents(study, p) })),
  });
}

/** Truth events per generation chunk: bounds the memory of the reference to that of one 10^6-event toy. */
export const REFERENCE_CHUNK = 1_000_000;

/** One generation chunk of one scan point: what it adds to the point's per-bin sums. */
export interface ReferenceJob {
  point: number;
  chunk: number;
  n: number;
}

/** A chunk's per-bin terms, each added to the point's totals in chunk order (the same sums, serial or parallel). */
export interface ReferencePart {
  count: Float64Array;
  flips: Float64Array;
  sumEps: Float64Array;
}

/** Every (point, chunk) of the reference, in the order their parts are summed. `chunk` other than the default only in tests. */
export function referenceJobs(study: ResolvedStudy, chunkSize = REFERENCE_CHUNK): ReferenceJob[] {
  const jobs: ReferenceJob[] = [];
  study.points.forEach((point, p) => {
    const total = referenceEvents(study, point);
    for (let chunk = 0, done = 0; done < total; chunk++) {
      const n = Math.min(chunkSize, total - done);
      done += n;
      jobs.push({ point: p, chunk, n });
    }
  });
  return jobs;
}

export async function referencePart(
  study: ResolvedStudy,
  binning: Binning,
  generate: GenerateFn,
  job: ReferenceJob,
): Promise<ReferencePart> {
  const K = binning.size;
  const point = study.points[job.point]!;
  const events = applyPairing(
    await generate(point.generator, job.n, deriveSeed(study.seed, 'reference', point.label, job.chunk)),
    point.pairing,
  );
  const window = windowTable(events);
  const bins = assignBins(window, binning);
  const bg = window.columns.is_background;
  const f = binMeans(bins, K, window.columns.truth_flip1!, window.columns.truth_flip2!, bg);
  const e = binMeans(bins, K, window.columns.truth_eps1!, window.columns.truth_eps2!, bg);
  const part: ReferencePart = { count: new Float64Array(K), flips: new Float64Array(K), sumEps: new Float64Array(K) };
  for (let k = 0; k < K; k++) {
    const c = f.count[k]!;
    if (!(c > 0)) continue;
    part.count[k] = c;
    part.flips[k] = f.mean[k]! * c;
    part.sumEps[k] = e.mean[k]! * e.count[k]!;
  }
  return part;
}

/**
 * Computes the parts of a list of jobs, in any order and on any threads; `referenceTargets` sums them in job
 * order. Default: one after the other in this thread.
 */
export type ReferenceRunner = (jobs: ReferenceJob[]) => Promise<ReferencePart[]>;

export async function referenceTargets(
  study: ResolvedStudy,
  binning: Binning,
  generate: GenerateFn,
  runner?: ReferenceRunner,
  chunkSize = REFERENCE_CHUNK,
): Promise<StudyReference> {
  const K = binning.size;
  const jobs = referenceJobs(study, chunkSize);
  const parts = runner
    ? await runner(jobs)
    : await (async () => {
        const out: ReferencePart[] = [];
        for (const job of jobs) out.push(await referencePart(study, binning, generate, job));
        return out;
      })();
  const points: Record<string, PointReference> = {};
  study.points.forEach((point, p) => {
    const count = new Float64Array(K);
    const flips = new Float64Array(K);
    const sumEps = new Float64Array(K);
    // Summed in chunk order whoever computed the parts: the same bits serial or parallel.
    jobs.forEach((job, j) => {
      if (job.point !== p) return;
      const part = parts[j]!;
      for (let k = 0; k < K; k++) {
        if (!(part.count[k]! > 0)) continue;
        count[k] += part.count[k]!;
        flips[k] += part.flips[k]!;
        sumEps[k] += part.sumEps[k]!;
      }
    });
    const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
    const round = (x: number): number => Math.round(x);
    points[point.label] = {
      events: referenceEvents(study, point),
      count: Array.from(count, round),
      flips: Array.from(flips, round),
      sumTruthEps: Array.from(sumEps),
      reachable: Array.from(count, (c, k) => num(flips[k]! / c)),
      // Binomial error of a counted fraction; at zero flips the rule-of-three scale 1/n keeps it non-zero.
      reachableErr: Array.from(count, (c, k) => num(c > 0 ? Math.sqrt(Math.max(flips[k]!, 1) * (1 - flips[k]! / c)) / c : NaN)),
      model: Array.from(count, (c, k) => num(sumEps[k]! / c)),
    };
  });
  return { key: referenceKey(study), points };
}
