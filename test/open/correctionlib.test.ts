/**
 * correctionlib export (src/export/): the binned fit's ε map and φ averaged in a binning of the user's choice
 * are valid correctionlib v2 CorrectionSets (checked with ajv against test/fixtures/correctionlib/schema-v2.json,
 * written from correctionlib's documented data model), and evaluating them as correctionlib would (category on
 * syst, then multibinning on abseta, pt with clamp) returns the fit's numbers; the CSV holds the same map.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { register as registerApply } from '../../src/cli/commands/apply.js';
import { register as registerExport } from '../../src/cli/commands/export.js';
import { register as registerFit } from '../../src/cli/commands/fit.js';
import { writeEvents } from '../../src/io/eventsFile.js';
import { saveModel } from '../../src/train/modelIo.js';
import { trainModel } from '../../src/train/trainModel.js';
import { FOREIGN_EPS, foreignTables } from './foreignSample.js';

const dir = mkdtempSync(join(tmpdir(), 'qmisid-clib-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const schema = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/correctionlib/schema-v2.json'), 'utf8')) as object;
const validate = new Ajv({ strict: false }).compile(schema);

async function cli(register: (p: Command) => void, name: string, args: string[]): Promise<void> {
  const program = new Command('qmisid').exitOverride();
  register(program);
  await program.parseAsync(['node', 'qmisid', name, ...args]);
}

type Node = { nodetype: string; input?: string; inputs?: string[]; edges?: number[] | number[][]; content: unknown; flow?: string };

/** Evaluate a CorrectionSet's correction the way correctionlib does, for the node types we write. */
function evaluate(node: unknown, x: Record<string, string | number>): number {
  if (typeof node === 'number') return node;
  const n = node as Node;
  if (n.nodetype === 'category') {
    const hit = (n.content as { key: string; value: unknown }[]).find((c) => c.key === x[n.input!]);
    if (!hit) throw new Error(`no category ${x[n.input!]}`);
    return evaluate(hit.value, x);
  }
  if (n.nodetype === 'multibinning') {
    const edges = n.edges as number[][];
    let flat = 0;
    n.inputs!.forEach((name, d) => {
      const e = edges[d]!;
      let i = e.findIndex((_, j) => j < e.length - 1 && (x[name] as number) >= e[j]! && (x[name] as number) < e[j + 1]!);
      if (i < 0) {
        if (n.flow !== 'clamp') throw new Error('out of range');
        i = (x[name] as number) < e[0]! ? 0 : e.length - 2;
      }
      flat = flat * (e.length - 1) + i;
    });
    return evaluate((n.content as unknown[])[flat], x);
  }
  throw new Error(`node ${n.nodetype}`);
}

describe('correctionlib export', async () => {
  const { bench } = foreignTables(20000, 'open/clib');
  const events = join(dir, 'events.parquet');
  await writeEvents(events, bench, { config: null, seed: 'x', version: 'test' });
  const bins = ['--bins-eta', '0,1.0,2.47', '--bins-pt', '25,60,1000'];

  it('the binned fit map: valid v2, evaluates to the fit eps +/- err, CSV alike', async () => {
    const fitOut = join(dir, 'fit.json');
    await cli(registerFit, 'fit', ['--input', events, '--out', fitOut, ...bins]);
    const fit = JSON.parse(readFileSync(fitOut, 'utf8'));
    const out = join(dir, 'fit.corr.json');
    const csv = join(dir, 'fit.csv');
    await cli(registerExport, 'export', ['--fit', fitOut, '--correctionlib', out, '--csv', csv, '--name', 'eps_fit']);
    const cset = JSON.parse(readFileSync(out, 'utf8'));
    expect(validate(cset) ? [] : validate.errors).toEqual([]);
    const corr = cset.corrections[0];
    expect(corr.name).toBe('eps_fit');
    // (|eta|, pT) points inside each bin, and one pT above the last edge (clamped to the last bin).
    const points: [number, number, number][] = [
      [0.3, 40, 0],
      [0.3, 100, 1],
      [1.8, 30, 2],
      [2.2, 500, 3],
      [2.2, 5000, 3],
    ];
    for (const [a, pt, k] of points) {
      expect(evaluate(corr.data, { syst: 'nominal', abseta: a, pt })).toBe(fit.eps[k]);
      expect(evaluate(corr.data, { syst: 'stat_up', abseta: a, pt })).toBeCloseTo(fit.eps[k] + fit.err[k], 15);
      expect(evaluate(corr.data, { syst: 'stat_down', abseta: a, pt })).toBeCloseTo(Math.max(fit.eps[k] - fit.err[k], 0), 15);
      // The fit recovers the toy's rates (4 sigma).
      expect(Math.abs(fit.eps[k] - FOREIGN_EPS[k]!) / fit.err[k]).toBeLessThan(4);
    }
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('abseta_lo,abseta_hi,pt_lo,pt_hi,eps,stat_err,stat_up,stat_down,electrons');
    expect(rows).toHaveLength(5);
    expect(Number(rows[3]!.split(',')[4])).toBe(fit.eps[2]);
  }, 60_000);

  it('phi averaged in a binning of choice: valid v2, bin means of the applied eps, errors from the ensemble sd', async () => {
    const model = await trainModel(bench, {
      features: ['pt', 'abseta'],
      hidden: [8],
      epochs: 2,
      batch: 4096,
      ensemble: 2,
      seed: 4,
      backend: 'cpu',
      progress: false,
    });
    const modelDir = join(dir, 'model');
    await saveModel(modelDir, model);
    const applied = join(dir, 'applied.parquet');
    await cli(registerApply, 'apply', ['--model', modelDir, '--input', events, '--out', applied, '--backend', 'cpu']);
    const out = join(dir, 'phi.corr.json');
    await cli(registerExport, 'export', [
      '--applied',
      applied,
      '--correctionlib',
      out,
      '--bins-eta',
      '0,0.8,1.6,2.47',
      '--bins-pt',
      '25,40,200,1000',
    ]);
    const cset = JSON.parse(readFileSync(out, 'utf8'));
    expect(validate(cset) ? [] : validate.errors).toEqual([]);
    // Recompute one bin's mean by hand: window electrons with |eta| in [0.8, 1.6), pT in [40, 200).
    const { readEvents } = await import('../../src/io/eventsFile.js');
    const t = (await readEvents(applied)).table.columns;
    let s = 0;
    let sd = 0;
    let n = 0;
    for (let i = 0; i < bench.n; i++) {
      if (t.region![i] !== 0) continue;
      for (const k of [1, 2]) {
        const a = Math.abs(t[`eta${k}`]![i]!);
        const pt = t[`pt${k}`]![i]!;
        if (a >= 0.8 && a < 1.6 && pt >= 40 && pt < 200) {
          s += t[`eps${k}`]![i]!;
          sd += t[`eps${k}_sd`]![i]!;
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(100);
    const x = { abseta: 1.0, pt: 100 };
    expect(evaluate(cset.corrections[0].data, { syst: 'nominal', ...x })).toBeCloseTo(s / n, 14);
    expect(evaluate(cset.corrections[0].data, { syst: 'stat_up', ...x })).toBeCloseTo((s + sd) / n, 14);
    expect(cset.corrections[0].description).toContain('ensemble sd');
  }, 60_000);

  it('the schema rejects what correctionlib would reject', () => {
    const ok = { schema_version: 2, corrections: [] };
    expect(validate(ok)).toBe(true);
    expect(validate({ ...ok, schema_version: 1 })).toBe(false);
    const bad = {
      schema_version: 2,
      corrections: [
        {
          name: 'x',
          version: 1,
          inputs: [],
          output: { name: 'y', type: 'real' },
          data: { nodetype: 'multibinning', inputs: ['a'], edges: [[0, 1]], content: [1] },
        },
      ],
    };
    expect(validate(bad)).toBe(false); // no flow
    expect(validate({ ...ok, extra: 1 })).toBe(false);
  });
});
