/**
 * bin/qmisid.js run as a command: /bin/sh reads its second line, sets glibc's malloc to one arena (unless the
 * caller chose) and execs node on the same file (docs/event-input.md, memory). A `node` stand-in on PATH
 * shows what the real one would be given; then the real command runs through the launcher.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/qmisid.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'qmisid-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A `node` that prints the arena setting it was started with and its arguments, one per line.
const fake = join(dir, 'fakebin');
mkdirSync(fake);
writeFileSync(join(fake, 'node'), '#!/bin/sh\necho "arena=${MALLOC_ARENA_MAX-unset}"\nfor a in "$@"; do echo "arg=$a"; done\n');
chmodSync(join(fake, 'node'), 0o755);
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, PATH: `${fake}:${process.env.PATH ?? ''}`, ...extra };
  if (!('MALLOC_ARENA_MAX' in extra)) delete e.MALLOC_ARENA_MAX;
  return e;
};

describe('the qmisid launcher', () => {
  it('execs node on itself with one malloc arena and the arguments unchanged', () => {
    const r = spawnSync(BIN, ['fit', '--input', 'a file.parquet', '--out', ''], { encoding: 'utf8', env: env() });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      'arena=1',
      `arg=${BIN}`,
      'arg=fit',
      'arg=--input',
      'arg=a file.parquet',
      'arg=--out',
      'arg=',
    ]);
  });

  it("keeps the caller's MALLOC_ARENA_MAX", () => {
    const r = spawnSync(BIN, ['--version'], { encoding: 'utf8', env: env({ MALLOC_ARENA_MAX: '4' }) });
    expect(r.stdout.split('\n')[0]).toBe('arena=4');
  });

  it('runs the real command through a symlink (as npm links it), exit codes included', () => {
    const link = join(dir, 'qmisid');
    symlinkSync(BIN, link);
    const ok = spawnSync(link, ['--version'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = spawnSync(link, ['fit', '--colour', 'blue'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--colour/);
  });
});
