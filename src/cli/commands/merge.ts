/**
 * `qmisid merge DIR… --out DIR`: combine the shards (or partial runs) of one study into one output directory.
 */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('merge')
    .description('merge study outputs (shards) into one directory: toys sorted by index, summary recomputed')
    .argument('<dirs...>', 'study output directories of the same study')
    .requiredOption('--out <dir>', 'merged output directory')
    .option('--no-report', 'do not write DIR/report/')
    .action(async (dirs: string[], o: { out: string; report: boolean }) => {
      const { mergeRuns } = await import('../../study/mergeRuns.js');
      const { printSummary } = await import('../../study/printSummary.js');
      const { writeStudyReport } = await import('../../study/writeStudyReport.js');
      const summary = mergeRuns(dirs, o.out);
      if (o.report) await writeStudyReport(o.out);
      process.stdout.write(printSummary(summary));
      if (!summary.pass) process.exitCode = 1;
    });
}
