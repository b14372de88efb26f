/**
 * `qmisid report DIR [--out OUT]`: rebuild a report from stored results, rerunning nothing.
 *   DIR a study output directory (study.json, toys.jsonl, summary.json): the study report is rebuilt into
 *       DIR/report (or OUT) from those three files;
 *   DIR a report directory (report.json): the report is re-rendered from its report.json.
 * The recorded version and git commit are those of the original run; only the timestamp is new
 * (SOURCE_DATE_EPOCH fixes it).
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';

export function register(program: Command): void {
  program
    .command('report')
    .description('rebuild the report of a study output directory (or re-render a report directory) without rerunning anything')
    .argument('<dir>', 'study output directory (study.json, toys.jsonl, summary.json) or report directory (report.json)')
    .option('--out <dir>', 'write the report here instead of DIR/report (study) or DIR (report directory)')
    .action(async (dir: string, o: { out?: string }) => {
      let manifest;
      if (['study.json', 'toys.jsonl', 'summary.json'].every((f) => existsSync(join(dir, f)))) {
        const { writeStudyReport } = await import('../../study/writeStudyReport.js');
        manifest = await writeStudyReport(dir, o.out != null ? { outDir: o.out } : {});
      } else if (existsSync(join(dir, 'report.json'))) {
        const { rebuildReport } = await import('../../report/rebuildReport.js');
        manifest = await rebuildReport(dir, o.out != null ? { outDir: o.out } : {});
      } else {
        throw new UsageError('DIR', dir, 'a study output directory (study.json, toys.jsonl, summary.json) or a report directory (report.json)');
      }
      process.stdout.write(`report written to ${manifest.dir}/index.html (${manifest.allPass ? 'all criteria pass' : 'some criteria fail'})\n`);
      for (const [id, ws] of Object.entries(manifest.warnings)) for (const w of ws) process.stderr.write(`warning: plot ${id}: ${w}\n`);
    });
}
