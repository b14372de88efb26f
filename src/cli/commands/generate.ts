/**
 * `qmisid generate`: toy Z→ee events to a Parquet / Arrow / CSV file (by extension), streamed block by block,
 * with the resolved config, seed and package version in the file metadata and the `<file>.json` sidecar.
 * `--events N` counts SELECTED events (rows in the file); `--truth-events N` counts generated truth events.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { MAX_CHUNK_EVENTS, MAX_SELECTED_EVENTS, MAX_TRUTH_EVENTS } from '../../limits.js';
import { parseConfigFile, parseInteger, parseOutputEvents, parseSeed, parseWorkers } from '../flags.js';
import { addPartOptions, partOptionsFrom, type PartFlags } from '../partOptions.js';

interface GenerateFlags extends PartFlags {
  events?: string;
  truthEvents?: string;
  seed: string;
  out: string;
  config?: string;
  workers?: string;
  chunkEvents?: string;
  json?: boolean;
  forceWorkers?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('generate')
    .description('generate toy Z->ee events (truth OC pairs, charge flips, detector response, selection)')
    .option('--events <N>', 'number of SELECTED events to write (window + sidebands, incl. fakes)')
    .option('--truth-events <N>', 'instead: number of generated truth Z->ee events (about 1/3 pass the default selection)')
    .requiredOption('--seed <S>', 'root seed (integer or string); same seed and config give the same bytes')
    .requiredOption(
      '--out <FILE|DIR/>',
      'output file: .parquet, .arrow or .csv (plus FILE.json sidecar); DIR/ (or no extension): a directory of parts',
    )
    .option('--config <FILE.json>', 'generator config (partial; defaults from physics.md)')
    .option('--workers <K>', 'worker threads (0 = main thread; default: up to 2; at most the cores available)')
    .option('--force-workers', 'allow --workers above the number of cores')
    .option('--chunk-events <N>', 'truth events per work unit / file chunk (does not change the output)')
    .option('--json', 'print a JSON summary on stdout');
  addPartOptions(cmd, 'parquet').action(async (flags: GenerateFlags) => {
    const selected = flags.events != null ? parseInteger('--events', flags.events, { min: 1, max: MAX_SELECTED_EVENTS }) : undefined;
    const truth =
      flags.truthEvents != null ? parseInteger('--truth-events', flags.truthEvents, { min: 1, max: MAX_TRUTH_EVENTS }) : undefined;
    if ((selected == null) === (truth == null))
      throw new UsageError('--events', flags.events ?? null, 'give exactly one of --events (selected) or --truth-events');
    const workers = flags.workers != null ? parseWorkers('--workers', flags.workers, flags.forceWorkers === true) : undefined;
    const chunkEvents =
      flags.chunkEvents != null ? parseInteger('--chunk-events', flags.chunkEvents, { min: 1, max: MAX_CHUNK_EVENTS }) : undefined;
    const seed = parseSeed('--seed', flags.seed);
    const out = await parseOutputEvents('--out', flags.out);
    const parts = partOptionsFrom(flags, out.parts, 'parquet');
    const input = flags.config != null ? parseConfigFile('--config', flags.config) : {};

    const { generateEvents, configForMetadata, resolveGeneratorConfig } = await import('../../../generators/zee/index.js');
    const { openEventOutput } = await import('../../io/eventPartsWriter.js');
    const { version } = await import('../../version.js');
    const config = resolveGeneratorConfig(input, flags.config);
    const count = selected != null ? 'selected' : 'truth';
    const events = (selected ?? truth)!;

    const writer = await openEventOutput(
      flags.out,
      {
        config: configForMetadata(config),
        seed,
        version,
        generator: 'qmisid-bench zee',
        count,
        events,
      },
      parts,
    );
    let bar: { start(total: number, v: number): void; update(v: number): void; stop(): void } | undefined;
    if (process.stderr.isTTY) {
      const { SingleBar, Presets } = await import('cli-progress');
      bar = new SingleBar(
        { stream: process.stderr, format: `generate [{bar}] {percentage}% | {value}/{total} ${count} events | {eta_formatted} left` },
        Presets.shades_classic,
      );
      bar.start(events, 0);
    }
    const t0 = performance.now();
    let result;
    try {
      result = await generateEvents({
        config,
        events,
        count,
        seed,
        ...(workers != null ? { workers } : {}),
        ...(chunkEvents != null ? { chunkEvents } : {}),
        onProgress: (t, s) => bar?.update(count === 'selected' ? s : t),
        sink: (chunk) => writer.write(chunk),
      });
      await writer.close();
    } catch (err) {
      await writer.abort();
      throw err;
    } finally {
      bar?.stop();
    }
    const seconds = (performance.now() - t0) / 1000;
    const s = result.summary;
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ out: flags.out, seed, count, events, seconds: Number(seconds.toFixed(3)), version, summary: s }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(
        `${flags.out}: ${s.selectedEvents} selected events from ${s.truthEvents} truth events in ${seconds.toFixed(2)} s; ` +
          `window OC ${s.window.oc} SC ${s.window.sc}, sidebands OC ${s.lowSideband.oc + s.highSideband.oc} SC ${s.lowSideband.sc + s.highSideband.sc}, ` +
          `fakes ${s.backgroundEvents}, mean eps ${s.meanEps.toExponential(3)}, SC fraction ${(100 * s.scFraction).toFixed(3)} %\n`,
      );
    }
  });
}
