/**
 * One call of an external estimator on one sample, start to finish: write the sample and manifest
 * (writeToySample.ts), run the command (runCommand.ts), read and check its answer (readExternalOutput.ts),
 * remove the directory unless asked to keep it. The study adapter (src/study/estimators/external.ts) and any
 * other caller (e.g. `qmisid check`) share it. A program that fails, hangs or answers badly is a
 * NumericalError / DataError carrying its message: the caller counts it as a failed run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NumericalError } from '../errors.js';
import type { EventTable } from '../events/columns.js';
import type { ExternalOutput } from './protocol.js';
import { readExternalOutput } from './readExternalOutput.js';
import { runCommand } from './runCommand.js';
import { writeToySample, type ToySampleSpec } from './writeToySample.js';

export interface ExternalRun extends ToySampleSpec {
  command: readonly string[];
  cwd: string;
  timeoutSeconds: number;
  keep?: boolean;
}

export async function runExternal(table: EventTable, run: ExternalRun): Promise<ExternalOutput> {
  const dir = mkdtempSync(join(tmpdir(), 'qmisid-ext-'));
  try {
    const { manifestPath, manifest } = await writeToySample(dir, table, run);
    const res = await runCommand(run.command, { cwd: run.cwd, manifestPath, timeoutMs: run.timeoutSeconds * 1000 });
    const tail = res.stderr.trim().split('\n').slice(-5).join(' | ');
    const stage = `external ${run.command.join(' ')}`;
    if (res.spawnError) throw new NumericalError(stage, `could not start: ${res.spawnError}`);
    if (res.timedOut) throw new NumericalError(stage, `timed out after ${run.timeoutSeconds} s${tail ? `: ${tail}` : ''}`);
    if (res.code !== 0) throw new NumericalError(stage, `exit ${res.code ?? res.signal}${tail ? `: ${tail}` : ''}`);
    return readExternalOutput(manifest.output, table.n);
  } finally {
    if (!run.keep) rmSync(dir, { recursive: true, force: true });
  }
}
