/**
 * The real process, as users run it (bin/qmisid.js on the compiled tree; `npm test` compiles first):
 *   - a handful of bad inputs prove the exit status 2 and the one-line message of the installed command;
 *   - two studies on one directory: one wins, the other exits 2 naming the lock holder; the winner, ended
 *     by SIGTERM, exits 143 and leaves no lock and no temporary file; the directory stays valid — the
 *     study resumes to completion and `report` rebuilds its report;
 *   - a generate killed by SIGTERM mid-write leaves nothing at or beside its output.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCK_FILE } from '../../src/io/dirLock.js';
import { runCli } from './harness.js';

const BIN = fileURLToPath(new URL('../../bin/qmisid.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

function expectCleanError(r: { status: number | null; stderr: string }, ...needles: string[]): void {
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^qmisid: /);
  for (const n of needles) expect(lines[0]).toContain(n);
}

const until = async (cond: () => boolean, what: string, ms = 240_000): Promise<void> => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const exited = (p: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> =>
  new Promise((resolve) => {
    let stderr = '';
    p.stderr?.on('data', (d) => (stderr += String(d)));
    p.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });

describe('spawned qmisid', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qmisid-spawn-'));

  it('exits 2 with one line naming flag and value, in a real process', () => {
    expectCleanError(run('generate', '--events', '10', '--seed', '', '--out', join(dir, 'a.parquet')), '--seed', '""');
    expectCleanError(run('train', '--input', join(dir, 'none.parquet'), '--out', join(dir, 'm'), '--hidden', ''), '--hidden', '""');
    expectCleanError(run('study', 'closure', '--out', join(dir, 's'), '--toys', '1e12'), '--toys', '"1e12"');
    expectCleanError(run('apply', '--model', join(dir, 'nomodel'), '--input', 'x.parquet', '--out', join(dir, 'o.parquet')), '--model');
    expectCleanError(
      run('generate', '--events', '10', '--seed', '1', '--workers', '999', '--out', join(dir, 'b.parquet')),
      '--workers',
      '"999"',
      '--force-workers',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('train with an unreadable file exits 2 at once: no thread is left running', () => {
    // qmisid train reads its events in a thread of its own (readTrainingTable.ts); a read error must reach the
    // command as an input error and leave no thread (reader or gradient) that keeps the process alive.
    const own = mkdtempSync(join(tmpdir(), 'qmisid-spawn-train-'));
    const csv = join(own, 'no-sc.csv');
    writeFileSync(csv, 'pt1,eta1,pt2,eta2\n40,0.1,35,-0.3\n');
    const model = join(own, 'm-no-sc');
    const r = spawnSync(process.execPath, [BIN, 'train', '--input', csv, '--out', model, '--epochs', '1'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.signal, 'still running after 60 s: a thread was left running').toBeNull();
    expectCleanError(r, csv, 'sc');
    expect(existsSync(model)).toBe(false);
  });

  it('two studies on one directory: one runs, the other exits 2 naming the holder; the directory stays valid', async () => {
    const study = join(dir, 'slow.json');
    writeFileSync(
      study,
      JSON.stringify({
        name: 'slow',
        description: 'concurrency test',
        seed: 5,
        toys: 8,
        events: 10000,
        binning: { eta: [0, 1.37, 2.47], pt: [25, 60, 1000] },
        estimators: [{ name: 'binned', kind: 'binned' }],
      }),
    );
    const out = join(dir, 'shared');
    const a = spawn(process.execPath, [BIN, 'study', study, '--out', out, '--no-report'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const aDone = exited(a);
    // Wait until A holds the lock and has recorded a toy, then freeze it (SIGSTOP) so it still holds the lock
    // however fast or slow this machine is, and start B (another seed: it must not get in).
    await until(
      () => existsSync(join(out, 'toys.jsonl')) && readFileSync(join(out, 'toys.jsonl'), 'utf8').length > 0,
      'the first study to record a toy',
    );
    a.kill('SIGSTOP');
    const b = run('study', study, '--out', out, '--seed', '6', '--no-report');
    expectCleanError(b, out, `in use by pid ${a.pid}`, 'study');
    // End A the way a batch system does (SIGTERM, then let it run to see it): it must release the lock and
    // leave no temporary file, only complete records.
    a.kill('SIGTERM');
    a.kill('SIGCONT');
    const ra = await aDone;
    expect(ra.code, ra.stderr).toBe(143);
    // reference.json: the reachable targets' independent sample, written before the first toy.
    expect(readdirSync(out).sort()).toEqual(['reference.json', 'study.json', 'toys.jsonl']);
    // Resume in-process to completion, then rebuild the report: the directory is valid.
    const before = readFileSync(join(out, 'toys.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '').length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(8);
    const resumed = await runCli(['study', study, '--out', out, '--no-report']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`resuming: ${before} toys already`));
    const toys = readFileSync(join(out, 'toys.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l).toy as number);
    expect([...toys].sort((x, y) => x - y)).toEqual(Array.from({ length: 8 }, (_, i) => i));
    const rep = await runCli(['report', out]);
    expect(rep.code, rep.stderr).toBe(0);
    expect(existsSync(join(out, 'report', 'index.html'))).toBe(true);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });

  it('a generate ended by SIGTERM mid-write leaves nothing at or beside its output', async () => {
    const outDir = join(dir, 'gen');
    const g = spawn(
      process.execPath,
      [BIN, 'generate', '--truth-events', '50000000', '--seed', '1', '--workers', '0', '--out', join(outDir, 'big.parquet')],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const gDone = exited(g);
    await until(() => existsSync(outDir) && readdirSync(outDir).some((f) => f.includes('.tmp-')), 'the temporary file');
    g.kill('SIGTERM');
    const r = await gDone;
    expect(r.code, `${r.signal} ${r.stderr}`).toBe(143);
    // Not even the directory it created for the output.
    expect(existsSync(outDir)).toBe(false);
  });
});
