/**
 * Checks on an output location made BEFORE any work starts, creating nothing: a command that cannot write its
 * result must say so in its first second, not after an hour of toys. Each failure is a UsageError naming the
 * flag and the path.
 */
import { accessSync, constants, mkdtempSync, readdirSync, rmdirSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/**
 * Can we create entries in directory `d`? access() alone is not enough: it says yes to root everywhere and
 * knows nothing of read-only or virtual filesystems (/proc, where Node's recursive mkdir even loops forever).
 * So make and remove a probe directory: the one thing that proves a write will work, leaving nothing behind.
 */
function canWriteIn(d: string): boolean {
  try {
    accessSync(d, constants.W_OK | constants.X_OK);
    rmdirSync(mkdtempSync(join(d, '.qmisid-probe-')));
    return true;
  } catch {
    return false;
  }
}

/** The parent directory of a new output must be creatable and writable: check its nearest existing ancestor. */
function checkCreatable(flag: string, path: string): void {
  let d = dirname(resolve(path));
  for (;;) {
    const st = statOrUndefined(d);
    if (st) {
      if (!st.isDirectory()) throw new UsageError(flag, path, `cannot be created: ${d} is a file, not a directory`);
      if (!canWriteIn(d)) throw new UsageError(flag, path, `cannot be created: directory ${d} is not writable`);
      return;
    }
    const up = dirname(d);
    if (up === d) throw new UsageError(flag, path, 'cannot be created: no existing parent directory');
    d = up;
  }
}

/** An output FILE: absent (its directory creatable) or an existing regular file (replaced atomically). */
export function checkOutputFile(flag: string, path: string): void {
  if (path.trim() === '') throw new UsageError(flag, path, 'an output file path');
  const st = statOrUndefined(path);
  if (st?.isDirectory()) throw new UsageError(flag, path, 'is an existing directory: expected a file path');
  if (st && !st.isFile()) throw new UsageError(flag, path, 'exists and is not a regular file');
  checkCreatable(flag, path);
}

/**
 * An output DIRECTORY: absent (creatable), empty, or one `accept` recognises (a previous output of the same
 * kind, e.g. holding model.json or study.json). Anything else is refused: replacing or filling an unrelated
 * directory (say `--out .`) would destroy or bury the user's files.
 */
export function checkOutputDir(flag: string, path: string, what: string, accept: (names: string[]) => boolean): void {
  if (path.trim() === '') throw new UsageError(flag, path, `an output directory (${what})`);
  const st = statOrUndefined(path);
  if (!st) {
    checkCreatable(flag, path);
    return;
  }
  if (!st.isDirectory()) throw new UsageError(flag, path, `is an existing file: expected a directory (${what})`);
  let names: string[];
  try {
    names = readdirSync(path);
  } catch {
    throw new UsageError(flag, path, 'is a directory that cannot be read');
  }
  // Our own hidden files (lock, temporaries) do not make a directory foreign.
  const visible = names.filter((n) => !n.startsWith('.'));
  if (visible.length > 0 && !accept(names)) {
    throw new UsageError(flag, path, `is a non-empty directory that is not ${what}: choose a new or empty directory`);
  }
  if (!canWriteIn(path)) throw new UsageError(flag, path, 'is a directory that is not writable');
  checkCreatable(flag, path);
}
