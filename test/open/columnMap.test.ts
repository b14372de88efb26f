/**
 * Column mapping (src/io/columnMap.ts): a user's ntuple with foreign column names, charges instead of sc and
 * no region column reads as the bench's own table; fit, train and apply run on it with one mapping file, with
 * the same answers as on the renamed file; bad mappings and inconsistent sc are typed errors.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError, UsageError } from '../../src/errors.js';
import { massRegion, parseMapFlag, resolveColumnMap, suggestMapping } from '../../src/io/columnMap.js';
import { readEvents, writeEvents } from '../../src/io/eventsFile.js';
import { register as registerFit } from '../../src/cli/commands/fit.js';
import { register as registerTrain } from '../../src/cli/commands/train.js';
import { register as registerApply } from '../../src/cli/commands/apply.js';
import { FOREIGN_MAP, writeForeignSample } from './foreignSample.js';

const dir = mkdtempSync(join(tmpdir(), 'qmisid-map-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(command: 'fit' | 'train' | 'apply', args: string[]): Promise<void> {
  const program = new Command('qmisid').exitOverride();
  ({ fit: registerFit, train: registerTrain, apply: registerApply })[command](program);
  await program.parseAsync(['node', 'qmisid', command, ...args]);
}

describe('column mapping', async () => {
  const { bench, file, mapFile } = await writeForeignSample(dir, 20000, 'open/map');
  const benchFile = join(dir, 'bench.parquet');
  await writeEvents(benchFile, bench, { config: null, seed: 'open/map', version: 'test' });

  it('reads the foreign file under bench names: renamed columns equal, sc derived from the charges, region from m_ee', async () => {
    const map = resolveColumnMap({ mapFile })!;
    const { table, mapping } = await readEvents(file, { map });
    for (const c of ['pt1', 'eta1', 'q1', 'q2', 'm_ee', 'w', 'truth_flip2', 'sc', 'region']) {
      expect(Array.from(table.columns[c]!), c).toEqual(Array.from(bench.columns[c]!));
    }
    expect(table.columns.run_number![0]).toBe(358031);
    expect(mapping).toEqual({
      columns: FOREIGN_MAP.columns,
      derived: ['sc', 'region'],
      selection: { window: [80, 100], lowSideband: [60, 80], highSideband: [100, 120] },
    });
  });

  it('derives region with a given window and sidebands, dropping and counting events outside them', async () => {
    const map = resolveColumnMap({ mapFile, window: '85,95', sidebands: '65,80,100,115' })!;
    const { table, mapping } = await readEvents(file, { map });
    const m = bench.columns.m_ee!;
    let outside = 0;
    for (let i = 0; i < bench.n; i++) if (massRegion(m[i]!, map.selection!) < 0) outside++;
    expect(outside).toBeGreaterThan(0);
    expect(mapping!.droppedOutsideSelection).toBe(outside);
    expect(table.n).toBe(bench.n - outside);
    const r = table.columns.region!;
    const mee = table.columns.m_ee!;
    for (let i = 0; i < table.n; i++) {
      const want = mee[i]! >= 85 && mee[i]! < 95 ? 0 : mee[i]! < 80 ? 1 : 2;
      expect(r[i]).toBe(want);
    }
  });

  it('an sc column that disagrees with the charges is a DataError naming the rows', async () => {
    const bad = join(dir, 'bad-sc.csv');
    const t = { n: bench.n, columns: { ...bench.columns, sc: new Uint8Array(bench.n) } };
    await writeEvents(bad, t, { config: null, seed: 'x', version: 'test' });
    const nSC = bench.columns.sc!.reduce((a, b) => a + b, 0);
    let firstSC = 0;
    while (bench.columns.sc![firstSC] !== 1) firstSC++;
    const err = await readEvents(bad, { require: ['sc'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toContain(
      `column sc: disagrees with the charges q1, q2 in ${nSC} of ${bench.n} rows (first at row ${firstSC + 1};`, // data rows counted from 1
    );
  });

  it('a missing column suggests the mapping that would supply it', async () => {
    const err = await readEvents(file, { require: ['pt1', 'sc'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toContain('column pt1: required column is missing');
    expect((err as Error).message).toContain('--map el1_pt=pt1');
    expect(suggestMapping('q2', ['el1_charge', 'el2_charge', 'mll'])).toBe('el2_charge=q2');
    expect(suggestMapping('m_ee', ['el1_pt', 'mll'])).toBe('mll=m_ee');
    expect(suggestMapping('w', ['el1_pt', 'mcEventWeight'])).toBe('mcEventWeight=w');
    expect(suggestMapping('eta1', ['x', 'y'])).toBeUndefined();
  });

  it('bad mappings are typed errors naming the entry', async () => {
    expect(() => parseMapFlag('el1_pt:pt1')).toThrow(UsageError);
    expect(parseMapFlag('a=pt1, b=pt2')).toEqual({ a: 'pt1', b: 'pt2' });
    expect(() => resolveColumnMap({ map: 'a=pt1,b=pt1' })).toThrow(/columns\.b = "pt1": a bench column not already mapped \(from a\)/);
    expect(() => resolveColumnMap({ map: 'a=pt 1' })).toThrow(UsageError);
    expect(() => resolveColumnMap({ window: '80' })).toThrow(/--window "80"/);
    expect(() => resolveColumnMap({ window: '90,80' })).toThrow(ConfigError);
    const badKey = join(dir, 'bad-key.json');
    writeFileSync(badKey, JSON.stringify({ colums: {} }));
    expect(() => resolveColumnMap({ mapFile: badKey })).toThrow(/config colums/);
    await expect(readEvents(file, { map: resolveColumnMap({ map: 'el3_pt=pt1' })! })).rejects.toThrow(
      /column el3_pt: the mapping names this column/,
    );
  });

  it('fit with --map-file on the foreign file gives the fit of the renamed file, and records the mapping', async () => {
    const outA = join(dir, 'fitA.json');
    const outB = join(dir, 'fitB.json');
    const bins = ['--bins-eta', '0,1.0,2.47', '--bins-pt', '25,60,1000'];
    await cli('fit', ['--input', benchFile, '--out', outA, ...bins, '--region', 'sideband-subtracted']);
    await cli('fit', ['--input', file, '--map-file', mapFile, '--out', outB, ...bins, '--region', 'sideband-subtracted', '--weights', 'w']);
    const a = JSON.parse(readFileSync(outA, 'utf8'));
    const b = JSON.parse(readFileSync(outB, 'utf8'));
    expect(b.status).toBe('converged');
    expect(b.eps).toEqual(a.eps);
    expect(b.columnMap.derived).toEqual(['sc', 'region']);
    expect(b.columnMap.columns.mll).toBe('m_ee');
    // Without the mapping: exit-2 error naming the column and the fix, no output.
    const outC = join(dir, 'fitC.json');
    await expect(cli('fit', ['--input', file, '--out', outC])).rejects.toThrow(/column pt1: required column is missing.*--map el1_pt=pt1/);
    expect(existsSync(outC)).toBe(false);
  });

  it('train and apply with the same mapping: apply keeps every row and records the mapping', async () => {
    const model = join(dir, 'model');
    await cli('train', [
      '--input',
      file,
      '--map-file',
      mapFile,
      '--out',
      model,
      '--features',
      'pt,abseta,phi',
      '--hidden',
      '8',
      '--epochs',
      '2',
      '--batch',
      '4096',
      '--backend',
      'cpu',
      '--no-progress',
      '--seed',
      '3',
    ]);
    const m = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    expect(m.columnMap.derived).toContain('sc');
    expect(m.inputs).toEqual(['log(pt)', 'abs(eta)', 'cos(phi)', 'sin(phi)']);
    const out = join(dir, 'applied.parquet');
    await cli('apply', [
      '--model',
      model,
      '--input',
      file,
      '--map',
      Object.entries(FOREIGN_MAP.columns)
        .map(([a, b]) => `${a}=${b}`)
        .join(','),
      '--out',
      out,
      '--backend',
      'cpu',
    ]);
    const { table, meta } = await readEvents(out);
    expect(table.n).toBe(bench.n);
    expect(table.columns.eps1!.every((e) => e > 0 && e < 0.5)).toBe(true);
    expect((meta as { columnMap: { derived: string[] } }).columnMap.derived).toEqual(['sc']);
  });
});
