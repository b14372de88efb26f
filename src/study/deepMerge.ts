/**
 * Merge configuration patches: plain objects merge key by key, recursively; anything else (numbers, strings,
 * arrays) in the patch replaces the base value. Inputs are never mutated.
 */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v != null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

export function deepMerge<T>(base: T, ...patches: readonly (unknown | undefined)[]): T {
  let out: unknown = base;
  for (const p of patches) {
    if (p === undefined) continue;
    out = mergeTwo(out, p);
  }
  return out as T;
}

function mergeTwo(a: unknown, b: unknown): unknown {
  if (!isPlainObject(a) || !isPlainObject(b)) return structuredClone(b);
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in a ? mergeTwo(a[k], v) : structuredClone(v);
  return out;
}
