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
import { join, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { checkOutputDir } from '../../io/outputPath.js';
import { parseInputDir } from '../flags.js';

/** A report directory we may replace: one written by qmisid (report.json) — never an unrelated directory. */
const isReportDir = (names: string[]): boolean => names.includes('report.json');

export function register(program: Command): void {
  program
    .command('report')
    .description('rebuild the report of a study output directory (or re-render a report directory) without rerunning anything')
    .argument('<dir>', 'study output directory (study.json, toys.jsonl, summary.json) or report directory (report.json)')
    .option('--out <dir>', 'write the report here instead of DIR/report (study) or DIR (report directory)')
    .action(async (dir: string, o: { out?: string }) => {
      parseInputDir('DIR', dir);
      if (o.out != null) {
        if (resolve(o.out) === resolve(dir))
          throw new UsageError('--out', o.out, 'a directory other than DIR (leave --out away to rebuild in place)');
        checkOutputDir('--out', o.out, 'a report directory', isReportDir);
      }
      let manifest;
      if (['study.json', 'toys.jsonl', 'summary.json'].every((f) => existsSync(join(dir, f)))) {
        const { writeStudyReport } = await import('../../study/writeStudyReport.js');
        if (o.out != null) manifest = await writeStudyReport(dir, { outDir: o.out });
        else {
          // DIR/report is replaced inside the study directory: not while a study or merge is writing there.
          checkOutputDir('DIR', join(dir, 'report'), 'a report directory', isReportDir);
          const { acquireDirLock } = await import('../../io/dirLock.js');
          const lock = acquireDirLock(dir);
          try {
            manifest = await writeStudyReport(dir);
          } finally {
            lock.release();
          }
        }
      } else if (existsSync(join(dir, 'report.json'))) {
        const { rebuildReport } = await import('../../report/rebuildReport.js');
        manifest = await rebuildReport(dir, o.out != null ? { outDir: o.out } : {});
      } else {
        throw new UsageError(
          'DIR',
          dir,
          'a study output directory (study.json, toys.jsonl, summary.json) or a report directory (report.json)',
        );
      }
      process.stdout.write(
        `report written to ${manifest.dir}/index.html (${manifest.allPass ? 'all criteria pass' : 'some criteria fail'})\n`,
      );
      for (const [id, ws] of Object.entries(manifest.warnings)) for (const w of ws) process.stderr.write(`warning: plot ${id}: ${w}\n`);
    });
}
