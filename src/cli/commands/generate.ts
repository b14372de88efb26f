/**
 * `qmisid generate`: toy Z→ee events to a Parquet / Arrow / CSV file (by extension), streamed block by block,
 * with the resolved config, seed and package version in the file metadata and the `<file>.json` sidecar.
 * `--events N` counts SELECTED events (rows in the file); `--truth-events N` counts generated truth events.
 */
import type { Command } from 'commander';
import { ConfigError, UsageError } from '../../errors.js';

interface GenerateFlags {
  events?: string;
  truthEvents?: string;
  seed: string;
  out: string;
  config?: string;
  workers?: string;
  chunkEvents?: string;
  json?: boolean;
}

function positiveInt(flag: string, v: string | undefined, allowZero = false): number | undefined {
  if (v == null) return undefined;
  const n = Number(v.replace(/_/g, ''));
  if (!(Number.isInteger(n) && (allowZero ? n >= 0 : n > 0))) throw new UsageError(flag, v, `expected a ${allowZero ? 'non-negative' : 'positive'} integer`);
  return n;
}

export function register(program: Command): void {
  program
    .command('generate')
    .description('generate toy Z->ee events (truth OC pairs, charge flips, detector response, selection)')
    .option('--events <N>', 'number of SELECTED events to write (window + sidebands, incl. fakes)')
    .option('--truth-events <N>', 'instead: number of generated truth Z->ee events (about 1/3 pass the default selection)')
    .requiredOption('--seed <S>', 'root seed (integer or string); same seed and config give the same bytes')
    .requiredOption('--out <FILE>', 'output file: .parquet, .arrow or .csv (plus FILE.json sidecar)')
    .option('--config <FILE.json>', 'generator config (partial; defaults from physics.md)')
    .option('--workers <K>', 'worker threads (0 = main thread; default: up to 2)')
    .option('--chunk-events <N>', 'truth events per work unit / file chunk (does not change the output)')
    .option('--json', 'print a JSON summary on stdout')
    .action(async (flags: GenerateFlags) => {
      const { readFileSync } = await import('node:fs');
      const { generateEvents, configForMetadata, resolveGeneratorConfig } = await import('../../../generators/zee/index.js');
      const { openEventWriter } = await import('../../io/events-file.js');
      const { version } = await import('../../version.js');

      const selected = positiveInt('--events', flags.events, true);
      const truth = positiveInt('--truth-events', flags.truthEvents, true);
      if ((selected == null) === (truth == null)) throw new UsageError('--events', flags.events ?? null, 'give exactly one of --events (selected) or --truth-events');
      const workers = positiveInt('--workers', flags.workers, true);
      const chunkEvents = positiveInt('--chunk-events', flags.chunkEvents);
      if (flags.seed === '') throw new UsageError('--seed', flags.seed, 'expected a non-empty seed');
      const seed = /^(0|[1-9]\d{0,14})$/.test(flags.seed) ? Number(flags.seed) : flags.seed;

      let input: unknown = {};
      if (flags.config != null) {
        let text: string;
        try {
          text = readFileSync(flags.config, 'utf8');
        } catch (err) {
          throw new UsageError('--config', flags.config, `cannot read: ${(err as Error).message}`);
        }
        try {
          input = JSON.parse(text);
        } catch (err) {
          throw new ConfigError('', text.slice(0, 40), `invalid JSON: ${(err as Error).message}`, flags.config);
        }
      }
      const config = resolveGeneratorConfig(input as Record<string, unknown>, flags.config);
      const count = selected != null ? 'selected' : 'truth';
      const events = (selected ?? truth)!;

      const writer = await openEventWriter(flags.out, {
        config: configForMetadata(config),
        seed,
        version,
        generator: 'qmisid-bench zee',
        count,
        events,
      });
      let bar: { start(total: number, v: number): void; update(v: number): void; stop(): void } | undefined;
      if (process.stderr.isTTY) {
        const { SingleBar, Presets } = await import('cli-progress');
        bar = new SingleBar({ stream: process.stderr, format: `generate [{bar}] {percentage}% | {value}/{total} ${count} events | {eta_formatted} left` }, Presets.shades_classic);
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
        process.stdout.write(`${JSON.stringify({ out: flags.out, seed, count, events, seconds: Number(seconds.toFixed(3)), version, summary: s }, null, 2)}\n`);
      } else {
        process.stdout.write(
          `${flags.out}: ${s.selectedEvents} selected events from ${s.truthEvents} truth events in ${seconds.toFixed(2)} s; ` +
            `window OC ${s.window.oc} SC ${s.window.sc}, sidebands OC ${s.lowSideband.oc + s.highSideband.oc} SC ${s.lowSideband.sc + s.highSideband.sc}, ` +
            `fakes ${s.backgroundEvents}, mean eps ${s.meanEps.toExponential(3)}, SC fraction ${(100 * s.scFraction).toFixed(3)} %\n`,
        );
      }
    });
}
