/**
 * Turn the first zod issue into a ConfigError that names the dotted key path and the offending value. An
 * unknown key is reported at its own path (e.g. `scan.2.generatr`), not at its parent object.
 */
import type { z } from 'zod';
import { ConfigError } from '../errors.js';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v == null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

export function zodConfigError(error: z.ZodError, input: unknown, source?: string, prefix = ''): ConfigError {
  const issue = error.issues[0]!;
  let path = issue.path as PropertyKey[];
  let expected = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    path = [...path, keys[0]!];
    expected = `unknown key${keys.length > 1 ? ` (also: ${keys.slice(1).join(', ')})` : ''}`;
  }
  const dotted = [prefix, ...path.map(String)].filter((s) => s !== '').join('.');
  return new ConfigError(dotted, valueAt(input, path), expected, source);
}
