import { afterAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { readEvents } from '../../src/io/eventsFile.js';
import { version } from '../../src/version.js';
import { REGION } from '../../src/selection/selection.js';

const dir = mkdtempSync(join(tmpdir(), 'qmisid-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await main(['node', 'qmisid', 'generate', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('qmisid generate', () => {
  it('writes exactly N selected events with the resolved config, seed and version, and a JSON summary', async () => {
    const cfg = join(dir, 'gen.json');
    writeFileSync(cfg, JSON.stringify({ blockSize: 8192, eps: { eps0: 1e-4 } }));
    const file = join(dir, 'ev.arrow');
    const r = await run(['--events', '5000', '--seed', '42', '--out', file, '--config', cfg, '--workers', '0', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as {
      summary: { selectedEvents: number; window: { oc: number; sc: number } };
      seed: number;
      count: string;
    };
    expect(summary.count).toBe('selected');
    expect(summary.summary.selectedEvents).toBe(5000);
    const { table, meta } = await readEvents(file);
    expect(table.n).toBe(5000);
    expect(meta?.seed).toBe(42);
    expect(meta?.version).toBe(version);
    expect((meta?.config as { blockSize: number; eps: { eps0: number; beta: number } }).eps).toMatchObject({ eps0: 1e-4, beta: 2.2 });
    const sidecar = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { seed: number; config: { blockSize: number } };
    expect(sidecar.seed).toBe(42);
    expect(sidecar.config.blockSize).toBe(8192);
    let sc = 0;
    for (let i = 0; i < table.n; i++) if (table.columns.region![i] === REGION.window) sc += table.columns.sc![i]!;
    expect(sc).toBe(summary.summary.window.sc);
  });

  it('rejects a config file error naming the key path, exit 2, no output file', async () => {
    const cfg = join(dir, 'bad.json');
    writeFileSync(cfg, JSON.stringify({ detector: { resolution: { endcap: { a: 0.15, q: 1 } } } }));
    const file = join(dir, 'bad.parquet');
    const r = await run(['--events', '100', '--seed', '1', '--out', file, '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('detector.resolution.endcap.q');
    expect(existsSync(file)).toBe(false);
  });

  it('rejects bad flags with the flag name', async () => {
    const file = join(dir, 'x.csv');
    const r1 = await run(['--events', '-3', '--seed', '1', '--out', file]);
    expect(r1.code).toBe(2);
    expect(r1.err).toContain('--events');
    const r2 = await run(['--events', '10', '--truth-events', '10', '--seed', '1', '--out', file]);
    expect(r2.code).toBe(2);
    const r3 = await run(['--events', '10', '--seed', '1', '--out', file, '--workers', 'two']);
    expect(r3.code).toBe(2);
    expect(r3.err).toContain('--workers');
    expect(existsSync(file)).toBe(false);
  });
});
