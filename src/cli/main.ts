/**
 * The `qmisid` command. Each subcommand lives in src/cli/commands/<name>.ts and exports `register`.
 * Exit codes (docs/reliability.md): 0 done; 1 a judged criterion failed or a fit failed; 2 bad input —
 * one line naming the path/column/flag and the value, nothing written. An operating-system error on a named
 * file that slipped past the typed checks is reported the same way; anything else is a bug and prints its
 * stack (bin/qmisid.js).
 */
import { Command, CommanderError } from 'commander';
import { QmisidError, fileError } from '../errors.js';
import { version } from '../version.js';

type Register = (program: Command) => void;

// Loaded lazily so `qmisid --help` does not pay for TensorFlow.js or Vega.
const COMMANDS: Record<string, () => Promise<{ register: Register }>> = {
  generate: () => import('./commands/generate.js'),
  train: () => import('./commands/train.js'),
  apply: () => import('./commands/apply.js'),
  convert: () => import('./commands/convert.js'),
  fit: () => import('./commands/fit.js'),
  study: () => import('./commands/study.js'),
  merge: () => import('./commands/merge.js'),
  report: () => import('./commands/report.js'),
  calibrate: () => import('./commands/calibrate.js'),
  export: () => import('./commands/export.js'),
  check: () => import('./commands/check.js'),
};

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('qmisid')
    .description('qmisid-bench: toy Z->ee generator, charge-flip estimators and closure studies')
    .version(version)
    .exitOverride()
    .showHelpAfterError();
  for (const load of Object.values(COMMANDS)) (await load()).register(program);
  // Commands report "criterion failed" through process.exitCode; start each call clean (tests call main twice).
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof QmisidError) {
      process.stderr.write(`qmisid: ${err.message}\n`);
      return 2;
    }
    const e = err as NodeJS.ErrnoException;
    if (e != null && typeof e.code === 'string' && typeof e.path === 'string') {
      process.stderr.write(`qmisid: ${fileError(e.path, e.syscall ? `${e.syscall} failed` : 'file error', e).message}\n`);
      return 2;
    }
    throw err;
  }
}
