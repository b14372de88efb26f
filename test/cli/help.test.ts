/**
 * The installed command, as users run it: bin/qmisid.js on the compiled tree (`npm test` compiles first).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/qmisid.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

describe('qmisid CLI', () => {
  it('--help lists every command', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    for (const c of ['generate', 'train', 'apply', 'convert', 'fit', 'study', 'merge', 'report', 'check'])
      expect(r.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
  });

  it('an unknown command or flag exits 2 and names it', () => {
    const a = run('frobnicate');
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/frobnicate/);
    const b = run('generate', '--events', '10', '--seed', '1', '--out', '/tmp/x.parquet', '--colour', 'blue');
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--colour/);
  });
});
