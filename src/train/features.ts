/**
 * Per-electron input features. A feature token is `[transform:]column`; the network reads `column1` for
 * electron 1 and `column2` for electron 2 (any per-electron column works, e.g. `truth_pt` in a study).
 *
 *   transform  inputs                 default for
 *   log        log(x), x > 0          pt, eop, curvsig (span decades; log keeps the tails from dominating)
 *   abs        |x|                    —    (alias: `abseta` = abs:eta)
 *   cossin     cos x, sin x           phi  (periodic: −π and π map to the same point)
 *   id         x                      everything else (eta, q, …)
 *
 * So `pt,eta` gives 2 inputs, `pt,eta,phi,q` gives 5. Write `id:phi` for a raw azimuth.
 * The latent electron model's features (docs/electrons.md) are ordinary columns: eop, d0sig, dphiq, ipix,
 * curvsig, reta; the token `electron` expands to all six (with their default transforms).
 */
import { ConfigError, DataError } from '../errors.js';
import { ELECTRON_FEATURES, type EventTable } from '../events/columns.js';

export type Transform = 'log' | 'abs' | 'cossin' | 'id';

export interface FeatureSpec {
  token: string;
  column: string;
  transform: Transform;
}

const TRANSFORMS: readonly Transform[] = ['log', 'abs', 'cossin', 'id'];
const ALIASES: Record<string, string> = { abseta: 'abs:eta' };
/** Positive columns spanning decades: log by default. */
const LOG_DEFAULT = new Set(['pt', 'eop', 'curvsig']);
/** `electron` → the latent model's six per-electron features. */
const GROUPS: Record<string, readonly string[]> = { electron: ELECTRON_FEATURES };

export function parseFeature(token: string, path = 'train.features'): FeatureSpec {
  const t = ALIASES[token] ?? token;
  const parts = t.split(':');
  if (parts.length > 2 || parts.some((p) => p === '')) {
    throw new ConfigError(path, token, 'a feature `[log|abs|cossin|id:]column`, e.g. pt, eta, abseta, phi, log:pt');
  }
  const [a, b] = parts as [string, string | undefined];
  if (b !== undefined && !TRANSFORMS.includes(a as Transform)) {
    throw new ConfigError(path, token, `transform one of ${TRANSFORMS.join(', ')}`);
  }
  const column = b ?? a;
  const transform: Transform = b !== undefined ? (a as Transform) : LOG_DEFAULT.has(column) ? 'log' : column === 'phi' ? 'cossin' : 'id';
  return { token, column, transform };
}

export function parseFeatures(tokens: readonly string[], path = 'train.features'): FeatureSpec[] {
  const specs = tokens.flatMap((t, i) => {
    const group = GROUPS[t.trim()];
    return group ? group.map((g) => ({ ...parseFeature(g, `${path}.${i}`), token: g })) : [parseFeature(t.trim(), `${path}.${i}`)];
  });
  const seen = new Set<string>();
  specs.forEach((s, i) => {
    const key = `${s.transform}:${s.column}`;
    if (seen.has(key)) throw new ConfigError(`${path}.${i}`, s.token, 'each feature once');
    seen.add(key);
  });
  return specs;
}

export function inputWidth(specs: readonly FeatureSpec[]): number {
  return specs.reduce((s, f) => s + (f.transform === 'cossin' ? 2 : 1), 0);
}

/** Input names in network order, e.g. ['log(pt)', 'eta', 'cos(phi)', 'sin(phi)']. */
export function inputNames(specs: readonly FeatureSpec[]): string[] {
  return specs.flatMap((f) =>
    f.transform === 'cossin' ? [`cos(${f.column})`, `sin(${f.column})`] : [f.transform === 'id' ? f.column : `${f.transform}(${f.column})`],
  );
}

/**
 * Transformed (not yet normalised) inputs of electron k ∈ {1, 2} as row-major [n, width] float64, for every
 * row of the table or for the rows [from, to) only (a block: the training set is built block by block, so
 * no float64 copy of every electron's inputs is made). Missing columns and values the transform cannot take
 * are DataErrors naming the column, the row (counted from 1 in the table) and the value.
 */
export function electronInputs(
  table: EventTable,
  specs: readonly FeatureSpec[],
  k: 1 | 2,
  source = '<table>',
  rows: { from: number; to: number } = { from: 0, to: table.n },
): Float64Array {
  const { from, to } = rows;
  const d = inputWidth(specs);
  const out = new Float64Array((to - from) * d);
  let off = 0;
  for (const f of specs) {
    const name = `${f.column}${k}`;
    const col = table.columns[name];
    if (!col) throw new DataError(source, name, `missing; feature ${JSON.stringify(f.token)} needs ${f.column}1 and ${f.column}2`);
    for (let i = from; i < to; i++) {
      const v = col[i]!;
      if (!Number.isFinite(v)) throw new DataError(source, name, `row ${i + 1} is not finite`, v);
      const r = (i - from) * d + off;
      switch (f.transform) {
        case 'log':
          if (!(v > 0)) throw new DataError(source, name, `row ${i + 1}: log transform needs a positive value`, v);
          out[r] = Math.log(v);
          break;
        case 'abs':
          out[r] = Math.abs(v);
          break;
        case 'cossin':
          out[r] = Math.cos(v);
          out[r + 1] = Math.sin(v);
          break;
        case 'id':
          out[r] = v;
          break;
      }
    }
    off += f.transform === 'cossin' ? 2 : 1;
  }
  return out;
}
