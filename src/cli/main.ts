/**
 * The `qmisid` command. Each subcommand lives in src/cli/commands/<name>.ts and exports `register`.
 * Input errors (QmisidError) print one line naming the path/column/flag and value and exit with code 2;
 * anything else is a bug and prints its stack.
 */
import { Command, CommanderError } from 'commander';
import { QmisidError } from '../errors.js';
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
  check: () => import('./commands/check.js'),
};

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('qmisid')
    .description('qmisid-bench: toy Z->ee generator, charge-flip estimators and closure studies')
    .version(version)
    .exitOverride()
    .showHelpAfterError();
  for (const load of Object.values(COMMANDS)) (await load()).register(program);
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof QmisidError) {
      process.stderr.write(`qmisid: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
