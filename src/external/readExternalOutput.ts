/**
 * Read and check an external program's answer (protocol.ts OutputSchema): valid JSON, the schema, and arrays
 * of exactly n rows. Every problem is a DataError naming the output file, the key and the value.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DataError } from '../errors.js';
import { OutputSchema, type ExternalOutput } from './protocol.js';

export function readExternalOutput(path: string, n: number): ExternalOutput {
  if (!existsSync(path)) throw new DataError(path, undefined, 'the program exited 0 but wrote no output file');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new DataError(path, undefined, `output is not valid JSON (${(err as Error).message})`);
  }
  const parsed = OutputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DataError(path, issue.path.join('.') || undefined, issue.message);
  }
  const out = parsed.data;
  const check = (key: string, a: readonly unknown[] | undefined): void => {
    if (a && a.length !== n) throw new DataError(path, key, `expected ${n} entries, one per event of the sample`, a.length);
  };
  check('eps1', out.eps1);
  check('eps2', out.eps2);
  check('eps1_sd', out.eps1_sd);
  check('eps2_sd', out.eps2_sd);
  out.members?.forEach((m, k) => {
    check(`members.${k}.eps1`, m.eps1);
    check(`members.${k}.eps2`, m.eps2);
  });
  return out;
}
