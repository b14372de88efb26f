/**
 * Whole-command benchmarks: what a user waits for, start-up and reading included.
 *
 *   commands        `qmisid train`, `fit`, `apply` on the same 10^6 selected events stored as Parquet, Arrow
 *                   and CSV: wall time and peak RSS of the whole process (/usr/bin/time), plus the fixed
 *                   start-up cost (`qmisid --version`, and `train` on 1000 events for one epoch).
 *   time-to-accuracy  φ trained on the window events until its per-electron error against the truth ε (mean
 *                   squared error over probe electrons) is as small as the PyTorch peer's after its run; the
 *                   peer's whole process (CSV load included, as for it that is the input path) against ours
 *                   from Parquet, with all events and with OC subsampling (keep 0.2, weight 5) for both. Reported
 *                   per row: wall and CPU seconds of both processes, the training loop's pairs/s of both, and the
 *                   speed-up peer wall / our wall (top level: `speedup_vs_peer.full_data`, the issue-16 floor ≥ 3).
 * Every figure is one run on whatever the machine is doing: the JSON records the load average before and
 * after, and the ratios are taken between runs made back to back.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatOf, openEventChunks, readEvents } from '../src/io/eventsFile.js';
import { memberEps } from '../src/train/apply.js';
import { selectBackend } from '../src/train/backend.js';
import { loadModel } from '../src/train/modelIo.js';
import { createRng } from '../src/rng.js';
import { PYTHON, peerPath } from './peers.js';

const repoRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url));
const BIN = join(repoRoot, 'bin', 'qmisid.js');
const TIME = '/usr/bin/time';
const PEER_ENV = { ...process.env, OPENBLAS_NUM_THREADS: '2', LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-pthread' };

export interface ProcessRun {
  wall_s: number;
  /** User + system CPU seconds of the process and its threads (/usr/bin/time): less sensitive to other jobs than the wall. */
  cpu_s: number | null;
  peak_rss_mb: number | null;
  exit: number | null;
  error?: string;
}

/** Run a command, timing the whole process; peak RSS from /usr/bin/time when present. */
export function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): ProcessRun & { stdout: string } {
  const useTime = existsSync(TIME);
  const t0 = performance.now();
  const r = useTime
    ? spawnSync(TIME, ['-f', '__peak_kb=%M __cpu=%U+%S', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = (performance.now() - t0) / 1000;
  const m = /__peak_kb=(\d+)/.exec(r.stderr ?? '');
  const c = /__cpu=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '');
  const out: ProcessRun & { stdout: string } = {
    wall_s: +wall.toFixed(3),
    cpu_s: c ? +(Number(c[1]) + Number(c[2])).toFixed(2) : null,
    peak_rss_mb: m ? +(Number(m[1]) / 1024).toFixed(1) : null,
    exit: r.status,
    stdout: r.stdout ?? '',
  };
  if (r.status !== 0)
    out.error = (r.stderr || r.error?.message || 'failed')
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('__peak'))
      .slice(-2)
      .join(' | ');
  return out;
}

/**
 * A `qmisid` subcommand as a timed child process, run the way users run the command: bin/qmisid.js executed
 * (its launcher line sets glibc's malloc arenas, then execs node), so dist/ must be built.
 */
export const qmisid = (...args: string[]) => timed(BIN, args);
/** The same through `node bin/qmisid.js`: the launcher line skipped, glibc's default malloc arenas. */
const qmisidNode = (...args: string[]) => timed(process.execPath, [BIN, ...args]);
export const strip = ({ stdout: _s, ...r }: ProcessRun & { stdout: string }): ProcessRun => r;

export interface CommandBenchOptions {
  events?: number;
  /** Epochs of the timed `train` (the command bench times the pipeline, not convergence). */
  epochs?: number;
  dir?: string;
  keep?: boolean;
}

/** Train options shared by the command and time-to-accuracy benches: window events, pt and η, no validation split. */
const TRAIN_ARGS = ['--features', 'pt,eta', '--region', 'window', '--val-frac', '0', '--no-progress'];

/** The columns `qmisid fit` reads from a generated file (its projection, with the truth columns). */
const FIT_COLUMNS = ['pt1', 'eta1', 'pt2', 'eta2', 'sc', 'region', 'm_ee', 'truth_flip1', 'truth_flip2', 'truth_eps1', 'truth_eps2'];

/**
 * The event reader alone on one file, in this process: every chunk of the requested columns (all by
 * default), checked and typed as the commands get them. Rate = the file's bytes over the wall time, the
 * figure to compare with a target in MB/s of file.
 */
async function readRate(path: string, columns?: readonly string[]) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const source = await openEventChunks(path, formatOf(path), columns ? { columns } : {});
  let rows = 0;
  for await (const c of source.chunks()) rows += c.n;
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    columns: columns ? columns.length : source.names.length,
    rows,
    wall_s: +wall.toFixed(3),
    cpu_s: +((cpu.user + cpu.system) / 1e6).toFixed(2),
    mb_per_s: +(statSync(path).size / 1e6 / wall).toFixed(1),
  };
}

export async function benchCommands(opts: CommandBenchOptions = {}) {
  const { events = 1_000_000, epochs = 1 } = opts;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'qmisid-bench-cmd-'));
  const load0 = loadavg()[0];
  try {
    const files = { parquet: join(dir, 'ev.parquet'), arrow: join(dir, 'ev.arrow'), csv: join(dir, 'ev.csv') };
    const prep: Record<string, ProcessRun & { mb?: number }> = {};
    if (!existsSync(files.parquet))
      prep.generate = strip(qmisid('generate', '--events', String(events), '--seed', '11', '--out', files.parquet));
    for (const f of ['arrow', 'csv'] as const)
      if (!existsSync(files[f])) prep[`convert_to_${f}`] = strip(qmisid('convert', '--input', files.parquet, '--out', files[f]));
    const sizes = Object.fromEntries(
      Object.entries(files).map(([k, p]) => [k, existsSync(p) ? +(statSync(p).size / 1e6).toFixed(1) : null]),
    );

    // Fixed costs: the CLI's own start-up, and a training whose work is negligible.
    const tiny = join(dir, 'tiny.parquet');
    qmisid('generate', '--events', '1000', '--seed', '3', '--out', tiny);
    const startup = {
      version: strip(qmisid('--version')),
      train_1000_events_1_epoch: strip(qmisid('train', '--input', tiny, '--out', join(dir, 'm-tiny'), '--epochs', '1', ...TRAIN_ARGS)),
      train_1000_events_1_epoch_1_thread: strip(
        qmisid('train', '--input', tiny, '--out', join(dir, 'm-tiny1'), '--epochs', '1', '--threads', '1', ...TRAIN_ARGS),
      ),
    };

    const rows: Record<string, unknown>[] = [];
    for (const f of ['parquet', 'arrow', 'csv'] as const) {
      const model = join(dir, `m-${f}`);
      const train = strip(qmisid('train', '--input', files[f], '--out', model, '--epochs', String(epochs), ...TRAIN_ARGS));
      const fit = strip(qmisid('fit', '--input', files[f], '--out', join(dir, `fit-${f}.json`)));
      const apply = strip(
        qmisid('apply', '--model', model, '--input', files[f], '--out', join(dir, `applied.${f === 'arrow' ? 'arrow' : f}`)),
      );
      rmSync(join(dir, `applied.${f}`), { force: true });
      rows.push({ format: f, file_mb: sizes[f], train, fit, apply });
    }
    const csvRead = { every_column: await readRate(files.csv), fit_columns: await readRate(files.csv, FIT_COLUMNS) };
    // OC subsampling while reading: memory should follow SC + the kept OC events, not the file (docs/event-input.md).
    const trainOcKeep = strip(
      qmisid('train', '--input', files.parquet, '--out', join(dir, 'm-oc'), '--epochs', String(epochs), '--oc-keep', '0.01', ...TRAIN_ARGS),
    );
    // The launcher's one malloc arena against glibc's defaults, on the commands that read Parquet (bin/qmisid.js).
    const appliedNode = join(dir, 'applied-node.parquet');
    const glibcDefaults = {
      train_parquet: strip(
        qmisidNode('train', '--input', files.parquet, '--out', join(dir, 'm-node'), '--epochs', String(epochs), ...TRAIN_ARGS),
      ),
      apply_parquet: strip(qmisidNode('apply', '--model', join(dir, 'm-parquet'), '--input', files.parquet, '--out', appliedNode)),
    };
    rmSync(appliedNode, { force: true });
    return {
      bench: 'commands',
      events,
      train: { epochs, args: TRAIN_ARGS.join(' ') },
      loadavg1_before: load0,
      loadavg1_after: loadavg()[0],
      file_mb: sizes,
      preparation: prep,
      startup,
      rows,
      train_parquet_oc_keep_0_01: trainOcKeep,
      node_without_launcher: glibcDefaults,
      csv_read: csvRead,
      dir: opts.keep ? dir : undefined,
    };
  } finally {
    if (!opts.keep && !opts.dir) rmSync(dir, { recursive: true, force: true });
  }
}

interface Probe {
  pt: Float64Array;
  eta: Float64Array;
  truth: Float64Array;
}

/** Electrons of window signal events (both legs) with their truth ε: where accuracy is measured. */
async function probeElectrons(file: string, max: number): Promise<Probe> {
  const { table } = await readEvents(file, {
    columns: ['pt1', 'eta1', 'pt2', 'eta2', 'truth_eps1', 'truth_eps2', 'is_background'],
    regions: [0],
  });
  const c = table.columns;
  const pt: number[] = [];
  const eta: number[] = [];
  const truth: number[] = [];
  for (let i = 0; i < table.n && pt.length < max; i++) {
    if (c.is_background![i]) continue;
    pt.push(c.pt1![i]!, c.pt2![i]!);
    eta.push(c.eta1![i]!, c.eta2![i]!);
    truth.push(c.truth_eps1![i]!, c.truth_eps2![i]!);
  }
  return { pt: Float64Array.from(pt), eta: Float64Array.from(eta), truth: Float64Array.from(truth) };
}

function mse(eps: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += (eps[i]! - truth[i]!) ** 2;
  return s / truth.length;
}

/** The peer's input: window events as CSV (pt1, eta1, pt2, eta2, sc, w), OC events kept with probability `keep`, weight 1/keep. */
async function writePeerCsv(file: string, out: string, keep: number, seed: string): Promise<number> {
  const { table } = await readEvents(file, { columns: ['pt1', 'eta1', 'pt2', 'eta2', 'sc'], regions: [0] });
  const c = table.columns;
  const rng = createRng(seed);
  const lines = ['pt1,eta1,pt2,eta2,sc,w'];
  for (let i = 0; i < table.n; i++) {
    const sc = c.sc![i]!;
    if (!sc && keep < 1 && rng.uniform() >= keep) continue;
    lines.push(`${c.pt1![i]},${c.eta1![i]},${c.pt2![i]},${c.eta2![i]},${sc},${sc ? 1 : 1 / keep}`);
  }
  writeFileSync(out, `${lines.join('\n')}\n`);
  return lines.length - 1;
}

export interface TimeToAccuracyOptions {
  events?: number;
  peerEpochs?: number;
  /** Our epoch ladder: the first run reaching the peer's error counts. */
  ladder?: number[];
  probe?: number;
  dir?: string;
}

export async function benchTimeToAccuracy(opts: TimeToAccuracyOptions = {}) {
  const { events = 1_000_000, peerEpochs = 2, ladder = [1, 2, 3, 5, 8], probe = 20_000 } = opts;
  const peer = peerPath('torch_phi.py');
  if (!existsSync(peer) || !existsSync(PYTHON)) return { bench: 'time-to-accuracy', error: `peer ${peer} or ${PYTHON} not found` };
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'qmisid-bench-tta-'));
  const load0 = loadavg()[0];
  try {
    const file = join(dir, 'ev.parquet');
    if (!existsSync(file)) qmisid('generate', '--events', String(events), '--seed', '11', '--out', file);
    await selectBackend('auto');
    const p = await probeElectrons(file, probe);
    const grid = join(dir, 'grid.csv');
    writeFileSync(grid, `pt,eta\n${Array.from(p.pt, (v, i) => `${v},${p.eta[i]}`).join('\n')}\n`);
    const probeTable = { n: p.pt.length, columns: { pt1: p.pt, eta1: p.eta } };
    const out: Record<string, unknown>[] = [];
    for (const keep of [1, 0.2]) {
      const peerCsv = join(dir, `peer-${keep}.csv`);
      const peerEvents = await writePeerCsv(file, peerCsv, keep, `tta-${keep}`);
      const epsOut = join(dir, `peer-eps-${keep}.csv`);
      const pr = timed(
        PYTHON,
        [
          peer,
          '--csv',
          peerCsv,
          '--features',
          'pt,eta',
          '--epochs',
          String(peerEpochs),
          '--batch',
          String(16384),
          '--grid',
          grid,
          '--out',
          epsOut,
        ],
        PEER_ENV,
      );
      if (pr.exit !== 0) {
        out.push({ oc_keep: keep, peer_error: pr.error });
        continue;
      }
      const peerEps = readFileSync(epsOut, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(',')[2]));
      const target = mse(peerEps, p.truth);
      const peerRaw = JSON.parse(pr.stdout.trim().split('\n').slice(-1)[0] ?? '{}') as { pairs_per_s?: number };
      const ours: Record<string, unknown>[] = [];
      let reached: { epochs: number; wall_s: number; cpu_s: number | null; mse: number; train_pairs_per_s: number } | undefined;
      for (const e of ladder) {
        const model = join(dir, `m-${keep}-${e}`);
        const r = qmisid(
          'train',
          '--input',
          file,
          '--out',
          model,
          '--epochs',
          String(e),
          '--oc-keep',
          String(keep),
          '--batch',
          String(keep < 1 ? 4096 : 16384),
          ...TRAIN_ARGS,
        );
        if (r.exit !== 0) {
          ours.push({ epochs: e, error: r.error });
          break;
        }
        const m = loadModel(model);
        const eps = memberEps(m, probeTable, 1)[0]!;
        const err = mse(eps, p.truth);
        // The training loop's own rate (pairs through Adam steps / the member's seconds), as the peer's raw pairs_per_s.
        const mem = m.members[0]!;
        const pairsPerS = Math.round((mem.trainEvents * mem.epochsRun) / mem.seconds);
        ours.push({ epochs: e, wall_s: r.wall_s, cpu_s: r.cpu_s, peak_rss_mb: r.peak_rss_mb, mse: err, train_pairs_per_s: pairsPerS });
        if (err <= target) {
          reached = { epochs: e, wall_s: r.wall_s, cpu_s: r.cpu_s, mse: err, train_pairs_per_s: pairsPerS };
          break;
        }
      }
      out.push({
        oc_keep: keep,
        peer: {
          events: peerEvents,
          epochs: peerEpochs,
          wall_s: pr.wall_s,
          cpu_s: pr.cpu_s,
          peak_rss_mb: pr.peak_rss_mb,
          mse: target,
          raw: peerRaw,
        },
        ours,
        reached: reached ?? null,
        speedup_vs_peer: reached ? +(pr.wall_s / reached.wall_s).toFixed(3) : null,
        cpu_ratio_peer_to_ours: reached && reached.cpu_s && pr.cpu_s ? +(pr.cpu_s / reached.cpu_s).toFixed(3) : null,
        train_pairs_per_s_ratio: reached && peerRaw.pairs_per_s ? +(reached.train_pairs_per_s / peerRaw.pairs_per_s).toFixed(3) : null,
      });
    }
    // The floor (issue 16): wall to the peer's accuracy, peer / ours, on full data (and with OC subsampling for both).
    const speedup = (keep: number) => (out.find((r) => r.oc_keep === keep)?.speedup_vs_peer as number | null | undefined) ?? null;
    return {
      bench: 'time-to-accuracy',
      events,
      probe_electrons: p.pt.length,
      metric: 'mean over probe electrons of (eps - truth_eps)^2',
      loadavg1_before: load0,
      loadavg1_after: loadavg()[0],
      speedup_vs_peer: { full_data: speedup(1), oc_keep_0_2: speedup(0.2) },
      rows: out,
    };
  } finally {
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const which = process.argv[2] ?? 'commands';
  const events = process.argv[3] != null ? Number(process.argv[3]) : undefined;
  const dir = process.argv[4];
  const r =
    which === 'time-to-accuracy'
      ? await benchTimeToAccuracy({ ...(events ? { events } : {}), ...(dir ? { dir } : {}) })
      : await benchCommands({ ...(events ? { events } : {}), ...(dir ? { dir } : {}) });
  process.stdout.write(`${JSON.stringify(r, null, 1)}\n`);
}
