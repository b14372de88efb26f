/**
 * Atomic output: write beside the target, flush, then rename over it. A crash or a bad input mid-way leaves
 * the previous file (or nothing) in place, never a truncated one. The temporary name is removed on every exit
 * path (cleanup.ts: errors, normal exit, SIGINT/SIGTERM/SIGHUP); temporaries of killed processes are swept
 * by the next write into the same directory. Directories created for the output are removed again when the
 * write fails, so a failed command leaves nothing at or beside its output.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileError } from '../errors.js';
import { onExit, sweepStaleTemps, tempBeside } from './cleanup.js';

export { tempBeside } from './cleanup.js';

/**
 * mkdir -p that remembers what it made: `undo()` removes the directories it created, deepest first, as long
 * as they are empty (a failed write must not leave a new empty directory tree behind).
 */
export function makeParents(dir: string, forPath = dir): { undo: () => void } {
  let first: string | undefined;
  try {
    first = mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw fileError(forPath, 'cannot create its directory', err);
  }
  return {
    undo() {
      if (first == null) return;
      let d = dir;
      for (;;) {
        try {
          if (readdirSync(d).length > 0) return;
          rmdirSync(d);
        } catch {
          return;
        }
        if (d === first) return;
        const up = dirname(d);
        if (up === d) return;
        d = up;
      }
    },
  };
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const parents = makeParents(dirname(path), path);
  sweepStaleTemps(dirname(path));
  const tmp = tempBeside(path);
  const forget = onExit(() => {
    rmSync(tmp, { force: true });
    parents.undo();
  });
  try {
    const fd = openSync(tmp, 'w');
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    parents.undo();
    throw fileError(path, 'cannot write', err);
  } finally {
    forget();
  }
}

/** A directory being built beside its target: fill `tmp`, then `commit()` swaps it in, or `abort()` drops it. */
export interface DirInProgress {
  tmp: string;
  commit(): void;
  abort(): void;
}

/**
 * Start building `dir` in a temporary directory beside it (same parent, so the final rename is atomic). The
 * temporary is removed on every exit path until commit(); commit() swaps it in for `dir` (the old directory
 * survives until the new one is in place); abort() removes it and any parent directories made for it.
 */
export function beginDirAtomic(dir: string): DirInProgress {
  const parents = makeParents(dirname(dir), dir);
  sweepStaleTemps(dirname(dir));
  const tmp = tempBeside(dir);
  const forgetTmp = onExit(() => {
    rmSync(tmp, { recursive: true, force: true });
    parents.undo();
  });
  try {
    mkdirSync(tmp, { recursive: true });
  } catch (err) {
    forgetTmp();
    parents.undo();
    throw fileError(dir, 'cannot write', err);
  }
  let done = false;
  return {
    tmp,
    abort() {
      if (done) return;
      done = true;
      rmSync(tmp, { recursive: true, force: true });
      parents.undo();
      forgetTmp();
    },
    commit() {
      if (done) throw new Error('directory already committed or aborted');
      done = true;
      try {
        // The previous directory is parked under a name the sweep restores (not deletes) if we die right here.
        const old = existsSync(dir) ? tempBeside(dir, 'old') : undefined;
        const forgetOld = old
          ? onExit(() => (existsSync(dir) ? rmSync(old, { recursive: true, force: true }) : renameSync(old, dir)))
          : () => {};
        try {
          if (old) renameSync(dir, old);
          try {
            renameSync(tmp, dir);
          } catch (err) {
            if (old) renameSync(old, dir);
            rmSync(tmp, { recursive: true, force: true });
            throw fileError(dir, 'cannot move the new directory into place', err);
          }
          if (old) rmSync(old, { recursive: true, force: true });
        } finally {
          forgetOld();
        }
      } finally {
        forgetTmp();
      }
    },
  };
}

/**
 * Build a whole directory with `fill(tmpDir)`, then swap it in for `dir`. The old directory survives until
 * the new one is complete; if `fill` throws, the old one is untouched and the partial one is removed.
 */
export async function writeDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void> | void): Promise<void> {
  const job = beginDirAtomic(dir);
  try {
    await fill(job.tmp);
  } catch (err) {
    job.abort();
    throw fileError(dir, 'cannot write', err);
  }
  job.commit();
}
