/** `qmisid fit` end to end on a small event file: output JSON, flags, typed errors and no partial output. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { Binning } from '../../src/binning/Binning.js';
import { register } from '../../src/cli/commands/fit.js';
import { UsageError, DataError } from '../../src/errors.js';
import { writeEvents } from '../../src/io/eventsFile.js';
import { toyTable } from '../truth/toyTable.js';

const dir = mkdtempSync(join(tmpdir(), 'qmisid-fit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<void> {
  const program = new Command('qmisid').exitOverride();
  register(program);
  await program.parseAsync(['node', 'qmisid', 'fit', ...args]);
}

const binning = Binning.fromEdges([0, 1.0, 2.47], [25, 60, 1000]);
const binEps = [2e-3, 1e-3, 1e-2, 5e-3];

describe('qmisid fit', async () => {
  const input = join(dir, 'events.csv');
  const table = toyTable(binning, { n: 20000, seed: 'cli/fit', eps: (pt, a) => binEps[binning.index(pt, a)] ?? 0.05, sideband: 0.2 });
  await writeEvents(input, table, { config: {}, seed: 'cli/fit', version: 'test' });

  it('writes the fit JSON with eps, errors, covariance, status, diagnostics and truth', async () => {
    const out = join(dir, 'fit.json');
    await run(['--input', input, '--out', out, '--bins-eta', '0,1.0,2.47', '--bins-pt', '25,60,1000', '--region', 'sideband-subtracted']);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.status).toBe('converged');
    expect(j.region).toBe('sideband-subtracted');
    expect(j.labels).toEqual(binning.labels());
    expect(j.eps).toHaveLength(4);
    expect(j.cov).toHaveLength(4);
    expect(j.identifiability.identifiable).toBe(true);
    expect(j.branch).toBe('low');
    expect(j.truth.meanTruthEps[2]).toBeCloseTo(1e-2, 12);
    for (let k = 0; k < 4; k++) expect(Math.abs(j.eps[k] - binEps[k]!) / j.errSandwich[k]).toBeLessThan(4);
  });

  it('--folded fits the forward-folded model with the given flip response', async () => {
    const out = join(dir, 'folded.json');
    // The toy has no energy loss, so the folded fit with a null response must recover the truth like the plain one.
    await run([
      '--input',
      input,
      '--out',
      out,
      '--bins-eta',
      '0,1.0,2.47',
      '--bins-pt',
      '25,60,1000',
      '--folded',
      '--loss-mean',
      '0',
      '--extra-smear',
      '0',
      '--seed',
      '5',
    ]);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.status).toBe('converged');
    // One seed rule (src/cli/flags.ts): a canonical integer is stored as a number.
    expect(j.folded).toEqual({ response: { lossMean: 0, extraSmear: 0 }, replicas: 16, seed: 5 });
    for (let k = 0; k < 4; k++) expect(Math.abs(j.eps[k] - binEps[k]!) / j.errSandwich[k]).toBeLessThan(4);
  });

  it('bad flags are UsageErrors naming the flag, and nothing is written', async () => {
    const outF = join(dir, 'bad-folded.json');
    await expect(run(['--input', input, '--out', outF, '--folded', '--extra-smear', '0.02'])).rejects.toThrow(
      /--loss-mean undefined: a fraction/,
    );
    await expect(run(['--input', input, '--out', outF, '--folded', '--loss-mean', '0.01', '--extra-smear', '1.5'])).rejects.toThrow(
      /--extra-smear "1\.5"/,
    );
    await expect(run(['--input', input, '--out', outF, '--loss-mean', '0.01'])).rejects.toThrow(/only with --folded/);
    await expect(
      run(['--input', input, '--out', outF, '--folded', '--loss-mean', '0', '--extra-smear', '0', '--replicas', '0']),
    ).rejects.toThrow(/--replicas "0"/);
    await expect(
      run(['--input', input, '--out', outF, '--folded', '--loss-mean', '0', '--extra-smear', '0', '--replicas', '70000']),
    ).rejects.toThrow(/--replicas "70000": an integer in 1\.\.65535/);
    expect(existsSync(outF)).toBe(false);
    const out = join(dir, 'bad.json');
    await expect(run(['--input', input, '--out', out, '--bins-eta', '0,1.0,0.5'])).rejects.toThrow(UsageError);
    await expect(run(['--input', input, '--out', out, '--bins-eta', '0,1.0,0.5'])).rejects.toThrow(
      /--bins-eta "0,1\.0,0\.5": strictly increasing.*bins\.eta\[2\]: 0\.5/,
    );
    await expect(run(['--input', input, '--out', out, '--bins-pt', '25,x'])).rejects.toThrow(/--bins-pt "25,x"/);
    await expect(run(['--input', input, '--out', out, '--region', 'peak'])).rejects.toThrow(/--region "peak"/);
    await expect(run(['--input', input, '--out', out, '--weights', 'nope'])).rejects.toThrow(DataError);
    await expect(run(['--input', join(dir, 'missing.csv'), '--out', out])).rejects.toThrow(/no such file/);
    expect(existsSync(out)).toBe(false);
  });
});
