/**
 * The pipeline bench's plumbing at a toy size: the four commands run as child processes on the same files,
 * each leaves its output, the JSON carries per-command figures, sizes, rows and the floor, and toMarkdown
 * renders the section. No timing or memory assertion: figures belong to `npm run bench` (docs/benchmarks.md).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchPipeline, PIPELINE_RSS_FLOOR_MB } from '../../bench/pipeline.js';
import { benchToMarkdown } from '../../bench/toMarkdown.js';

const dir = mkdtempSync(join(tmpdir(), 'qmisid-pipeline-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench pipeline', () => {
  it('runs generate → fit → train → apply on the same files and reports each command', async () => {
    const r = await benchPipeline({ events: 3000, threads: 1, dir });
    expect(Object.keys(r.commands)).toEqual(['generate', 'fit', 'train', 'apply']);
    for (const c of Object.values(r.commands)) {
      expect(c.exit, c.error).toBe(0);
      expect(c.wall_s).toBeGreaterThan(0);
      if (existsSync('/usr/bin/time')) expect(c.peak_rss_mb).toBeGreaterThan(0);
    }
    expect(r.ok).toBe(true);
    expect(r.total_wall_s).toBeCloseTo(
      Object.values(r.commands).reduce((s, c) => s + c.wall_s, 0),
      2,
    );
    // The chain really passed its data along: apply wrote every selected row, the fit saw the window's events.
    expect(r.selected_events).toBeGreaterThan(500);
    expect(r.applied_rows).toBe(r.selected_events);
    expect(r.fit?.status).toBe('converged');
    expect(r.fit?.fitted_events).toBeGreaterThan(0);
    expect(r.fit?.fitted_events).toBeLessThanOrEqual(r.selected_events!);
    expect(r.file_mb.events).toBeGreaterThan(0);
    expect(r.file_mb.applied).toBeGreaterThan(r.file_mb.events);
    expect(JSON.parse(readFileSync(join(dir, 'model', 'model.json'), 'utf8'))).toBeTruthy();
    expect(r.floor.peak_rss_mb).toBe(PIPELINE_RSS_FLOOR_MB);

    const md = benchToMarkdown({ version: 'x', date: 'd', machine: {}, results: { pipeline: [r, { ...r, truth_events: 7 }] } });
    expect(md).toContain('## Pipeline: 3,000 truth Z events end to end');
    expect(md).toContain('## Pipeline: 7 truth Z events end to end');
    expect(md).toContain('| apply |');
    expect(md).not.toContain('failed');
  });

  it('a failing command stops the chain and shows as failed, with the floor not passed', async () => {
    // 0 truth events is refused by generate (exit 2): nothing after it runs.
    const r = await benchPipeline({ events: 0, dir: join(dir, 'bad') });
    expect(Object.keys(r.commands)).toEqual(['generate']);
    expect(r.commands.generate!.exit).toBe(2);
    expect(r.ok).toBe(false);
    expect(r.floor.pass).toBe(false);
    const md = benchToMarkdown({ version: 'x', date: 'd', machine: {}, results: { pipeline: r } });
    expect(md).toContain('| generate | failed');
    expect(md).toContain('**FAIL**');
  });
});
