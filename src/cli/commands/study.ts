/**
 * `qmisid study <name|file> --out DIR [--toys N] [--workers K] [--threads T] [--shard i/n] [--quick] [--seed S]`
 * Runs (or resumes) a closure study; exits 1 when a criterion of the study fails, 2 on bad input or when
 * another process holds DIR. A shard (--shard i/n) judges no criteria and exits 0 when its toys ran.
 */
import type { Command } from 'commander';
import { MAX_FORCED_WORKERS, MAX_TOYS } from '../../limits.js';
import { parseInteger, parseSeed, parseShard, parseWorkers } from '../flags.js';

export function register(program: Command): void {
  program
    .command('study')
    .description('run a closure study (a name from studies/ or a study file); resumes an interrupted run in the same --out')
    .argument(
      '<study>',
      'study name (closure, substructure, degeneracy, flip-smearing, background, bias-vs-n, coverage, features, selection-bias, …: the files in studies/) or a JSON file',
    )
    .requiredOption('--out <dir>', 'output directory: study.json, toys.jsonl, summary.json, report/')
    .option('--toys <n>', 'number of toys (overrides the study file)')
    .option('--workers <k>', 'worker threads running toys in parallel (0 = in the main thread; at most the cores available)', '0')
    .option('--force-workers', 'allow --workers above the number of cores')
    .option('--threads <n>', 'gradient threads per toy (default: the cores divided among the workers, so the total never exceeds them)')
    .option('--shard <i/n>', 'run only toys with index mod n == i (batch job arrays; combine with qmisid merge)')
    .option('--quick', "use the study file's quick sizes (CI)")
    .option('--seed <s>', 'root seed (overrides the study file)')
    .option('--no-report', 'do not write DIR/report/')
    .action(
      async (
        name: string,
        o: {
          out: string;
          toys?: string;
          workers: string;
          forceWorkers?: boolean;
          threads?: string;
          shard?: string;
          quick?: boolean;
          seed?: string;
          report: boolean;
        },
      ) => {
        const { runStudy } = await import('../../study/runStudy.js');
        const { printSummary } = await import('../../study/printSummary.js');
        const workers = parseWorkers('--workers', o.workers, o.forceWorkers === true);
        const threads = o.threads != null ? parseInteger('--threads', o.threads, { min: 1, max: MAX_FORCED_WORKERS }) : undefined;
        const toys = o.toys != null ? parseInteger('--toys', o.toys, { min: 1, max: MAX_TOYS }) : undefined;
        const shard = o.shard != null ? parseShard('--shard', o.shard) : undefined;
        const seed = o.seed != null ? parseSeed('--seed', o.seed) : undefined;
        const started = Date.now();
        const { summary } = await runStudy(name, {
          out: o.out,
          workers,
          ...(toys != null ? { toys } : {}),
          ...(threads != null ? { threads } : {}),
          ...(shard != null ? { shard } : {}),
          ...(o.quick ? { quick: true } : {}),
          ...(seed != null ? { seed } : {}),
          report: o.report,
          log: (l) => process.stderr.write(`${l}\n`),
        });
        process.stdout.write(printSummary(summary, (Date.now() - started) / 1000));
        // A shard judges no criteria: it succeeded when its toys ran (the merge judges them).
        if (!summary.pass) process.exitCode = 1;
      },
    );
}
