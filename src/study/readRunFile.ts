/**
 * Read one JSON file of a study output directory (study.json, summary.json) with a typed error naming the
 * file when it is missing, unreadable, not JSON, or lacks the fields the reader needs — a corrupt run
 * directory is an input problem (exit 2), not a crash.
 */
import { readFileSync } from 'node:fs';
import { DataError, fileError } from '../errors.js';

export function readRunJson<T>(file: string, what: string, required: readonly string[]): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw fileError(file, `cannot read the ${what}`, err);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DataError(file, undefined, `corrupt ${what}: not valid JSON (${(err as Error).message})`);
  }
  if (value == null || typeof value !== 'object' || Array.isArray(value))
    throw new DataError(file, undefined, `corrupt ${what}: expected a JSON object`, value);
  for (const key of required) {
    if (!(key in value)) throw new DataError(file, key, `corrupt ${what}: the field is missing`);
  }
  return value as T;
}
