/**
 * `qmisid study <name|file> --out DIR [--toys N] [--workers K] [--shard i/n] [--quick] [--seed S]`
 * Runs (or resumes) a closure study; exits 1 when a criterion of the study fails, 2 on bad input.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';

function positiveInt(flag: string, v: string, min = 1): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(flag, v, `an integer >= ${min}`);
  return n;
}

export function register(program: Command): void {
  program
    .command('study')
    .description('run a closure study (a name from studies/ or a study file); resumes an interrupted run in the same --out')
    .argument('<study>', 'study name (closure, substructure, degeneracy, flip-smearing, background, bias-vs-n, coverage) or a JSON file')
    .requiredOption('--out <dir>', 'output directory: study.json, toys.jsonl, summary.json, report/')
    .option('--toys <n>', 'number of toys (overrides the study file)')
    .option('--workers <k>', 'worker threads running toys in parallel (0 = in the main thread)', '0')
    .option('--threads <n>', 'gradient threads per toy (default: the cores divided among the workers, so the total never exceeds them)')
    .option('--shard <i/n>', 'run only toys with index mod n == i (batch job arrays; combine with qmisid merge)')
    .option('--quick', 'use the study file\'s quick sizes (CI)')
    .option('--seed <s>', 'root seed (overrides the study file)')
    .option('--no-report', 'do not write DIR/report/')
    .action(async (name: string, o: { out: string; toys?: string; workers: string; threads?: string; shard?: string; quick?: boolean; seed?: string; report: boolean }) => {
      const { runStudy } = await import('../../study/runStudy.js');
      const { parseShard } = await import('../../study/shard.js');
      const { printSummary } = await import('../../study/printSummary.js');
      const { writeStudyReport } = await import('../../study/writeStudyReport.js');
      const seed = o.seed == null ? undefined : /^-?\d+$/.test(o.seed) ? Number(o.seed) : o.seed;
      const started = Date.now();
      const { summary } = await runStudy(name, {
        out: o.out,
        workers: positiveInt('--workers', o.workers, 0),
        ...(o.toys != null ? { toys: positiveInt('--toys', o.toys) } : {}),
        ...(o.threads != null ? { threads: positiveInt('--threads', o.threads) } : {}),
        ...(o.shard != null ? { shard: parseShard(o.shard) } : {}),
        ...(o.quick ? { quick: true } : {}),
        ...(seed != null ? { seed } : {}),
        log: (l) => process.stderr.write(`${l}\n`),
      });
      if (o.report) await writeStudyReport(o.out);
      process.stdout.write(printSummary(summary, (Date.now() - started) / 1000));
      if (!summary.pass) process.exitCode = 1;
    });
}
