/**
 * Shared, read-only inputs of the bad-input suite, built once per test file: small valid event files in the
 * three formats and their damaged variants, a trained model directory and its damaged copies, a finished
 * study run directory and damaged copies. Every case writes only inside its own fresh case directory.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC, vectorFromArray } from 'apache-arrow';
import { generateEvents } from '../../generators/zee/index.js';
import { concatTables, type EventTable } from '../../src/events/columns.js';
import { writeEvents } from '../../src/io/eventsFile.js';
import { runStudy } from '../../src/study/runStudy.js';
import { runCli } from './harness.js';

export const FORMATS = ['parquet', 'arrow', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export interface Fixtures {
  root: string;
  /** A valid event file per format (window + sidebands, truth columns). */
  events: Record<Format, string>;
  /** Damaged event files: defect name → format → path, and what the error must name. */
  bad: Record<string, { files: Record<Format, string>; needles: string[] }>;
  model: string;
  badModels: Record<string, { dir: string; needles: string[] }>;
  studyFile: string;
  run: string;
  badRuns: Record<string, { dir: string; needles: string[] }>;
}

const META = { config: null, seed: 1, version: 'test' };

function withColumn(t: EventTable, name: string, f: (c: Float64Array) => void): EventTable {
  const c = Float64Array.from(t.columns[name]!);
  f(c);
  return { n: t.n, columns: { ...t.columns, [name]: c } };
}

function without(t: EventTable, name: string): EventTable {
  const { [name]: _drop, ...rest } = t.columns;
  return { n: t.n, columns: rest };
}

/** A file of the given format holding `t`, plus a text-typed `pt1` column variant written by hand. */
async function writeTextColumn(path: string, t: EventTable, format: Format): Promise<void> {
  const cols: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t.columns))
    cols[k] = k === 'pt1' ? vectorFromArray(Array.from(v, (x, i) => (i === 3 ? 'abc' : String(x)))) : v;
  const table = tableFromArrays(cols as Record<string, Float64Array>);
  if (format === 'arrow') writeFileSync(path, tableToIPC(table, 'file'));
  else if (format === 'parquet') {
    const pw = await import('parquet-wasm/node');
    writeFileSync(path, pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, 'stream'))));
  } else {
    const names = Object.keys(t.columns);
    const rows = Array.from({ length: t.n }, (_, i) =>
      names.map((n) => (n === 'pt1' && i === 3 ? 'abc' : String(t.columns[n]![i]))).join(','),
    );
    writeFileSync(path, `${names.join(',')}\n${rows.join('\n')}\n`);
  }
}

export async function buildFixtures(): Promise<Fixtures> {
  const root = mkdtempSync(join(tmpdir(), 'qmisid-bad-'));
  const fx = join(root, 'fixtures');
  mkdirSync(fx);
  const t0 = Date.now();
  const log = (m: string): void => void (process.env.FX_DEBUG && console.log(`fixtures: ${m} ${Date.now() - t0} ms`));
  const parts: EventTable[] = [];
  await generateEvents({ config: {}, events: 1200, count: 'selected', seed: 11, workers: 0, sink: (c) => void parts.push(c) });
  const t = concatTables(parts);
  log('generated');
  const events = {} as Record<Format, string>;
  for (const f of FORMATS) {
    events[f] = join(fx, `good.${f}`);
    await writeEvents(events[f], t, META);
  }
  const bad: Fixtures['bad'] = {};
  const variant = async (name: string, needles: string[], make: (f: Format, path: string) => Promise<void> | void): Promise<void> => {
    const files = {} as Record<Format, string>;
    for (const f of FORMATS) {
      files[f] = join(fx, `${name}.${f}`);
      await make(f, files[f]);
    }
    bad[name] = { files, needles };
  };
  await variant('nan-pt1', ['pt1', 'row 6', 'NaN'], (f, p) =>
    writeEvents(
      p,
      withColumn(t, 'pt1', (c) => (c[5] = NaN)),
      META,
    ).then(() => undefined),
  );
  await variant('inf-eta2', ['eta2', 'row 2', 'Infinity'], (f, p) =>
    writeEvents(
      p,
      withColumn(t, 'eta2', (c) => (c[1] = Infinity)),
      META,
    ).then(() => undefined),
  );
  await variant('bad-charge', ['q1', 'row 3', 'charge', '(got 0)'], (f, p) =>
    writeEvents(
      p,
      withColumn(t, 'q1', (c) => (c[2] = 0)),
      META,
    ).then(() => undefined),
  );
  await variant('bad-sc', ['sc', 'row 1', '(got 2)'], (f, p) =>
    writeEvents(
      p,
      withColumn(t, 'sc', (c) => (c[0] = 2)),
      META,
    ).then(() => undefined),
  );
  await variant('bad-region', ['region', 'row 5', '(got 7)'], (f, p) =>
    writeEvents(
      p,
      withColumn(t, 'region', (c) => (c[4] = 7)),
      META,
    ).then(() => undefined),
  );
  await variant('text-pt1', ['pt1'], (f, p) => writeTextColumn(p, t, f));
  await variant('truncated', [], (f, p) => {
    const good = readFileSync(events[f]);
    // CSV: cut just after a comma, so the last record is short whatever the numbers (a cut inside the last
    // field would leave a valid, shorter number).
    const cut = f === 'csv' ? good.indexOf(0x2c, good.length >> 1) + 1 : good.length >> 1;
    writeFileSync(p, good.subarray(0, cut));
  });
  await variant('empty', [], (f, p) => writeFileSync(p, ''));
  await variant('garbage', [], (f, p) => writeFileSync(p, 'this is not an event file\u0000\u0001\u0002'));
  await variant('zero-w', ['w'], (f, p) =>
    writeEvents(
      p,
      withColumn(t, 'w', (c) => c.fill(0)),
      META,
    ).then(() => undefined),
  );
  // All opposite charge, and consistently so: sc = 0 and q2 = −q1 in every row (sc is cross-checked against them).
  await variant('all-oc', ['sc'], (f, p) =>
    writeEvents(
      p,
      withColumn(
        withColumn(t, 'sc', (c) => c.fill(0)),
        'q2',
        (c) => {
          for (let i = 0; i < c.length; i++) c[i] = -t.columns.q1![i]!;
        },
      ),
      META,
    ).then(() => undefined),
  );
  await variant('no-pt1', ['pt1'], (f, p) => writeEvents(p, without(t, 'pt1'), META).then(() => undefined));
  // Neither sc nor the charges it is derived from when absent (src/io/columnMap.ts).
  await variant('no-sc', ['sc'], (f, p) => writeEvents(p, without(without(without(t, 'sc'), 'q1'), 'q2'), META).then(() => undefined));
  await variant('bad-meta', ['metadata', 'qmisid'], async (f, p) => {
    if (f === 'csv') {
      copyFileSync(events.csv, p);
      writeFileSync(`${p}.json`, '{ not json');
      return;
    }
    const arrowTable = tableFromArrays(t.columns as Record<string, Float64Array>);
    arrowTable.schema.metadata.set('qmisid', '{ not json');
    if (f === 'arrow') writeFileSync(p, tableToIPC(arrowTable, 'file'));
    else {
      const pw = await import('parquet-wasm/node');
      writeFileSync(
        p,
        pw.writeParquet(
          pw.Table.fromIPCStream(tableToIPC(arrowTable, 'stream')),
          new pw.WriterPropertiesBuilder().setKeyValueMetadata(new Map([['qmisid', '{ not json']])).build(),
        ),
      );
    }
  });
  log('event files');
  // A model: tiny network, one epoch, pure-JS backend.
  const model = join(fx, 'model');
  const r = await runCli([
    'train',
    '--input',
    events.parquet,
    '--out',
    model,
    '--hidden',
    '4',
    '--epochs',
    '1',
    '--batch',
    '1024',
    '--backend',
    'cpu',
    '--no-progress',
  ]);
  if (r.code !== 0) throw new Error(`fixture model: ${r.stderr}`);
  log('model');
  const badModels: Fixtures['badModels'] = {};
  const editModel = (name: string, needles: string[], edit: (m: Record<string, any>, dir: string) => void): void => {
    const dir = join(fx, `model-${name}`);
    cpSync(model, dir, { recursive: true });
    const m = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    edit(m, dir);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(m));
    badModels[name] = { dir, needles: [join(dir, needles[0] === 'weights.bin' ? 'weights.bin' : 'model.json'), ...needles.slice(1)] };
  };
  editModel('sd-zero', ['model.json', 'normalisation.sd.0', '(got 0)'], (m) => (m.normalisation.sd[0] = 0));
  editModel('sd-negative', ['model.json', 'normalisation.sd.1', '(got -1)'], (m) => (m.normalisation.sd[1] = -1));
  editModel('mean-null', ['model.json', 'normalisation.mean.0', '(got null)'], (m) => (m.normalisation.mean[0] = null));
  editModel('mean-short', ['model.json', 'normalisation.mean'], (m) => m.normalisation.mean.pop());
  editModel('format', ['model.json', 'format', 'qmisid-phi-model/99'], (m) => (m.format = 'qmisid-phi-model/99'));
  editModel('no-format', ['model.json', 'format'], (m) => delete m.format);
  editModel('kind', ['model.json', 'kind', '"dnn"'], (m) => (m.kind = 'dnn'));
  editModel('features', ['model.json', 'features'], (m) => (m.features = []));
  editModel('arch-inputs', ['model.json', 'arch.inputs', '(got 0)'], (m) => (m.arch.inputs = 0));
  editModel('arch-hidden', ['model.json', 'arch.hidden'], (m) => (m.arch.hidden = [4, -1]));
  editModel('activation', ['model.json', 'arch.activation', '"swish"'], (m) => (m.arch.activation = 'swish'));
  editModel('members', ['model.json', 'members'], (m) => (m.members = []));
  editModel('slice', ['model.json', 'members.0.params.weights.0'], (m) => (m.members[0].params.weights[0] = { offset: -4, length: 8 }));
  editModel('slice-long', ['weights.bin', 'members.0.weights.0'], (m) => (m.members[0].params.weights[0].length += 1));
  editModel('nan-weight', ['weights.bin', 'not finite', 'NaN'], (_m, dir) => {
    const b = readFileSync(join(dir, 'weights.bin'));
    b.writeFloatLE(Number.NaN, 8);
    writeFileSync(join(dir, 'weights.bin'), b);
  });
  editModel('inf-weight', ['weights.bin', 'not finite', 'Infinity'], (_m, dir) => {
    const b = readFileSync(join(dir, 'weights.bin'));
    b.writeFloatLE(Number.POSITIVE_INFINITY, 0);
    writeFileSync(join(dir, 'weights.bin'), b);
  });
  editModel('weights-odd', ['weights.bin', 'multiple of 4'], (_m, dir) =>
    writeFileSync(join(dir, 'weights.bin'), Buffer.concat([readFileSync(join(dir, 'weights.bin')), Buffer.from([1])])),
  );
  editModel('weights-missing', ['weights.bin', 'ENOENT'], (_m, dir) => rmSync(join(dir, 'weights.bin')));
  // Model directories that are not JSON at all.
  for (const [name, text] of [
    ['json-garbage', '{ nope'],
    ['json-null', 'null'],
    ['json-array', '[1,2]'],
  ] as const) {
    const dir = join(fx, `model-${name}`);
    cpSync(model, dir, { recursive: true });
    writeFileSync(join(dir, 'model.json'), text);
    badModels[name] = { dir, needles: [join(dir, 'model.json')] };
  }
  // A small finished study (binned fit and truth rates only) and damaged copies of its directory.
  const studyFile = join(fx, 'tiny.json');
  writeFileSync(studyFile, JSON.stringify(TINY_STUDY));
  const run = join(fx, 'run');
  log('models');
  await runStudy(studyFile, { out: run });
  log('study');
  const badRuns: Fixtures['badRuns'] = {};
  const damage = (name: string, file: string, text: string, needles: string[]): void => {
    const dir = join(fx, `run-${name}`);
    cpSync(run, dir, { recursive: true });
    writeFileSync(join(dir, file), text);
    badRuns[name] = { dir, needles: [join(dir, file), ...needles] };
  };
  damage('study-garbage', 'study.json', '{"study": ', ['not valid JSON']);
  damage('study-null', 'study.json', 'null', ['expected a JSON object']);
  damage('study-nofields', 'study.json', '{"version": "0.1.0"}', ['study']);
  damage('summary-garbage', 'summary.json', '{{{', ['not valid JSON']);
  damage('summary-array', 'summary.json', '[]', ['expected a JSON object']);
  damage('summary-nofields', 'summary.json', '{"study": "tiny"}', ['toys']);
  damage('toys-middle', 'toys.jsonl', `${readFileSync(join(run, 'toys.jsonl'), 'utf8').split('\n')[0]}\nnot json\n{"toy": 1}\n`, [
    'line 2',
  ]);
  return { root, events, bad, model, badModels, studyFile, run, badRuns };
}

export const TINY_STUDY = {
  name: 'tiny',
  description: 'bad-input suite fixture',
  seed: 3,
  toys: 2,
  events: 8000,
  binning: { eta: [0, 1.37, 2.47], pt: [25, 60, 1000] },
  estimators: [
    { name: 'binned', kind: 'binned' },
    { name: 'truth', kind: 'truthMatched' },
  ],
  criteria: [{ metric: 'failureRate', estimator: 'binned', op: '<=', threshold: 0 }],
};
