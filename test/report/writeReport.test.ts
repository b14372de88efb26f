/**
 * The report directory: the files it holds, deterministic content (only the timestamp differs between two
 * runs), all-or-nothing writing (a failing plot midway leaves the previous report as it was), rebuilds from
 * report.json, and input errors that name the offending path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import { gitCommit, parseReport, rebuildReport, writeReport, type Report } from '../../src/report/index.js';
import { sampleReport } from './sampleReport.js';
import { listFiles } from '../support/listFiles.js';

function snapshot(dir: string, mask?: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of listFiles(dir)) {
    const buf = readFileSync(join(dir, f));
    const text = f.endsWith('.png') ? buf.toString('base64') : buf.toString('utf8');
    m.set(f, mask ? text.split(mask).join('<TIMESTAMP>') : text);
  }
  return m;
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'qmisid-report-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeReport', () => {
  it('writes index.html, specs, SVG and PNG per plot, summary.md/json and report.json', async () => {
    const report = sampleReport();
    const dir = join(root, 'full');
    const m = await writeReport(dir, report, { generatedAt: '2030-01-02T03:04:05.000Z' });
    const files = listFiles(dir);
    for (const p of report.plots) {
      expect(files).toContain(`specs/${p.id}.vl.json`);
      expect(files).toContain(`plots/${p.id}.svg`);
      expect(files).toContain(`plots/${p.id}.png`);
      const png = readFileSync(join(dir, `plots/${p.id}.png`));
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      // PNG is the SVG at 2x: its width (IHDR) is twice the SVG's width attribute.
      const svg = readFileSync(join(dir, `plots/${p.id}.svg`), 'utf8');
      const w = Number(/<svg[^>]* width="(\d+)"/.exec(svg)![1]);
      expect(png.readUInt32BE(16)).toBe(2 * w);
      expect(svg).toContain('<text');
      expect(JSON.parse(readFileSync(join(dir, `specs/${p.id}.vl.json`), 'utf8'))).toEqual(JSON.parse(JSON.stringify(p.spec)));
    }
    expect(files).toEqual(expect.arrayContaining(['index.html', 'summary.json', 'summary.md', 'report.json']));
    expect(m.warnings).toEqual({});
    expect(m.allPass).toBe(false);

    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.generatedAt).toBe('2030-01-02T03:04:05.000Z');
    expect(summary.allPass).toBe(false);
    expect(summary.summary.gitCommit).toBe(report.summary.gitCommit);
    expect(summary.plots.map((p: { id: string }) => p.id)).toEqual(report.plots.map((p) => p.id));

    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md).toContain('1 of 4 criteria fail');
    expect(md).toContain('| SC closure χ²/ndf (m_ee) | 1.9 | ≤ 1.5 | **FAIL** |');
    for (const p of report.plots) expect(md).toContain(`![${p.title}](plots/${p.id}.png)`);

    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    // Offline: no external script or stylesheet, no CDN address.
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+stylesheet/);
    expect(html).not.toMatch(/cdn\.jsdelivr|unpkg\.com|cdnjs/);
    for (const p of report.plots) expect(html).toContain(`id="view-${p.id}"`);
    expect(html).toContain('<td class="fail">FAIL</td>');
  });

  it('is deterministic: two runs differ only in the timestamp', async () => {
    const a = join(root, 'det-a');
    const b = join(root, 'det-b');
    const ma = await writeReport(a, sampleReport(), { generatedAt: '2031-05-06T07:08:09.000Z' });
    const mb = await writeReport(b, sampleReport());
    expect(ma.generatedAt).not.toBe(mb.generatedAt);
    const sa = snapshot(a, ma.generatedAt);
    const sb = snapshot(b, mb.generatedAt);
    expect([...sb.keys()]).toEqual([...sa.keys()]);
    for (const [f, text] of sa) expect(sb.get(f), f).toBe(text);
    // The timestamp is really in the files (so masking it was needed) and nowhere else differs.
    expect(readFileSync(join(a, 'summary.json'), 'utf8')).toContain(ma.generatedAt);
  });

  it('a failure midway leaves the previous report untouched and no temporary directory behind', async () => {
    const dir = join(root, 'atomic');
    await writeReport(dir, sampleReport(), { generatedAt: '2030-01-01T00:00:00.000Z' });
    const before = snapshot(dir);
    const bad: Report = sampleReport();
    // Valid report input, but the fourth plot's spec cannot be compiled: the fill has already written files
    // for the first three plots when it throws.
    bad.plots.splice(3, 0, {
      id: 'broken',
      title: 'broken',
      caption: 'a spec vega-lite rejects',
      spec: { mark: 'no-such-mark', data: { values: [] } } as never,
    });
    bad.title = 'this title must not reach disk';
    await expect(writeReport(dir, bad)).rejects.toThrow(/broken/);
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(root).filter((n) => n.startsWith('.atomic'))).toEqual([]);
  });

  it('rebuildReport reproduces the directory from its report.json', async () => {
    const dir = join(root, 'rebuild');
    await writeReport(dir, sampleReport(), { generatedAt: '2030-01-01T00:00:00.000Z' });
    const before = snapshot(dir);
    rmSync(join(dir, 'index.html'));
    rmSync(join(dir, 'plots'), { recursive: true });
    await rebuildReport(dir, { generatedAt: '2030-01-01T00:00:00.000Z' });
    expect(snapshot(dir)).toEqual(before);
    await expect(rebuildReport(join(root, 'nowhere'))).rejects.toThrow(/report\.json/);
  });

  it('fills version and git commit when absent', async () => {
    const r = sampleReport();
    delete r.summary.version;
    delete r.summary.gitCommit;
    r.plots = r.plots.slice(0, 1);
    const dir = join(root, 'fill');
    await writeReport(dir, r, { gitDir: tmpdir() });
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(s.summary.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(s.summary.gitCommit).toBe('unknown');
  });
});

describe('parseReport', () => {
  it('names the path and value of the first problem', () => {
    const r = sampleReport();
    const dup = { ...r, plots: [r.plots[0]!, r.plots[0]!] };
    expect(() => parseReport(dup)).toThrow(ConfigError);
    expect(() => parseReport(dup)).toThrow(/plots\[1\]\.id/);
    const badId = { ...r, plots: [{ ...r.plots[0]!, id: 'Has Space' }] };
    expect(() => parseReport(badId)).toThrow(/plots\[0\]\.id = "Has Space"/);
    const remote = { ...r, plots: [{ ...r.plots[0]!, spec: { mark: 'point', data: { url: 'https://example.org/x.csv' } } }] };
    expect(() => parseReport(remote)).toThrow(/plots\[0\]\.spec\.data\.url.*inlined/);
    const extra = { ...r, summary: { ...r.summary, sneaky: 1 } };
    expect(() => parseReport(extra)).toThrow(/summary/);
    const badCriterion = { ...r, summary: { ...r.summary, criteria: [{ name: 'x', value: 1, threshold: 2, pass: 'yes' }] } };
    expect(() => parseReport(badCriterion)).toThrow(/summary\.criteria\[0\]\.pass = "yes"/);
  });
});

describe('gitCommit', () => {
  it('a commit hash inside a checkout, "unknown" outside one', () => {
    const here = gitCommit(process.cwd());
    if (existsSync(join(process.cwd(), '.git'))) expect(here).toMatch(/^[0-9a-f]{40}$/);
    const outside = mkdtempSync(join(tmpdir(), 'qmisid-nogit-'));
    try {
      expect(gitCommit(outside)).toBe('unknown');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
