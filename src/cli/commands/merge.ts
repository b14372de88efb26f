/**
 * `qmisid merge DIR… --out DIR`: combine the shards (or partial runs) of one study into one output directory.
 * The study's criteria are judged here, on the merged records (shards do not judge them): exit 1 when one
 * fails, 2 on bad input.
 */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('merge')
    .description('merge study outputs (shards) into one directory: toys sorted by index, summary recomputed, criteria judged')
    .argument('<dirs...>', 'study output directories of the same study')
    .requiredOption('--out <dir>', 'merged output directory')
    .option('--no-report', 'do not write DIR/report/')
    .action(async (dirs: string[], o: { out: string; report: boolean }) => {
      const { mergeRuns } = await import('../../study/mergeRuns.js');
      const { printSummary } = await import('../../study/printSummary.js');
      const summary = mergeRuns(dirs, o.out);
      if (o.report) {
        const { writeStudyReport } = await import('../../study/writeStudyReport.js');
        const { acquireDirLock } = await import('../../io/dirLock.js');
        const lock = acquireDirLock(o.out);
        try {
          await writeStudyReport(o.out);
        } finally {
          lock.release();
        }
      }
      process.stdout.write(printSummary(summary));
      if (!summary.pass) process.exitCode = 1;
    });
}
