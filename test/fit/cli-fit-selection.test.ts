/**
 * `qmisid fit` uses the event file’s own selection (issue 11 items 5 and 6): an 85–97 GeV window file, fitted
 * with sideband subtraction, weights its sideband events −(12 GeV)/(40 GeV) = −0.3 (not the default window's
 * −0.5); selection flags override the file’s and are recorded; the truth block covers the fitted events only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { register } from '../../src/cli/commands/fit.js';
import { UsageError } from '../../src/errors.js';
import { configForMetadata } from '../../src/config/generatorConfig.js';
import { writeEvents } from '../../src/io/eventsFile.js';
import { REGION } from '../../src/selection/selection.js';
import { generateEvents } from '../../generators/zee/generateEvents.js';

const dir = mkdtempSync(join(tmpdir(), 'qmisid-fit-sel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<Record<string, any>> {
  const program = new Command('qmisid').exitOverride();
  register(program);
  await program.parseAsync(['node', 'qmisid', 'fit', ...args]);
  const out = args[args.indexOf('--out') + 1]!;
  return JSON.parse(readFileSync(out, 'utf8')) as Record<string, any>;
}

const BINS = ['--bins-eta', '0,1.37,2.47', '--bins-pt', '25,1000'];

describe('qmisid fit: the file’s own selection', async () => {
  // Large flat ε so a small sample has same-charge events in every bin; an 85–97 window, default sidebands.
  const config = {
    eps: { model: 'binned' as const, absEtaEdges: [0, 1.37, 2.47], ptEdges: [0, 14000], values: [[0.02], [0.04]] },
    selection: { window: [85, 97] as [number, number] },
  };
  const gen = await generateEvents({ config, events: 20000, seed: 'cli/fit-selection', workers: 0 });
  const table = gen.table!;
  const input = join(dir, 'w85-97.parquet');
  await writeEvents(input, table, { config: configForMetadata(gen.config), seed: 'cli/fit-selection', version: 'test' });
  const region = table.columns.region!;
  const m = table.columns.m_ee!;
  let nWindow = 0;
  let nSide = 0;
  for (let i = 0; i < table.n; i++) region[i] === REGION.window ? nWindow++ : nSide++;

  it('sideband subtraction weighs the sidebands with the file’s factor −0.3, and says where the selection came from', async () => {
    expect(nWindow).toBeGreaterThan(1000);
    expect(nSide).toBeGreaterThan(100);
    const j = await run(['--input', input, '--out', join(dir, 'sub.json'), ...BINS, '--region', 'sideband-subtracted']);
    expect(j.selection).toEqual({
      ptMin: [25, 25],
      window: [85, 97],
      lowSideband: [60, 80],
      highSideband: [100, 120],
      sidebandWeight: -0.3,
      source: 'file',
    });
    // Σw of the fitted events: window count minus 0.3 × sideband count (every event is inside this binning).
    expect(j.counts.sumW).toBeCloseTo(nWindow - 0.3 * nSide, 6);
    // The truth block covers the same events (window and sidebands), with the fit’s weights.
    expect(j.truth.events).toBe(nWindow + nSide);
    expect(j.truth.note).toMatch(/sideband-subtracted.*fit's weights/);
  });

  it('the window fit’s truth block covers the window only, not every event of the file', async () => {
    const j = await run(['--input', input, '--out', join(dir, 'win.json'), ...BINS]);
    expect(j.truth.events).toBe(nWindow);
    expect(j.counts.nEvents).toBe(nWindow);
    const electrons = (j.truth.electrons as number[]).reduce((a, b) => a + b, 0);
    expect(electrons).toBe(2 * nWindow);
  });

  it('selection flags override the file’s, narrower only, and are recorded as such', async () => {
    const j = await run([
      '--input',
      input,
      '--out',
      join(dir, 'flags.json'),
      ...BINS,
      '--region',
      'sideband-subtracted',
      '--window',
      '86,96',
      '--pt-min',
      '30,27',
    ]);
    expect(j.selection).toMatchObject({ window: [86, 96], ptMin: [30, 27], sidebandWeight: -0.25, source: 'flags' });
    const pt1 = table.columns.pt1!;
    const pt2 = table.columns.pt2!;
    let nW = 0;
    let nS = 0;
    for (let i = 0; i < table.n; i++) {
      if (!(pt1[i]! > 30 && pt2[i]! > 27)) continue;
      if (m[i]! >= 86 && m[i]! < 96) nW++;
      else if ((m[i]! >= 60 && m[i]! < 80) || (m[i]! >= 100 && m[i]! < 120)) nS++;
    }
    expect(j.counts.sumW).toBeCloseTo(nW - 0.25 * nS, 6);
    expect(j.truth.events).toBe(nW + nS);
    await expect(run(['--input', input, '--out', join(dir, 'x.json'), ...BINS, '--window', '50,100'])).rejects.toThrow(UsageError);
    await expect(run(['--input', input, '--out', join(dir, 'x.json'), ...BINS, '--window', '86'])).rejects.toThrow(
      /--window "86": 2 comma-separated numbers/,
    );
    await expect(run(['--input', input, '--out', join(dir, 'x.json'), ...BINS, '--sidebands', '60,90,100,120'])).rejects.toThrow(
      /--sidebands/,
    );
    await expect(run(['--input', input, '--out', join(dir, 'x.json'), ...BINS, '--pt-min', '20,25'])).rejects.toThrow(/--pt-min/);
  });

  it('--folded fits the file’s window with the file’s whole selection as parents', async () => {
    const j = await run([
      '--input',
      input,
      '--out',
      join(dir, 'folded.json'),
      ...BINS,
      '--folded',
      '--loss-mean',
      '0.015',
      '--extra-smear',
      '0.025',
      '--replicas',
      '2',
    ]);
    expect(j.selection.source).toBe('file');
    expect(j.truth.events).toBe(nWindow);
    expect(j.counts.nEvents).toBe(table.n);
  });

  it('a file without metadata uses the defaults and says so', async () => {
    const csv = join(dir, 'nometa.csv');
    await writeEvents(csv, table, { config: {}, seed: 'x', version: 'test' });
    const j = await run(['--input', csv, '--out', join(dir, 'nometa.json'), ...BINS, '--region', 'sideband-subtracted']);
    expect(j.selection).toMatchObject({ window: [80, 100], sidebandWeight: -0.5, source: 'default' });
  });
});
