import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyModel } from '../../src/train/apply.js';
import { selectBackend, type BackendName } from '../../src/train/backend.js';
import { loadModel, saveModel } from '../../src/train/modelIo.js';
import { trainModel } from '../../src/train/trainModel.js';
import { toyPairs } from '../../src/train/toyPairs.js';
import { main } from '../../src/cli/main.js';
import { readEvents, writeEvents } from '../../src/io/eventsFile.js';
import { DataError } from '../../src/errors.js';

let dir: string;
let backend: BackendName;
beforeAll(async () => {
  backend = await selectBackend('auto');
  dir = mkdtempSync(join(tmpdir(), 'qmisid-train-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const opts = { epochs: 3, batch: 2048, hidden: [32, 32], progress: false } as const;

describe('model directory', () => {
  it('an ensemble saves, reloads in a new process and predicts identically; spread is reported', async () => {
    const table = toyPairs({ n: 20_000, seed: 'io' });
    const model = await trainModel(table, { ...opts, ensemble: 2, bootstrap: true, seed: 9 });
    expect(model.members.map((m) => m.seed)).toEqual(['9/member/0', '9/member/1']);
    const out = join(dir, 'model');
    await saveModel(out, model);
    expect(readdirSync(out).sort()).toEqual(['model.json', 'weights.bin']);
    const here = applyModel(model, toyPairs({ n: 500, seed: 'io-apply' }));
    expect(here.eps1_sd).toBeDefined();
    expect(Math.max(...here.eps1_sd!)).toBeGreaterThan(0);
    const again = applyModel(loadModel(out), toyPairs({ n: 500, seed: 'io-apply' }));
    expect(Array.from(again.eps1)).toEqual(Array.from(here.eps1));

    const child = fileURLToPath(new URL('./fixtures/predict-child.ts', import.meta.url));
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', child, out, '500', 'io-apply', backend], { encoding: 'utf8' });
    const fromChild = JSON.parse(stdout) as Record<string, number[]>;
    expect(fromChild.eps1).toEqual(Array.from(here.eps1));
    expect(fromChild.eps2_sd).toEqual(Array.from(here.eps2_sd!));
    const loaded = loadModel(out);
    expect(loaded.backend).toBe(backend);
    expect(loaded.members[0]!.curves).toEqual(model.members[0]!.curves);
    expect(loaded.members[1]!.branch).toEqual(model.members[1]!.branch);
    expect(loaded.config.seed).toBe(9);
  });

  it('a damaged model directory is a DataError naming the file', async () => {
    const bad = join(dir, 'bad');
    await saveModel(bad, await trainModel(toyPairs({ n: 3000, seed: 'x' }), { ...opts, epochs: 1 }));
    writeFileSync(join(bad, 'weights.bin'), new Uint8Array(12));
    expect(() => loadModel(bad)).toThrow(DataError);
    expect(() => loadModel(bad)).toThrow(/weights\.bin/);
    expect(() => loadModel(join(dir, 'none'))).toThrow(/model\.json/);
  });
});

describe('qmisid train / apply', () => {
  it('train writes a model; apply adds eps1, eps2 (and _sd for an ensemble)', async () => {
    const input = join(dir, 'events.csv');
    await writeEvents(input, toyPairs({ n: 6000, seed: 'cli' }), { config: null, seed: 'cli', version: 'test' });
    const modelDir = join(dir, 'cli-model');
    // Toy pairs carry no mass: train on every row, explicitly (the default is the mass window, as in qmisid fit).
    const code = await main([
      'node',
      'qmisid',
      'train',
      '--input',
      input,
      '--out',
      modelDir,
      '--region',
      'all',
      '--features',
      'pt,eta',
      '--epochs',
      '2',
      '--batch',
      '1024',
      '--ensemble',
      '2',
      '--oc-keep',
      '0.5',
      '--seed',
      '3',
      '--val-frac',
      '0.25',
      '--no-progress',
    ]);
    expect(code).toBe(0);
    const m = loadModel(modelDir);
    expect(m.members.length).toBe(2);
    expect(m.config.ocKeep).toBe(0.5);
    expect(m.selection).toMatchObject({ region: 'all', source: 'default', events: 6000 });
    const outFile = join(dir, 'with-eps.csv');
    expect(await main(['node', 'qmisid', 'apply', '--model', modelDir, '--input', input, '--out', outFile])).toBe(0);
    const { table } = await readEvents(outFile);
    for (const c of ['eps1', 'eps2', 'eps1_sd', 'eps2_sd', 'pt1', 'sc']) expect(table.columns[c], c).toBeDefined();
    expect(table.n).toBe(6000);
    for (let i = 0; i < table.n; i++) expect(table.columns.eps1![i]!).toBeGreaterThan(0);
  });

  it('bad flags and missing columns exit 2 and write nothing', async () => {
    const input = join(dir, 'nosc.csv');
    const t = toyPairs({ n: 100, seed: 'nosc' });
    // Neither sc nor the charges it could be derived from (src/io/columnMap.ts derives sc from q1, q2).
    const { sc: _sc, q1: _q1, q2: _q2, ...rest } = t.columns;
    await writeEvents(input, { n: t.n, columns: rest }, { config: null, seed: 'x', version: 'test' });
    const out = join(dir, 'never');
    const errs: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await main(['node', 'qmisid', 'train', '--input', input, '--out', out, '--epochs', 'many'])).toBe(2);
      expect(await main(['node', 'qmisid', 'train', '--input', input, '--out', out, '--oc-keep', '0'])).toBe(2);
      expect(await main(['node', 'qmisid', 'train', '--input', input, '--out', out, '--features', 'pt,bogus', '--region', 'all'])).toBe(2);
      expect(await main(['node', 'qmisid', 'train', '--input', input, '--out', out, '--region', 'all'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errs.join('')).toMatch(/--epochs "many"/);
    expect(errs.join('')).toMatch(/--oc-keep "0"/);
    expect(errs.join('')).toMatch(/bogus1/);
    expect(errs.join('')).toMatch(/column sc/);
    expect(existsSync(out)).toBe(false);
  });
});
