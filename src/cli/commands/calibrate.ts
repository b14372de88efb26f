/**
 * `qmisid calibrate <study> --out DIR [--toys N] [--quick] [--workers K] [--write]`
 * Measures each criterion's false-alarm rate on null toys and its power against injected defects.
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
    .command('calibrate')
    .description(
      "measure a study's criteria: false-alarm rate on null toys (groups of the study's toy count) and power against injected defects",
    )
    .argument('<study>', 'study name or JSON file (its `calibration` block says how many null toys and which null configuration)')
    .requiredOption('--out <dir>', 'output directory for the null toys and calibration.json (resumable)')
    .option('--toys <n>', 'null toys (overrides calibration.toys)')
    .option('--quick', "calibrate the study's quick configuration")
    .option('--workers <k>', 'worker threads (0 = main thread)', '0')
    .option('--stored', 'run no toy: calibrate from the null toys the directory already holds (a null run stopped early)')
    .option('--write', 'also write studies/calibration/<study>[.quick].json beside the study file')
    .action(
      async (name: string, o: { out: string; toys?: string; quick?: boolean; workers: string; write?: boolean; stored?: boolean }) => {
        const { runCalibration } = await import('../../study/runCalibration.js');
        const { printCalibration } = await import('../../study/printCalibration.js');
        const { calibration, written } = await runCalibration(name, {
          out: o.out,
          workers: positiveInt('--workers', o.workers, 0),
          ...(o.toys != null ? { toys: positiveInt('--toys', o.toys) } : {}),
          ...(o.quick ? { quick: true } : {}),
          ...(o.write ? { write: true } : {}),
          ...(o.stored ? { stored: true } : {}),
          log: (l) => process.stderr.write(`${l}\n`),
        });
        process.stdout.write(printCalibration(calibration));
        if (written) process.stdout.write(`written: ${written}\n`);
        if (calibration.criteria.some((c) => c.calibration.status === 'failed')) process.exitCode = 1;
      },
    );
}
