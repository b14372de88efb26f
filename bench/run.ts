/**
 * `npm run bench`: every benchmark, side by side with its peer from ../shared/peers in the same run, as one JSON
 * document on stdout (progress on stderr). Speed and memory are measured here and only here, never in unit tests.
 *
 *   npm run bench [-- generate train binned-fit oc-keep commands time-to-accuracy pipeline study-toy]
 *   (default: generate train binned-fit commands time-to-accuracy)
 *   npm run bench -- --out reports/bench/run.json ...   also writes the JSON there (docs: scripts/bench-to-md)
 *
 * Each entry records the peer's own figure and our ratio to it; the machine's load is recorded by the
 * entries that are sensitive to it. Run on an otherwise idle machine: with 2 cores any other process halves
 * the two-thread figures while the one-core peers barely notice.
 */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { benchBinnedFit } from './binned-fit.js';
import { benchGenerate } from './generate.js';
import { benchOcKeepVariance, benchTrain } from './train.js';
import { benchCommands, benchTimeToAccuracy } from './commands.js';
import { benchPipeline } from './pipeline.js';
import { benchStudyToy } from './study-toy.js';
import { PEERS_DIR, PYTHON } from './peers.js';
import { version } from '../src/version.js';
import { writeFileAtomic } from '../src/io/atomic.js';

// `--events N`: the command and time-to-accuracy benches on N events instead of 10^6 (a quicker run); the
// pipeline bench on N truth events instead of 10^8.
const eIdx = process.argv.indexOf('--events');
const EVENTS = eIdx >= 0 ? Number(process.argv.splice(eIdx, 2)[1]) : undefined;

const BENCHES: Record<string, () => Promise<unknown> | unknown> = {
  generate: () => benchGenerate(),
  train: () => benchTrain(),
  'binned-fit': () => benchBinnedFit(1e6, '1'),
  'oc-keep': () => benchOcKeepVariance(),
  commands: () => benchCommands(EVENTS ? { events: EVENTS } : {}),
  'time-to-accuracy': () => benchTimeToAccuracy(EVENTS ? { events: EVENTS, ladder: [1, 2, 4] } : {}),
  // Not in the default list: 10^8 truth events take ~an hour and ~10 GB of disk (docs/event-input.md).
  pipeline: () => benchPipeline(EVENTS ? { events: EVENTS } : {}),
  // Not in the default list either: one bias-vs-n toy at 10^7 in memory and streamed (~10-20 min here); with
  // --events N, also a streamed toy of N truth events (10^8: about an hour).
  'study-toy': () => benchStudyToy(EVENTS ? { events: EVENTS } : {}),
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const o = args.indexOf('--out');
  const outFile = o >= 0 ? args[o + 1] : undefined;
  if (o >= 0) args.splice(o, 2);
  const names = args.length ? args : ['generate', 'train', 'binned-fit', 'commands', 'time-to-accuracy'];
  for (const n of names) {
    if (!BENCHES[n]) {
      process.stderr.write(`qmisid bench: unknown benchmark ${JSON.stringify(n)}: expected one of ${Object.keys(BENCHES).join(', ')}\n`);
      process.exitCode = 2;
      return;
    }
  }
  const results: Record<string, unknown> = {};
  for (const n of names) {
    process.stderr.write(`bench ${n}...\n`);
    const t0 = performance.now();
    const rss0 = process.memoryUsage().rss;
    results[n] = await BENCHES[n]!();
    process.stderr.write(
      `bench ${n}: ${((performance.now() - t0) / 1000).toFixed(1)} s, rss +${((process.memoryUsage().rss - rss0) / 2 ** 20).toFixed(0)} MiB\n`,
    );
  }
  const out = {
    version,
    date: new Date().toISOString(),
    machine: {
      cores: availableParallelism(),
      cpu: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      loadavg1: loadavg()[0],
      node: process.version,
    },
    peers: { dir: PEERS_DIR, python: PYTHON },
    results,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  if (outFile) writeFileAtomic(outFile, `${JSON.stringify(out, null, 2)}\n`);
}

await main();
