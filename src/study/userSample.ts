/**
 * A user's simulated sample as a study's truth source (studySchema.ts SampleSchema).
 *
 * The file is read once per process through its column mapping (sc derived from the charges, region from
 * m_ee when absent) and must carry truth flip labels. The per-electron truth the metrics compare with is
 * truth_eps1/2 when the sample has it; otherwise the flip label itself (0 or 1): its bin mean is then the
 * truth-matched rate of the toy — the reference an analysis would use — and per-electron scores (mse) carry
 * the same binomial noise ε(1 − ε) for every estimator, so ratios between estimators remain meaningful.
 *
 * Toys: each event appears k ~ Poisson(1) times, k drawn from the toy's seed (the bootstrap of the file); the
 * estimators see unit-weight replicated rows exactly as they see generated events.
 */
import { DataError } from '../errors.js';
import type { EventTable, TypedColumn } from '../events/columns.js';
import { readEvents } from '../io/eventsFile.js';
import { createRng } from '../rng.js';
import type { ResolvedSample } from './resolveStudy.js';

/** Columns a sample must supply (after mapping and derivation). */
export const SAMPLE_REQUIRED = [
  'pt1',
  'eta1',
  'phi1',
  'q1',
  'pt2',
  'eta2',
  'phi2',
  'q2',
  'm_ee',
  'sc',
  'region',
  'truth_flip1',
  'truth_flip2',
] as const;

const cache = new Map<string, Promise<EventTable>>();

export function loadSample(sample: ResolvedSample): Promise<EventTable> {
  const key = JSON.stringify(sample);
  let p = cache.get(key);
  if (!p) {
    p = readSample(sample);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function readSample(sample: ResolvedSample): Promise<EventTable> {
  const { table } = await readEvents(sample.file, { ...(sample.map ? { map: sample.map } : {}), require: SAMPLE_REQUIRED });
  const c = table.columns;
  if (table.n === 0) throw new DataError(sample.file, undefined, 'the sample has no events in the window or sidebands');
  for (const k of [1, 2] as const) {
    if (!c[`truth_eps${k}`]) c[`truth_eps${k}`] = Float64Array.from(c[`truth_flip${k}`]!);
  }
  if (!c.w) c.w = new Float64Array(table.n).fill(1);
  if (!c.is_background) c.is_background = new Uint8Array(table.n);
  return table;
}

/** Poisson(1) bootstrap replica: row i repeated k_i times, rows kept in file order. */
export function bootstrapSample(table: EventTable, seed: string): EventTable {
  const rng = createRng(seed);
  const counts = new Uint8Array(table.n);
  let total = 0;
  for (let i = 0; i < table.n; i++) {
    const k = rng.poisson(1);
    counts[i] = k;
    total += k;
  }
  const columns: Record<string, TypedColumn> = {};
  for (const [name, col] of Object.entries(table.columns)) {
    const Ctor = col.constructor as new (n: number) => TypedColumn;
    const out = new Ctor(total);
    let j = 0;
    for (let i = 0; i < table.n; i++) for (let r = 0; r < counts[i]!; r++) out[j++] = col[i]!;
    columns[name] = out;
  }
  return { n: total, columns };
}
