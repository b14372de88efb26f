/**
 * CI size or heavy size. `QMISID_HEAVY=1 npx vitest run test/properties` runs every property with more
 * fast-check runs, more toys and larger samples (see docs/properties.md for the numbers and run times).
 */
export const HEAVY = process.env.QMISID_HEAVY === '1';

export function pick<T>(ci: T, heavy: T): T {
  return HEAVY ? heavy : ci;
}
