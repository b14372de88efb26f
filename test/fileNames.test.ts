/**
 * One file-name case in src/ and generators/: camelCase (PascalCase for a class file such as Binning.ts), the
 * case most files had. A kebab-case or snake_case name fails here, so the tree stays one case.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const NAME = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? [p, ...walk(p)] : [p];
  });
}

describe('file names', () => {
  it.each(['src', 'generators'])('every file and directory under %s/ is camelCase (no - or _)', (top) => {
    const bad = walk(join(ROOT, top))
      .filter((p) => !NAME.test(p.split('/').pop()!))
      .map((p) => relative(ROOT, p));
    expect(bad).toEqual([]);
  });

  it('the check fails on a kebab-case or snake_case name', () => {
    expect(NAME.test('generate-block.ts')).toBe(false);
    expect(NAME.test('events_file.ts')).toBe(false);
    expect(NAME.test('generateBlock.ts')).toBe(true);
    expect(NAME.test('Binning.ts')).toBe(true);
  });
});
