/**
 * Run-directory locks (src/io/dirLock.ts) and temporary-file cleanup (src/io/cleanup.ts), in-process: a live
 * holder refuses a second writer and is named; a stale lock (dead pid, this host) is taken over; a lock from
 * another host is respected; temporaries of dead processes are swept, those of live ones kept.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LockError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/io/atomic.js';
import { HOST_TAG, sweepStaleTemps } from '../../src/io/cleanup.js';
import { LOCK_FILE, acquireDirLock } from '../../src/io/dirLock.js';

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('run-directory lock', () => {
  it('refuses a second writer while the first holds it, naming pid, host and start; then frees the directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-lock-'));
    const a = acquireDirLock(dir, 'study a');
    const held = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    expect(held).toMatchObject({ pid: process.pid, host: hostname(), command: 'study a' });
    expect(() => acquireDirLock(dir, 'study b')).toThrow(LockError);
    expect(() => acquireDirLock(dir, 'study b')).toThrow(
      new RegExp(`in use by pid ${process.pid} on ${hostname()} since ${held.started}.*study a`),
    );
    a.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const b = acquireDirLock(dir, 'study b');
    b.release();
  });

  it('takes over a stale lock whose process is gone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-lock-'));
    const pid = deadPid();
    writeFileSync(
      join(dir, LOCK_FILE),
      `${JSON.stringify({ pid, host: hostname(), started: '2020-01-01T00:00:00.000Z', command: 'killed' })}\n`,
    );
    const lock = acquireDirLock(dir, 'new');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('respects a lock held from another host (its pid cannot be checked here)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-lock-'));
    writeFileSync(
      join(dir, LOCK_FILE),
      `${JSON.stringify({ pid: deadPid(), host: 'elsewhere.example', started: '2020-01-01T00:00:00.000Z', command: 'remote' })}\n`,
    );
    expect(() => acquireDirLock(dir)).toThrow(/in use by pid \d+ on elsewhere\.example/);
  });

  it('a lock file that is not ours is an error naming it, not silently overwritten', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-lock-'));
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    expect(() => acquireDirLock(dir)).toThrow(new RegExp(`${LOCK_FILE}: is not a qmisid lock file`));
  });
});

describe('temporary files', () => {
  it('sweeps temporaries of dead processes of this host and keeps live or foreign ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-sweep-'));
    const dead = `.events.parquet.tmp-${deadPid()}-${HOST_TAG}-deadbeef`;
    const live = `.events.parquet.tmp-${process.ppid}-${HOST_TAG}-cafef00d`;
    const foreign = `.events.parquet.tmp-${deadPid()}-${HOST_TAG === 'abcdef' ? '123456' : 'abcdef'}-00000000`;
    for (const f of [dead, live, foreign]) writeFileSync(join(dir, f), 'x');
    writeFileAtomic(join(dir, 'other.json'), '{}');
    expect(readdirSync(dir).sort()).toEqual([live, foreign, 'other.json'].sort());
  });

  it('puts a parked directory back when its replacement never arrived', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-sweep-'));
    const parked = join(dir, `.model.old-${deadPid()}-${HOST_TAG}-0badf00d`);
    writeFileSync(join(dir, 'placeholder'), '');
    mkdirSync(parked);
    writeFileSync(join(parked, 'model.json'), '{}');
    expect(sweepStaleTemps(dir)).toHaveLength(1);
    expect(readFileSync(join(dir, 'model', 'model.json'), 'utf8')).toBe('{}');
  });
});
