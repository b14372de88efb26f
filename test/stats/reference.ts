/** The scipy reference table (test/fixtures/stats/make_scipy_reference.py → scipy-reference.json) and an error measure. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const REF: any = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/stats/scipy-reference.json', import.meta.url)), 'utf8'));

/** Error of got vs want, relative to max(|want|, floor): floor turns it into an absolute error near 0. */
export function err(got: number, want: number, floor = 1e-300): number {
  if (got === want) return 0;
  return Math.abs(got - want) / Math.max(Math.abs(want), floor);
}
