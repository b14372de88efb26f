/**
 * Every command-line value is parsed and validated here, once, by one rule per kind of value; the commands in
 * src/cli/commands/ only call these. A bad value is a UsageError naming the flag and what was typed (exit 2),
 * raised before any file is read or written. Bounds come from src/limits.ts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import { MAX_FORCED_WORKERS, MAX_SEED_LENGTH, MAX_TOYS, maxWorkers } from '../limits.js';
import type { Binning } from '../binning/Binning.js';
import type { Shard } from '../study/shard.js';
import type { Seed } from '../rng.js';
import { checkOutputDir, checkOutputFile } from '../io/outputPath.js';

/**
 * A root seed. One rule in every command: the seed is the text typed. A canonical decimal integer (no sign
 * other than a leading `-`, no leading zeros, a safe integer) is stored as that number, anything else as the
 * string — and since the random streams are seeded with String(seed) (src/rng.ts), `--seed 7` and a study
 * file's `"seed": 7` draw the same numbers, while `--seed 007` is the string "007" everywhere.
 */
export function parseSeed(flag: string, text: string): Seed {
  if (text.trim() === '') throw new UsageError(flag, text, 'a non-empty seed (an integer or a string)');
  if (text !== text.trim()) throw new UsageError(flag, text, 'a seed without leading or trailing spaces');
  if (text.length > MAX_SEED_LENGTH) throw new UsageError(flag, text, `a seed of at most ${MAX_SEED_LENGTH} characters`);
  if (/^(0|-?[1-9]\d*)$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  return text;
}

export interface IntBounds {
  min: number;
  max: number;
}

/**
 * An integer in [min, max]. Accepts `1000000`, `1_000_000` and exponent forms that are exact integers
 * (`1e6`); rejects "", fractions, hex and anything Number() would silently turn into 0.
 */
export function parseInteger(flag: string, text: string, { min, max }: IntBounds): number {
  const t = text.trim().replace(/_/g, '');
  const expected = `an integer in ${min}..${max}`;
  if (!/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(t)) throw new UsageError(flag, text, expected);
  const n = Number(t);
  if (!Number.isInteger(n)) throw new UsageError(flag, text, expected);
  if (n < min || n > max)
    throw new UsageError(flag, text, `${expected}${n > max ? " (the bench's upper bound, see docs/reliability.md)" : ''}`);
  return n;
}

export interface NumberBounds {
  min?: number;
  max?: number;
  /** Bounds exclusive instead of inclusive. */
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/** A finite decimal number, optionally bounded. */
export function parseNumber(flag: string, text: string, b: NumberBounds = {}): number {
  const t = text.trim();
  const lo = b.min == null ? '' : `${b.minExclusive ? '>' : '>='} ${b.min}`;
  const hi = b.max == null ? '' : `${b.maxExclusive ? '<' : '<='} ${b.max}`;
  const expected = `a finite number${lo || hi ? ` ${[lo, hi].filter(Boolean).join(' and ')}` : ''}`;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw new UsageError(flag, text, expected);
  const x = Number(t);
  if (!Number.isFinite(x)) throw new UsageError(flag, text, expected);
  if (b.min != null && (b.minExclusive ? !(x > b.min) : !(x >= b.min))) throw new UsageError(flag, text, expected);
  if (b.max != null && (b.maxExclusive ? !(x < b.max) : !(x <= b.max))) throw new UsageError(flag, text, expected);
  return x;
}

/** A comma-separated list of non-empty items, e.g. `pt,eta`. Rejects "" and empty items (`a,,b`). */
export function parseList(flag: string, text: string, maxItems = 64): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (text.trim() === '' || items.some((s) => s === ''))
    throw new UsageError(flag, text, 'a comma-separated list of non-empty items, e.g. a,b');
  if (items.length > maxItems) throw new UsageError(flag, text, `at most ${maxItems} items`);
  return items;
}

/** A comma-separated list of integers in [min, max], e.g. `--hidden 32,32`. */
export function parseIntList(flag: string, text: string, bounds: IntBounds, maxItems = 64): number[] {
  const items = text.split(',').map((s) => s.trim());
  const expected = `a comma-separated list of integers in ${bounds.min}..${bounds.max}, e.g. 32,32`;
  if (text.trim() === '' || items.some((s) => s === '')) throw new UsageError(flag, text, expected);
  if (items.length > maxItems) throw new UsageError(flag, text, `at most ${maxItems} items`);
  return items.map((s) => {
    try {
      return parseInteger(flag, s, bounds);
    } catch {
      throw new UsageError(flag, text, `${expected} (item ${JSON.stringify(s)})`);
    }
  });
}

/** A comma-separated list of finite numbers, e.g. bin edges `0,0.5,1.0`. */
export function parseNumberList(flag: string, text: string, maxItems = 1024): number[] {
  const items = text.split(',').map((s) => s.trim());
  const expected = 'comma-separated numbers, e.g. 0,0.5,1.0';
  if (text.trim() === '' || items.some((s) => s === '')) throw new UsageError(flag, text, expected);
  if (items.length > maxItems) throw new UsageError(flag, text, `at most ${maxItems} numbers`);
  return items.map((s) => {
    try {
      return parseNumber(flag, s);
    } catch {
      throw new UsageError(flag, text, `${expected} (item ${JSON.stringify(s)})`);
    }
  });
}

/**
 * An output event file or directory of parts (`qmisid generate`, `apply`, `convert`): a path ending in `/` or
 * without an extension is a directory of parts (src/io/eventPartsWriter.ts: isPartsOutput), which must be new,
 * empty or a previous sample in parts; otherwise a file whose extension names a format the bench writes, with
 * a writable path for it and for its `.json` sidecar. (The event-file modules are loaded on demand.)
 */
export async function parseOutputEvents(flag: string, text: string): Promise<{ path: string; parts: boolean }> {
  const { isPartsOutput } = await import('../io/eventPartsWriter.js');
  if (text.trim() !== '' && isPartsOutput(text)) {
    const { EVENT_EXTENSIONS } = await import('../io/partLayout.js');
    const path = text.replace(/\/+$/, '') || '/';
    const isPart = (n: string): boolean =>
      n.toLowerCase().endsWith('.json') ||
      (/^part-\d+(\.[a-z]+)$/i.test(n) && EVENT_EXTENSIONS[n.slice(n.lastIndexOf('.')).toLowerCase()] != null);
    checkOutputDir(flag, path, 'a directory of event-file parts (part-00000.parquet, ...)', (names) =>
      names.filter((n) => !n.startsWith('.')).every(isPart),
    );
    return { path, parts: true };
  }
  const { formatOf } = await import('../io/eventsFile.js');
  try {
    formatOf(text);
  } catch {
    throw new UsageError(
      flag,
      text,
      'an event file ending in .parquet, .arrow (.feather, .ipc) or .csv, or a directory of parts (a path ending in / or without an extension)',
    );
  }
  parseOutputFile(flag, text);
  parseOutputFile(flag, `${text}.json`);
  return { path: text, parts: false };
}

/**
 * An output that must not overwrite or sit inside its input, nor contain it (a directory of parts is replaced
 * whole): `--out` against `--input` of apply and convert.
 */
export function checkApart(outFlag: string, out: string, input: string): void {
  const a = resolve(input);
  const b = resolve(out);
  const within = (x: string, y: string): boolean => {
    const r = relative(y, x);
    return r === '' || (!r.startsWith('..') && !isAbsolute(r));
  };
  if (within(a, b) || within(b, a)) throw new UsageError(outFlag, out, 'must differ from --input (and not be inside it, nor contain it)');
}

/** An event input: an existing file, or a directory of parts read as one sample (src/io/eventParts.ts). */
export function parseEventInput(flag: string, text: string): string {
  if (text.trim() === '') throw new UsageError(flag, text, 'an event file or a directory of event-file parts');
  if (!existsSync(text)) throw new UsageError(flag, text, 'no such file or directory');
  const st = statSync(text);
  if (!st.isFile() && !st.isDirectory()) throw new UsageError(flag, text, 'is not a regular file or a directory');
  return text;
}

/**
 * The (|η|, pT) binning of `--bins-eta` / `--bins-pt` (`qmisid fit`, `qmisid export --applied`): comma-separated
 * edges, absent = the bench's default binning, checked by Binning.fromEdges. An error names the flag, the text
 * typed and the offending edge. (Binning is loaded on demand: most commands never need it.)
 */
export async function parseBinningFlags(binsEta: string | undefined, binsPt: string | undefined): Promise<Binning> {
  const { Binning, DEFAULT_ETA_EDGES, DEFAULT_PT_EDGES } = await import('../binning/Binning.js');
  const eta = binsEta != null ? parseNumberList('--bins-eta', binsEta) : [...DEFAULT_ETA_EDGES];
  const pt = binsPt != null ? parseNumberList('--bins-pt', binsPt) : [...DEFAULT_PT_EDGES];
  try {
    return Binning.fromEdges(eta, pt);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const isEta = err.path.startsWith('bins.eta');
    throw new UsageError(
      isEta ? '--bins-eta' : '--bins-pt',
      (isEta ? binsEta : binsPt) ?? err.value,
      `${err.expected} (at ${err.path}: ${JSON.stringify(err.value)})`,
    );
  }
}

/**
 * Worker threads: 0 (run in the main thread) up to the cores this machine has (os.availableParallelism()).
 * More threads than cores only add memory and context switches; `force` (--force-workers) lifts the cap to
 * MAX_FORCED_WORKERS for machines whose scheduler hides cores from Node.
 */
export function parseWorkers(flag: string, text: string, force = false): number {
  const cores = maxWorkers();
  const max = force ? MAX_FORCED_WORKERS : cores;
  const t = text.trim();
  if (/^\d+$/.test(t) && Number(t) > max && !force) {
    throw new UsageError(
      flag,
      text,
      `an integer in 0..${cores} (the cores available here); add --force-workers to use up to ${MAX_FORCED_WORKERS}`,
    );
  }
  return parseInteger(flag, text, { min: 0, max });
}

/** An existing regular file to read. */
export function parseInputFile(flag: string, text: string): string {
  if (text.trim() === '') throw new UsageError(flag, text, 'a file path');
  if (!existsSync(text)) throw new UsageError(flag, text, 'no such file');
  if (!statSync(text).isFile()) throw new UsageError(flag, text, 'is not a regular file');
  return text;
}

/** An existing directory to read. */
export function parseInputDir(flag: string, text: string): string {
  if (text.trim() === '') throw new UsageError(flag, text, 'a directory path');
  if (!existsSync(text)) throw new UsageError(flag, text, 'no such directory');
  if (!statSync(text).isDirectory()) throw new UsageError(flag, text, 'is not a directory');
  return text;
}

/** An output file (new, or an existing file replaced atomically); checked writable before any work. */
export function parseOutputFile(flag: string, text: string): string {
  checkOutputFile(flag, text);
  return text;
}

/** An output directory: new, empty, or a previous output holding `marker` (e.g. model.json, study.json). */
export function parseOutputDir(flag: string, text: string, what: string, marker: string): string {
  checkOutputDir(flag, text, what, (names) => names.includes(marker));
  return text;
}

/**
 * A JSON configuration file given by a flag (`--config`): it must exist and hold a JSON object. `null`, an
 * array or a number is refused here (they used to pass as "no options"); keys are checked by the component
 * that owns them (generator, trainer), which names the file and the key path.
 */
export function parseConfigFile(flag: string, path: string): Record<string, unknown> {
  parseInputFile(flag, path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(flag, path, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError('', text.slice(0, 40), `invalid JSON: ${(err as Error).message}`, path);
  }
  if (value == null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError('', value, 'a JSON object of options, e.g. {"epochs": 10}', path);
  }
  return value as Record<string, unknown>;
}

/** `--shard i/n`: integers 0 <= i < n, n at most MAX_TOYS (a shard with no toy is refused by the study). */
export function parseShard(flag: string, text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const expected = 'i/n with integers 0 <= i < n, e.g. 3/10';
  if (!m) throw new UsageError(flag, text, expected);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && count <= MAX_TOYS && index < count)) throw new UsageError(flag, text, `${expected}, n <= ${MAX_TOYS}`);
  return { index, count };
}
