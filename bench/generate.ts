/**
 * Generator benchmark (JSON out):
 *   1. truth-kinematics stage alone — the work of ../shared/peers/gen_numpy.py (mass, Z pT, rapidity, decay,
 *      both boosts; ours also builds the Collins–Soper frame and samples the tabulated spectra) — on `workers`
 *      threads, median of `reps` timed rounds after a warm-up round, against the numpy peer run in the same
 *      run just before and just after (`/usr/bin/python3 gen_numpy.py 1e6 5`, mean of the two medians); also
 *      the one-thread figure. The machine's load average is recorded: with 2 cores, any other process halves
 *      the two-worker figure while the one-core peer barely notices.
 *   2. full chain — `generateEvents` for 1 M SELECTED events on both cores, sink discarding the rows
 *      (generation only), wall time including worker start-up and table building.
 *   3. the full chain with the latent electron model (all features and eps_reach), against the mean of two
 *      default runs around it.
 * Floors: kinematics ≥ 1.0× the peer's events/s on both cores; full chain < 3 s for 1 M selected events;
 * latent electron chain ≤ 2× the default chain.
 */
import { execFile } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { promisify } from 'node:util';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../src/util/worker.js';
import { resolveGeneratorConfig } from '../src/config/generatorConfig.js';
import { buildTruthSamplers } from '../generators/zee/truthSamplers.js';
import { allocateTruthBuffers, generateTruth } from '../generators/zee/truthKinematics.js';
import { UniformStream } from '../generators/zee/uniformStream.js';
import { generateEvents } from '../generators/zee/generateEvents.js';
import { PYTHON, peerPath } from './peers.js';

export interface GenerateBenchOptions {
  /** events per timed kinematics round (split over the workers) */
  events?: number;
  reps?: number;
  workers?: number;
  /** selected events for the full chain */
  selected?: number;
  peer?: string;
  python?: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
};

async function kinematicsOnWorkers(events: number, reps: number, workers: number): Promise<{ eventsPerSecond: number; seconds: number[] }> {
  const pool: Worker[] = [];
  const ask = (w: Worker, msg: unknown): Promise<{ seconds: number }> =>
    new Promise((resolve, reject) => {
      const fail = (err: Error): void => reject(err);
      w.once('error', fail);
      w.once('message', (m: { seconds: number }) => {
        w.off('error', fail);
        resolve(m);
      });
      w.postMessage(msg);
    });
  try {
    for (let k = 0; k < workers; k++) {
      const w = startWorker(import.meta.url, 'generate-worker');
      await new Promise((r) => w.once('message', r)); // ready: tables built
      pool.push(w);
    }
    // Workers pull blocks from a shared queue (as generateEvents does), so a briefly descheduled worker does
    // not hold up the round: the figure is the pool's throughput on the cores it actually gets.
    const B = 65536;
    const round = async (tag: string): Promise<number> => {
      const t0 = performance.now();
      let next = 0;
      const nBlocks = Math.ceil(events / B);
      const drive = async (w: Worker): Promise<void> => {
        while (next < nBlocks) {
          const b = next++;
          await ask(w, { n: Math.min(B, events - b * B), seed: `bench/${tag}/${b}` });
        }
      };
      await Promise.all(pool.map(drive));
      return (performance.now() - t0) / 1000;
    };
    await round('warmup');
    const seconds: number[] = [];
    for (let r = 0; r < reps; r++) seconds.push(await round(String(r)));
    return { eventsPerSecond: events / median(seconds), seconds };
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

function kinematicsInThread(events: number, reps: number): number {
  const cfg = resolveGeneratorConfig({});
  const s = buildTruthSamplers(cfg);
  const B = cfg.blockSize;
  const buf = allocateTruthBuffers(B);
  const run = (tag: string): number => {
    const t0 = performance.now();
    for (let done = 0, b = 0; done < events; done += B, b++)
      generateTruth(new UniformStream(`${tag}/${b}`), s, Math.min(B, events - done), buf);
    return (performance.now() - t0) / 1000;
  };
  run('warmup');
  const times: number[] = [];
  for (let r = 0; r < reps; r++) times.push(run(String(r)));
  return events / median(times);
}

async function runPeer(python: string, peer: string, events: number, reps: number): Promise<Record<string, unknown>> {
  try {
    const { stdout } = await promisify(execFile)(python, [peer, String(events), String(reps)], { timeout: 600_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0] };
  }
}

export async function benchGenerate(opts: GenerateBenchOptions = {}): Promise<Record<string, unknown>> {
  const events = opts.events ?? 2_000_000;
  const reps = opts.reps ?? 7;
  const workers = opts.workers ?? Math.min(2, availableParallelism());
  const selected = opts.selected ?? 1_000_000;
  const load = loadavg()[0];

  // Peer before and after ours, so a change in machine load during the run shows up instead of skewing the ratio.
  const python = opts.python ?? PYTHON;
  const peerFile = opts.peer ?? peerPath('gen_numpy.py');
  const peerBefore = await runPeer(python, peerFile, 1_000_000, 5);
  const multi = await kinematicsOnWorkers(events, reps, workers);
  const single = kinematicsInThread(events, reps);
  const peerAfter = await runPeer(python, peerFile, 1_000_000, 5);
  const rates = [peerBefore, peerAfter].map((p) => p.events_per_s).filter((x): x is number => typeof x === 'number');
  const peerRate = rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : undefined;
  const peer = {
    command: `${python} ${peerFile} 1e6 5`,
    before: peerBefore,
    after: peerAfter,
    meanEventsPerSecond: peerRate ? Math.round(peerRate) : null,
  };

  const t0 = performance.now();
  const full = await generateEvents({ events: selected, count: 'selected', seed: 'bench', workers, sink: () => undefined });
  const fullSeconds = (performance.now() - t0) / 1000;
  // 3. the same with the latent electron model (docs/electrons.md: every feature and the Bayes target on), run
  //    right after the default chain and then the default once more, so machine load hits both alike.
  const t1 = performance.now();
  await generateEvents({
    events: selected,
    count: 'selected',
    seed: 'bench',
    workers,
    sink: () => undefined,
    config: { electron: { model: 'latent' } },
  });
  const latentSeconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  await generateEvents({ events: selected, count: 'selected', seed: 'bench', workers, sink: () => undefined });
  const fullSeconds2 = (performance.now() - t2) / 1000;
  const latentRatio = latentSeconds / (0.5 * (fullSeconds + fullSeconds2));

  const ratio = peerRate ? multi.eventsPerSecond / peerRate : null;
  return {
    bench: 'generate',
    machine: { cores: availableParallelism(), loadavg1Before: load, loadavg1After: loadavg()[0] },
    kinematics: {
      stage: 'Breit-Wigner mass, Z pT, rapidity, Collins-Soper decay, both boosts (E, px, py, pz per electron)',
      events,
      reps,
      workers,
      eventsPerSecond: Math.round(multi.eventsPerSecond),
      medianSeconds: median(multi.seconds),
      singleThreadEventsPerSecond: Math.round(single),
    },
    peer,
    ratioToPeer: ratio == null ? null : Number(ratio.toFixed(3)),
    singleThreadRatioToPeer: peerRate ? Number((single / peerRate).toFixed(3)) : null,
    fullChain: {
      selectedEvents: full.summary.selectedEvents,
      truthEvents: full.summary.truthEvents,
      workers,
      seconds: Number(fullSeconds.toFixed(3)),
      selectedPerSecond: Math.round(full.summary.selectedEvents / fullSeconds),
    },
    latentElectronChain: {
      config: { electron: { model: 'latent' } },
      seconds: Number(latentSeconds.toFixed(3)),
      defaultSecondsAgain: Number(fullSeconds2.toFixed(3)),
      ratioToDefault: Number(latentRatio.toFixed(3)),
    },
    floors: {
      latentElectronRatio: { floor: 2, pass: latentRatio <= 2 },
      kinematicsRatio: { floor: 1.0, pass: ratio == null ? null : ratio >= 1.0 },
      fullChainSeconds: { floor: 3, pass: fullSeconds < 3 },
    },
  };
}

// `node dist/bench/generate.js` runs it alone.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'))) {
  benchGenerate().then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`));
}
