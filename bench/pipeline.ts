/**
 * The whole chain on a Run-2-sized sample, each command a child process reading and writing Parquet on disk:
 *
 *   generate --truth-events N  →  fit  →  train --oc-keep r  →  apply
 *
 * (issue 16: 10^8 truth Z events end to end, peak RSS < 3 GB). The sample and the applied output are
 * directories of Parquet parts (`--out DIR/`, docs/event-input.md "A sample in several files"): the 10^8 sample
 * is ~5.4 GB, and the Parquet reader opens files below 4 GiB only. Per command: wall time and peak RSS of the
 * whole process (/usr/bin/time %M: the maximum resident set of the child), exit status; the file sizes and
 * row counts; the total wall time and the largest peak, judged against the 3 GB floor. Every command streams
 * (docs/event-input.md): memory must not grow with N, which runs at two sizes show.
 *
 *   npm run bench -- pipeline [--events N]      (N truth events, default 10^8; ~1/3 are selected rows)
 *   node dist/bench/pipeline.js N [DIR]          one run, JSON on stdout; DIR keeps the files
 *
 * The files are deleted afterwards unless a directory is given.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { qmisid, strip, type ProcessRun } from './commands.js';

/** Issue 16's floor for the largest peak RSS of any command of the chain. */
export const PIPELINE_RSS_FLOOR_MB = 3072;

export interface PipelineBenchOptions {
  /** Truth Z→ee events generated (default 10^8). */
  events?: number;
  /** OC events kept by train, each weighted 1/r (default 0.02: SC + 2 % of OC). */
  ocKeep?: number;
  epochs?: number;
  /** Gradient threads of train (default: the trainer's own). */
  threads?: number;
  /** Keep the files in this directory (nothing deleted). */
  dir?: string;
  seed?: string;
}

const mb = (bytes: number): number => +(bytes / 1e6).toFixed(3);

function sizeOf(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((s, f) => s + sizeOf(join(path, f)), 0);
}

/** Rows recorded in an event file's sidecar, or summed over a directory's part sidecars (undefined when missing). */
function rowsOf(path: string): number | undefined {
  try {
    if (existsSync(path) && statSync(path).isDirectory()) {
      const sidecars = readdirSync(path).filter((f) => f.endsWith('.json'));
      if (sidecars.length === 0) return undefined;
      return sidecars.reduce((s, f) => s + (rowsOf(join(path, f.slice(0, -'.json'.length))) ?? Number.NaN), 0);
    }
    return (JSON.parse(readFileSync(`${path}.json`, 'utf8')) as { rows?: number }).rows;
  } catch {
    return undefined;
  }
}

/** Part files in a directory output (0 when absent). */
function partsOf(path: string): number {
  return existsSync(path) && statSync(path).isDirectory() ? readdirSync(path).filter((f) => !f.endsWith('.json')).length : 0;
}

export async function benchPipeline(opts: PipelineBenchOptions = {}) {
  const { events = 100_000_000, ocKeep = 0.02, epochs = 1, seed = '16' } = opts;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'qmisid-bench-pipeline-'));
  const files = {
    events: join(dir, 'events'),
    fit: join(dir, 'fit.json'),
    model: join(dir, 'model'),
    applied: join(dir, 'applied'),
  };
  const load0 = loadavg()[0];
  try {
    const steps: { name: string; args: string[] }[] = [
      { name: 'generate', args: ['generate', '--truth-events', String(events), '--seed', seed, '--out', `${files.events}/`] },
      { name: 'fit', args: ['fit', '--input', files.events, '--out', files.fit] },
      {
        name: 'train',
        args: [
          'train',
          '--input',
          files.events,
          '--out',
          files.model,
          '--features',
          'pt,eta',
          '--region',
          'window',
          '--val-frac',
          '0',
          '--no-progress',
          '--epochs',
          String(epochs),
          '--oc-keep',
          String(ocKeep),
          ...(opts.threads != null ? ['--threads', String(opts.threads)] : []),
        ],
      },
      { name: 'apply', args: ['apply', '--model', files.model, '--input', files.events, '--out', `${files.applied}/`] },
    ];
    const commands: Record<string, ProcessRun & { args: string; loadavg_before: number[]; loadavg_after: number[] }> = {};
    // Load averages (1, 5, 15 min) around each command: the machine is shared, and wall times depend on it.
    const load = (): number[] => loadavg().map((x) => +x.toFixed(2));
    for (const s of steps) {
      process.stderr.write(`pipeline: ${s.name}...\n`);
      const before = load();
      const r = strip(qmisid(...s.args));
      commands[s.name] = { ...r, args: s.args.join(' ').replaceAll(dir, '$DIR'), loadavg_before: before, loadavg_after: load() };
      process.stderr.write(`pipeline: ${s.name}: ${r.wall_s} s, peak ${r.peak_rss_mb} MB${r.exit !== 0 ? `, FAILED: ${r.error}` : ''}\n`);
      if (r.exit !== 0) break;
    }
    const runs = Object.values(commands);
    const ok = runs.length === steps.length && runs.every((r) => r.exit === 0);
    const peaks = runs.map((r) => r.peak_rss_mb).filter((x): x is number => x != null);
    const peak = peaks.length === runs.length && runs.length > 0 ? Math.max(...peaks) : null;
    let fitSummary: Record<string, unknown> | undefined;
    if (existsSync(files.fit)) {
      const fj = JSON.parse(readFileSync(files.fit, 'utf8')) as {
        status?: string;
        counts?: { nEvents?: number };
        truth?: { events?: number };
      };
      fitSummary = { status: fj.status, fitted_events: fj.counts?.nEvents, truth_events_in_region: fj.truth?.events };
    }
    return {
      bench: 'pipeline',
      truth_events: events,
      selected_events: rowsOf(files.events) ?? null,
      applied_rows: rowsOf(files.applied) ?? null,
      parts: { events: partsOf(files.events), applied: partsOf(files.applied) },
      train: { oc_keep: ocKeep, epochs, features: 'pt,eta', region: 'window' },
      loadavg1_before: load0,
      loadavg1_after: loadavg()[0],
      file_mb: {
        events: mb(sizeOf(files.events)),
        fit_json: mb(sizeOf(files.fit)),
        model: mb(sizeOf(files.model)),
        applied: mb(sizeOf(files.applied)),
      },
      commands,
      fit: fitSummary ?? null,
      ok,
      total_wall_s: +runs.reduce((s, r) => s + r.wall_s, 0).toFixed(3),
      peak_rss_mb: peak,
      floor: { peak_rss_mb: PIPELINE_RSS_FLOOR_MB, pass: ok && peak != null && peak < PIPELINE_RSS_FLOOR_MB },
      dir: opts.dir,
    };
  } finally {
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const events = process.argv[2] != null ? Number(process.argv[2]) : undefined;
  const dir = process.argv[3];
  const r = await benchPipeline({ ...(events ? { events } : {}), ...(dir ? { dir } : {}) });
  process.stdout.write(`${JSON.stringify(r, null, 1)}\n`);
}
