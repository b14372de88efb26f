/**
 * Temporary files never outlive the process that made them. Every temporary name (atomic.ts) is registered
 * here until it is renamed into place; on a normal exit, an uncaught error or SIGINT/SIGTERM/SIGHUP the
 * registered paths are removed before the process ends. A kill -9 cannot be caught: the next write into the
 * same directory sweeps temporaries whose writer (this host, by pid) is gone (sweepStaleTemps).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const pending = new Map<number, () => void>();
let nextId = 0;
let installed = false;

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

function runAll(): void {
  for (const fn of [...pending.values()].reverse()) {
    try {
      fn();
    } catch {
      // Best effort on the way out: one failed removal must not keep the others from running.
    }
  }
  pending.clear();
}

function install(): void {
  if (installed || !isMainThread) return;
  installed = true;
  process.on('exit', runAll);
  for (const [sig, num] of Object.entries(SIGNALS)) {
    process.on(sig, () => {
      runAll();
      // The conventional status of a process ended by a signal.
      process.exit(128 + num);
    });
  }
}

/** Run `fn` if the process ends before the returned function is called (which unregisters it). */
export function onExit(fn: () => void): () => void {
  install();
  const id = nextId++;
  pending.set(id, fn);
  return () => {
    pending.delete(id);
  };
}

/** Six hex digits naming this host, so a sweep never judges another machine's pid (shared filesystems). */
export const HOST_TAG = createHash('sha1').update(hostname()).digest('hex').slice(0, 6);

const TEMP_RE = /^\.(.+)\.(tmp|old)-(\d+)-([0-9a-f]{6})-[0-9a-f]{8}$/;

/**
 * A fresh temporary name beside `path`: `.NAME.tmp-PID-HOST-RANDOM` for a file or directory being written,
 * `.NAME.old-…` for the previous version of a directory parked during its replacement.
 */
export function tempBeside(path: string, kind: 'tmp' | 'old' = 'tmp'): string {
  return join(dirname(path), `.${basename(path)}.${kind}-${process.pid}-${HOST_TAG}-${randomBytes(4).toString('hex')}`);
}

/** True while a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove temporaries in `dir` left by dead processes of this host. Returns the names removed. */
export function sweepStaleTemps(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (!m || m[4] !== HOST_TAG) continue;
    const pid = Number(m[3]);
    if (pid === process.pid || pidAlive(pid)) continue;
    try {
      // A parked previous directory whose replacement never arrived is the only copy: put it back.
      if (m[2] === 'old' && !existsSync(join(dir, m[1]!))) renameSync(join(dir, name), join(dir, m[1]!));
      else rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Someone else swept it first, or it is not ours to remove: leave it.
    }
  }
  return removed;
}
