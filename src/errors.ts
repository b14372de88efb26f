/**
 * Every error the bench raises on purpose. Each one names where the problem is (a config path, a file and
 * column, a CLI flag) and the offending value, so a physicist can fix the input without reading code.
 * Messages state what was expected and end without a period.
 */

/** Base class: `instanceof QmisidError` separates input problems from programming errors. */
export class QmisidError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return String(value);
  }
}

/** A configuration value (generator, study, trainer, fit) is invalid. `path` is dotted, e.g. `detector.resolution.barrel.a`. */
export class ConfigError extends QmisidError {
  constructor(
    readonly path: string,
    readonly value: unknown,
    readonly expected: string,
    readonly source?: string,
  ) {
    super(`${source ? `${source}: ` : ''}config ${path || '<root>'} = ${show(value)}: ${expected}`);
  }
}

/** A data file or an in-memory column is unusable: missing column, wrong length, non-finite value, unknown format. */
export class DataError extends QmisidError {
  constructor(
    readonly file: string,
    readonly column: string | undefined,
    readonly detail: string,
    readonly value?: unknown,
  ) {
    super(`${file}${column ? ` column ${column}` : ''}: ${detail}${value !== undefined ? ` (got ${show(value)})` : ''}`);
  }
}

/** A command-line flag has a value that cannot be used. */
export class UsageError extends QmisidError {
  constructor(
    readonly flag: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${flag} ${show(value)}: ${expected}`);
  }
}

/** A numerical procedure (fit, training) could not produce a trustworthy result. Kept, counted, never dropped. */
export class NumericalError extends QmisidError {
  constructor(
    readonly stage: string,
    detail: string,
  ) {
    super(`${stage}: ${detail}`);
  }
}

/** Another live process holds the lock of a run directory (src/io/dirLock.ts). */
export class LockError extends QmisidError {
  constructor(
    readonly dir: string,
    readonly holder: { pid: number; host: string; started: string; command?: string },
  ) {
    super(
      `${dir}: in use by pid ${holder.pid} on ${holder.host} since ${holder.started}${holder.command ? ` (${holder.command})` : ''}: ` +
        'wait for it to finish or choose another --out (remove the lock file only if that process is gone)',
    );
  }
}

/** An operating-system error while reading or writing `path`, as a DataError naming the path and what failed. */
export function fileError(path: string, doing: string, err: unknown): QmisidError {
  if (err instanceof QmisidError) return err;
  const e = err as NodeJS.ErrnoException;
  const why = e?.code ? `${e.code}${e.syscall ? ` (${e.syscall})` : ''}` : String(e?.message ?? err);
  return new DataError(path, undefined, `${doing}: ${why}`);
}
