/**
 * The docs' shell commands run. Convention: every ```sh block in README.md and docs/*.md is preceded by one of
 *   <!-- runs-in-test -->                 the block runs verbatim, in order, with the page's other runnable blocks
 *   <!-- runs-in-test: lines 1,2 -->      only those lines of the block run (the others need a cluster, a module…)
 *   <!-- documented-only: REASON -->      the block is not run, for the stated reason (too heavy, needs Slurm…)
 * An unmarked block fails this test. Runnable blocks carry their own reduced sizes (--quick, --events 20000): what
 * the page shows is what runs. Each page's runnable blocks run as one `bash -euo pipefail` script in a fresh
 * temporary directory that links the built package (dist/, bin/, node_modules/, studies/…) and holds a copy of
 * reports/, with `qmisid` on PATH; the script must exit 0. Pages listed in MUST_RUN need at least one runnable
 * block. Relative links between the pages must resolve (files and #anchors).
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
/** Pages this test requires to show at least one command that really runs. */
const MUST_RUN = [
  'README.md',
  'docs/method.md',
  'docs/generator.md',
  'docs/training.md',
  'docs/estimators.md',
  'docs/studies.md',
  'docs/reports.md',
  'docs/properties.md',
  'docs/results.md',
  'docs/file-formats.md',
  'docs/check.md',
];

interface Block {
  page: string;
  line: number;
  marker: string | null;
  code: string[];
}

function shBlocks(page: string): Block[] {
  const lines = readFileSync(join(root, page), 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(sh|bash)\s*$/.test(lines[i]!)) continue;
    let j = i - 1;
    while (j >= 0 && lines[j]!.trim() === '') j--;
    const m = j >= 0 ? /^<!--\s*(runs-in-test(?::[^>]*)?|documented-only:[^>]*|walkthrough:[^>]*)\s*-->$/.exec(lines[j]!.trim()) : null;
    const code: string[] = [];
    let k = i + 1;
    for (; k < lines.length && !lines[k]!.startsWith('```'); k++) code.push(lines[k]!);
    out.push({ page, line: i + 1, marker: m ? m[1]!.trim() : null, code });
    i = k;
  }
  return out;
}

function runnable(b: Block): string[] | null {
  if (!b.marker || !b.marker.startsWith('runs-in-test')) return null;
  const sel = /^runs-in-test:\s*lines\s+([\d,\s]+)$/.exec(b.marker);
  if (b.marker !== 'runs-in-test' && !sel) throw new Error(`${b.page}:${b.line}: unknown marker "${b.marker}"`);
  if (!sel) return b.code;
  return sel[1]!.split(',').map((s) => {
    const n = Number(s.trim());
    if (!b.code[n - 1]) throw new Error(`${b.page}:${b.line}: marker selects line ${n}, the block has ${b.code.length}`);
    return b.code[n - 1]!;
  });
}

const blocks = pages.flatMap(shBlocks);
const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh directory that looks like a checkout after `npm ci && npm run build`, with its own copy of reports/. */
function sandbox(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'qmisid-docs-'));
  scratch.push(dir);
  for (const name of [
    'bin',
    'dist',
    'node_modules',
    'src',
    'generators',
    'bench',
    'studies',
    'scripts',
    'test',
    'docs',
    'package.json',
    'tsconfig.json',
    'vitest.config.ts',
  ]) {
    if (existsSync(join(root, name))) symlinkSync(join(root, name), join(dir, name));
  }
  cpSync(join(root, 'reports'), join(dir, 'reports'), { recursive: true });
  const shim = join(dir, '.shim');
  mkdirSync(shim);
  writeFileSync(join(shim, 'qmisid'), `#!/bin/sh\nexec node ${JSON.stringify(join(root, 'bin', 'qmisid.js'))} "$@"\n`);
  chmodSync(join(shim, 'qmisid'), 0o755);
  return { dir, path: `${shim}:${process.env.PATH ?? ''}` };
}

describe('docs: every ```sh block is marked', () => {
  it.each(pages)('%s', (page) => {
    const unmarked = shBlocks(page)
      .filter((b) => b.marker === null)
      .map((b) => `${b.page}:${b.line}`);
    expect(unmarked, 'mark each block <!-- runs-in-test --> or <!-- documented-only: reason --> (test/docs/commands.test.ts)').toEqual([]);
    for (const b of shBlocks(page))
      if (b.marker?.startsWith('documented-only'))
        expect(b.marker.replace('documented-only:', '').trim().length, `${b.page}:${b.line} needs a reason`).toBeGreaterThan(5);
  });
  it.each(MUST_RUN.filter((p) => pages.includes(p)))('%s has at least one command that runs', (page) => {
    expect(shBlocks(page).filter((b) => runnable(b) !== null).length).toBeGreaterThan(0);
  });
});

describe('docs: runnable commands exit 0', () => {
  const byPage = pages.filter((p) => blocks.some((b) => b.page === p && runnable(b) !== null));
  it.each(byPage)('%s', (page) => {
    const script = blocks
      .filter((b) => b.page === page)
      .map(runnable)
      .filter((c): c is string[] => c !== null)
      .flat()
      .join('\n');
    const { dir, path } = sandbox();
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: dir,
      env: { ...process.env, PATH: path, SOURCE_DATE_EPOCH: '1764460800', NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 540_000,
      maxBuffer: 64 << 20,
    });
    expect(
      r.status,
      `${page} commands failed (exit ${r.status}, signal ${r.signal}):\n${script}\n--- stderr ---\n${r.stderr.slice(-4000)}`,
    ).toBe(0);
  });
});

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slug(h: string): string {
  return h
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const set = new Set<string>();
  let inCode = false;
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    if (l.startsWith('```')) inCode = !inCode;
    const m = !inCode && /^#{1,6}\s+(.*)$/.exec(l);
    if (m) set.add(slug(m[1]!));
  }
  return set;
}

describe('docs: relative links resolve', () => {
  it.each(pages)('%s', (page) => {
    const text = readFileSync(join(root, page), 'utf8');
    const bad: string[] = [];
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const abs = file ? resolve(dirname(join(root, page)), file) : join(root, page);
      if (!abs.startsWith(root) || relative(root, abs).startsWith('..')) bad.push(`${target} (outside the repository)`);
      else if (!existsSync(abs)) bad.push(`${target} (no such file)`);
      else if (anchor && abs.endsWith('.md') && !anchors(abs).has(anchor)) bad.push(`${target} (no such heading)`);
    }
    expect(bad).toEqual([]);
    expect(text, 'the repository stands alone').not.toMatch(/\.\.\/shared|\/work\//);
  });
});
