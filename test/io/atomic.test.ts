import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDirAtomic, writeFileAtomic } from '../../src/io/atomic.js';

describe('atomic output', () => {
  it('replaces a file whole and leaves no temporary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-atomic-'));
    const p = join(dir, 'a.json');
    writeFileAtomic(p, 'one');
    writeFileAtomic(p, 'two');
    expect(readFileSync(p, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('keeps the previous directory when filling the new one throws', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-atomic-'));
    const target = join(dir, 'report');
    mkdirSync(target);
    writeFileSync(join(target, 'index.html'), 'old');
    await expect(
      writeDirAtomic(target, (tmp) => {
        writeFileSync(join(tmp, 'index.html'), 'half');
        throw new Error('crash mid-way');
      }),
    ).rejects.toThrow('crash mid-way');
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['report']);
    await writeDirAtomic(target, (tmp) => writeFileSync(join(tmp, 'index.html'), 'new'));
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['report']);
  });
});
