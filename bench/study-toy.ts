/**
 * One study toy at one scan point, as a child process, in memory or streamed (src/study/streamToy.ts): wall
 * time, CPU time and peak RSS of the whole process (/usr/bin/time), and a hash of the toy's record, so that the
 * two modes are seen to write the same bytes (issue 16: `bias-vs-n` at 10^8 without holding whole tables).
 *
 *   npm run bench -- study-toy [--events N]          bias-vs-n N1e7 in memory and streamed (hashes compared);
 *                                                     with --events N, also one streamed toy of N truth events
 *   node dist/bench/study-toy.js STUDY POINT MODE [TOY] [EVENTS]
 *                                                     one toy in this process, JSON on stdout (the child)
 *
 * MODE is `never` (in memory) or `always` (streamed); EVENTS overrides the point's truth events. The toy runs
 * in the calling thread with the trainer's gradient threads capped at the machine's cores, as a study with
 * `--workers 1` would run it.
 */
import { createHash } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadStudy } from '../src/study/loadStudy.js';
import { resolveStudy } from '../src/study/resolveStudy.js';
import { runToy } from '../src/study/runToy.js';
import type { StreamMode } from '../src/study/streamToy.js';
import { strip, timed, type ProcessRun } from './commands.js';

/** Issue 16's floor for the peak RSS of the 10^8 toy. */
export const STUDY_TOY_RSS_FLOOR_MB = 3072;

export interface StudyToyRun {
  study: string;
  point: string;
  mode: StreamMode;
  toy: number;
  events: number;
  /** The toy's own wall time inside the process (without start-up). */
  toy_s: number;
  /** sha256 of the toy's record (JSON): equal between modes when they write the same bytes. */
  record_sha256: string;
  window: number;
  statuses: Record<string, string>;
}

/** The child: one toy, one point, one mode. */
export async function runOneToy(study: string, label: string, mode: StreamMode, toy = 0, events?: number): Promise<StudyToyRun> {
  const { study: raw, source } = loadStudy(study);
  const resolved = resolveStudy(raw, { source });
  const point = resolved.points.find((p) => p.label === label);
  if (!point) throw new Error(`study ${study} has no point ${label} (${resolved.points.map((p) => p.label).join(', ')})`);
  const one = { ...resolved, points: [events != null ? { ...point, events } : point] };
  const t0 = performance.now();
  const record = await runToy(one, toy, availableParallelism(), { stream: mode });
  const toyS = (performance.now() - t0) / 1000;
  const p = record.points[0];
  return {
    study,
    point: label,
    mode,
    toy,
    events: one.points[0]!.events,
    toy_s: +toyS.toFixed(1),
    record_sha256: createHash('sha256').update(JSON.stringify(record)).digest('hex'),
    window: p?.window ?? 0,
    statuses: Object.fromEntries(Object.entries(p?.estimators ?? {}).map(([k, e]) => [k, e.status])),
  };
}

const SELF = fileURLToPath(import.meta.url);

/** One toy in a child process, timed from outside. */
export function timedToy(study: string, point: string, mode: StreamMode, events?: number): ProcessRun & { toy?: StudyToyRun } {
  const r = timed('nice', ['-n', '10', process.execPath, SELF, study, point, mode, '0', ...(events != null ? [String(events)] : [])]);
  let toy: StudyToyRun | undefined;
  try {
    toy = JSON.parse(r.stdout) as StudyToyRun;
  } catch {
    toy = undefined;
  }
  return { ...strip(r), ...(toy ? { toy } : {}) };
}

export interface StudyToyBenchOptions {
  /** Also one streamed toy of this many truth events (e.g. 10^8: two generations, ~1 h on a loaded 2-core machine). */
  events?: number;
}

export async function benchStudyToy(opts: StudyToyBenchOptions = {}) {
  const load0 = loadavg()[0];
  const memory = timedToy('bias-vs-n', 'N1e7', 'never');
  const streamed = timedToy('bias-vs-n', 'N1e7', 'always');
  const big = opts.events != null ? timedToy('bias-vs-n', 'N1e8', 'always', opts.events) : undefined;
  const same = memory.toy != null && memory.toy.record_sha256 === streamed.toy?.record_sha256;
  return {
    what: 'one bias-vs-n toy (binned, truth, phi with ocKeep 0.1) at one point, whole process under nice -n 10',
    loadavg1_before: load0,
    loadavg1_after: loadavg()[0],
    n1e7_in_memory: memory,
    n1e7_streamed: streamed,
    n1e7_same_record: same,
    ...(big
      ? {
          streamed_large: big,
          rss_floor_mb: STUDY_TOY_RSS_FLOOR_MB,
          below_floor: big.peak_rss_mb != null && big.peak_rss_mb < STUDY_TOY_RSS_FLOOR_MB,
        }
      : {}),
  };
}

if (process.argv[1] === SELF) {
  const [study, point, mode, toy, events] = process.argv.slice(2);
  if (!study || !point || (mode !== 'never' && mode !== 'always' && mode !== 'auto')) {
    process.stderr.write('usage: node dist/bench/study-toy.js STUDY POINT never|always|auto [TOY] [EVENTS]\n');
    process.exitCode = 2;
  } else {
    const out = await runOneToy(study, point, mode, toy != null ? Number(toy) : 0, events != null ? Number(events) : undefined);
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
}
