/**
 * `qmisid train` selects like `qmisid fit` (issue 11 item 5): by default it trains on the mass window of the
 * file's own selection, not on every row, and records the selection it used in model.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { configForMetadata } from '../../src/config/generatorConfig.js';
import { writeEvents } from '../../src/io/eventsFile.js';
import { REGION } from '../../src/selection/selection.js';
import { loadModel } from '../../src/train/modelIo.js';
import { generateEvents } from '../../generators/zee/generateEvents.js';

const dir = mkdtempSync(join(tmpdir(), 'qmisid-train-sel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('qmisid train: the file’s selection', () => {
  it('trains on the window of an 85–97 GeV file by default and records the file’s selection (sideband factor −0.3); flags narrow it', async () => {
    const gen = await generateEvents({ config: { selection: { window: [85, 97] } }, events: 6000, seed: 'train/selection', workers: 0 });
    const table = gen.table!;
    const input = join(dir, 'w.parquet');
    await writeEvents(input, table, { config: configForMetadata(gen.config), seed: 'train/selection', version: 'test' });
    let nWindow = 0;
    for (let i = 0; i < table.n; i++) if (table.columns.region![i] === REGION.window) nWindow++;
    expect(nWindow).toBeLessThan(table.n);
    const common = ['--epochs', '1', '--batch', '512', '--hidden', '4', '--val-frac', '0.2', '--no-progress', '--backend', 'cpu'];
    expect(await main(['node', 'qmisid', 'train', '--input', input, '--out', join(dir, 'm1'), ...common])).toBe(0);
    expect(loadModel(join(dir, 'm1')).selection).toEqual({
      region: 'window',
      ptMin: [25, 25],
      window: [85, 97],
      lowSideband: [60, 80],
      highSideband: [100, 120],
      sidebandWeight: -0.3,
      source: 'file',
      events: nWindow,
    });
    expect(await main(['node', 'qmisid', 'train', '--input', input, '--out', join(dir, 'm2'), ...common, '--window', '87,95'])).toBe(0);
    expect(loadModel(join(dir, 'm2')).selection).toMatchObject({ region: 'window', window: [87, 95], source: 'flags' });
    expect((loadModel(join(dir, 'm2')).selection as { events: number }).events).toBeLessThan(nWindow);
  });
});
