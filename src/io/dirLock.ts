/**
 * One writer per run directory. `qmisid study`, `merge` and `report` take DIR/.qmisid.lock before they write
 * into DIR and drop it when they end (normally, on an error or on SIGINT/SIGTERM/SIGHUP). The lock file names
 * its holder — pid, host, start time, command — and is created complete in one step (written under a
 * temporary name, then hard-linked into place, which fails if the lock exists), so a reader never sees a
 * half-written lock. A lock whose holder is gone (same host, pid no longer running, e.g. after kill -9) is
 * stale and taken over; a live holder, or one on another host whose pid cannot be checked, makes the second
 * writer fail with a LockError naming the holder (exit 2). Two writers therefore never interleave records.
 */
import { linkSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, closeSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DataError, LockError, fileError } from '../errors.js';
import { onExit, pidAlive, tempBeside } from './cleanup.js';

export const LOCK_FILE = '.qmisid.lock';

export interface LockHolder {
  pid: number;
  host: string;
  started: string;
  command: string;
}

export interface DirLock {
  readonly file: string;
  release(): void;
}

function readHolder(file: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileError(file, 'cannot read the lock file', err);
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (Number.isInteger(h.pid) && typeof h.host === 'string') return h;
  } catch {
    // fall through
  }
  throw new DataError(file, undefined, 'is not a qmisid lock file (remove it if no qmisid process uses this directory)', text.slice(0, 60));
}

/** Create `file` holding `text` only if it does not exist, in one step. False when it exists. */
function createExclusive(file: string, text: string): boolean {
  const tmp = tempBeside(file);
  try {
    writeFileSync(tmp, text);
    try {
      linkSync(tmp, file);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    }
    // No hard links on this filesystem: exclusive create, then write (a reader may briefly see it empty).
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return true;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Take the lock of `dir` (which must exist) or throw a LockError naming the live holder. */
export function acquireDirLock(dir: string, command = process.argv.slice(2).join(' ')): DirLock {
  const file = join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command: command.slice(0, 200) };
  const text = `${JSON.stringify(me)}\n`;
  for (let attempt = 0; attempt < 5; attempt++) {
    let created: boolean;
    try {
      created = createExclusive(file, text);
    } catch (err) {
      throw fileError(file, 'cannot create the lock file', err);
    }
    if (created) {
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        forget();
        // Only remove the lock if it is still ours.
        try {
          if (readFileSync(file, 'utf8') === text) rmSync(file, { force: true });
        } catch {
          // already gone
        }
      };
      const forget = onExit(release);
      return { file, release };
    }
    const holder = readHolder(file);
    if (holder == null) continue; // released between our attempt and the read: try again
    if (holder.host !== me.host || pidAlive(holder.pid)) throw new LockError(dir, holder);
    // Stale: its process is gone. Move it aside under a unique name (only one taker can move a given file),
    // and check that what we moved is the stale lock, not a fresh one another taker just created.
    const aside = tempBeside(file);
    try {
      renameSync(file, aside);
    } catch {
      continue;
    }
    const moved = readFileSync(aside, 'utf8');
    if (moved !== `${JSON.stringify(holder)}\n` && readHolderText(moved)?.pid !== holder.pid) {
      // We moved a live lock: give it back (link fails if yet another one appeared) and report its holder.
      try {
        linkSync(aside, file);
      } catch {
        // nothing to restore onto
      }
      rmSync(aside, { force: true });
      throw new LockError(dir, readHolderText(moved) ?? holder);
    }
    rmSync(aside, { force: true });
  }
  throw new DataError(file, undefined, 'could not take the lock after 5 attempts (another process keeps taking it)');
}

function readHolderText(text: string): LockHolder | undefined {
  try {
    return JSON.parse(text) as LockHolder;
  } catch {
    return undefined;
  }
}
