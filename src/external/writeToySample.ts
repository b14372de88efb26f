/**
 * Write one toy's sample for an external program: sample.parquet, columns/<c>.f64 and manifest.json in `dir`
 * (protocol.ts). Only reco columns are written: truth stays with the bench.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../errors.js';
import { columnSpec, type EventTable, type TypedColumn } from '../events/columns.js';
import { REGION } from '../selection/selection.js';
import { writeEvents } from '../io/eventsFile.js';
import { createRng } from '../rng.js';
import { version } from '../version.js';
import { PROTOCOL, SAMPLE_COLUMNS, type Manifest } from './protocol.js';

export interface ToySampleSpec {
  binning: { eta: number[]; pt: number[] };
  seed: string;
  threads: number;
  sidebandSubtraction: boolean;
  config: Record<string, unknown>;
  source: string;
}

export async function writeToySample(
  dir: string,
  table: EventTable,
  spec: ToySampleSpec,
): Promise<{ manifestPath: string; manifest: Manifest }> {
  mkdirSync(join(dir, 'columns'), { recursive: true });
  const columns: Record<string, TypedColumn> = {};
  const raw: Record<string, string> = {};
  for (const name of SAMPLE_COLUMNS) {
    let col = table.columns[name];
    if (!col && name === 'w') col = new Float64Array(table.n).fill(1);
    if (!col) throw new DataError(spec.source, name, "the external estimator's sample needs this column");
    columns[name] = col;
    const f64 = Float64Array.from(col);
    const rel = `columns/${name}.f64`;
    const bytes = Buffer.alloc(f64.length * 8);
    for (let i = 0; i < f64.length; i++) bytes.writeDoubleLE(f64[i]!, 8 * i);
    writeFileSync(join(dir, rel), bytes);
    raw[name] = rel;
  }
  await writeEvents(join(dir, 'sample.parquet'), { n: table.n, columns }, { config: null, seed: spec.seed, version, protocol: PROTOCOL });
  const manifest: Manifest = {
    protocol: PROTOCOL,
    n: table.n,
    sample: 'sample.parquet',
    raw,
    columns: SAMPLE_COLUMNS.map((name) => {
      const s = columnSpec(name)!;
      return { name, type: s.type === 'f64' ? 'float64' : s.type === 'i8' ? 'int8' : s.type === 'u8' ? 'uint8' : 'uint32', doc: s.doc };
    }),
    weights: 'w',
    regions: { window: REGION.window, lowSideband: REGION.lowSideband, highSideband: REGION.highSideband },
    sidebandSubtraction: spec.sidebandSubtraction,
    binning: spec.binning,
    seed: spec.seed,
    seed32: createRng(spec.seed).uint32(),
    threads: spec.threads,
    output: join(dir, 'output.json'),
    config: spec.config,
    source: spec.source,
  };
  const manifestPath = join(dir, 'manifest.json');
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
  return { manifestPath, manifest };
}
