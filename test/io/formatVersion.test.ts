/**
 * Versioned files (src/io/formatVersion.ts): every kind is written with its current `formatVersion`, read back
 * unchanged, and a file with an unknown version is refused with a FormatVersionError naming the file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyTable } from '../../src/events/columns.js';
import { readEvents, sidecarPath, writeEvents } from '../../src/io/eventsFile.js';
import { checkFormatVersion, FORMAT_VERSIONS, FormatVersionError, withFormatVersion } from '../../src/io/formatVersion.js';
import { rebuildReport, writeReport } from '../../src/report/index.js';
import { readToys, toysJsonl } from '../../src/study/toyStore.js';
import type { ToyRecord } from '../../src/study/toyRecord.js';
import { sampleReport } from '../report/sampleReport.js';

const dir = mkdtempSync(join(tmpdir(), 'qmisid-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('formatVersion', () => {
  it('lists every file kind at version 1 and refuses an unknown version naming the file', () => {
    expect(Object.keys(FORMAT_VERSIONS).sort()).toEqual(['events', 'report', 'study', 'summary', 'toys']);
    for (const kind of Object.keys(FORMAT_VERSIONS) as (keyof typeof FORMAT_VERSIONS)[]) {
      const stamped = withFormatVersion(kind, { a: 1 });
      expect(Object.keys(stamped)[0]).toBe('formatVersion');
      expect(() => checkFormatVersion(kind, '/x/file.json', stamped)).not.toThrow();
      // Written before versioning: read as version 1.
      expect(() => checkFormatVersion(kind, '/x/file.json', { a: 1 })).not.toThrow();
      const bad = () => checkFormatVersion(kind, '/x/file.json', { formatVersion: 99, a: 1 });
      expect(bad).toThrow(FormatVersionError);
      expect(bad).toThrow(`/x/file.json column formatVersion: unknown ${kind} file format version: this build reads version 1 (got 99)`);
    }
  });

  it('event files: metadata and sidecar carry the version; an unknown one is refused with the path', async () => {
    const t = emptyTable(3);
    for (const q of ['q1', 'q2', 'truth_q1', 'truth_q2']) t.columns[q]?.fill(1);
    const meta = { config: {}, seed: 1, version: 'test' };
    const arrow = join(dir, 'ev.arrow');
    await writeEvents(arrow, t, meta);
    expect((await readEvents(arrow)).meta).toMatchObject({ formatVersion: 1, ...meta });
    const csv = join(dir, 'ev.csv');
    await writeEvents(csv, t, meta);
    const side = JSON.parse(readFileSync(sidecarPath(csv), 'utf8'));
    expect(side.formatVersion).toBe(1);
    writeFileSync(sidecarPath(csv), JSON.stringify({ ...side, formatVersion: 2 }));
    await expect(readEvents(csv)).rejects.toThrow(sidecarPath(csv));
    const future = join(dir, 'future.arrow');
    await writeEvents(future, t, { ...meta, formatVersion: 2 } as typeof meta);
    await expect(readEvents(future)).rejects.toThrow(new RegExp(`${future}.*unknown events file format version`));
  });

  it('toys.jsonl: every record carries the version, rewriting read records is byte-identical, an unknown one is refused', () => {
    const file = join(dir, 'toys.jsonl');
    const recs = [
      { toy: 0, status: 'ok' },
      { toy: 1, status: 'ok' },
    ] as unknown as ToyRecord[];
    const text = toysJsonl(recs);
    expect(text.split('\n')[0]).toMatch(/^\{"formatVersion":1,"toy":0/);
    writeFileSync(file, text);
    expect(toysJsonl(readToys(file).records)).toBe(text);
    writeFileSync(file, text.replace('"formatVersion":1,"toy":1', '"formatVersion":7,"toy":1'));
    expect(() => readToys(file)).toThrow(new RegExp(`${file}.*unknown toys file format version.*got 7`));
  });

  it('report.json: written with the version, rebuilt from it, an unknown one refused', async () => {
    const out = join(dir, 'report');
    // One plot keeps the rendering short.
    const report = sampleReport();
    await writeReport(out, { ...report, plots: report.plots.slice(0, 1) }, { generatedAt: '2030-01-01T00:00:00.000Z' });
    const file = join(out, 'report.json');
    const before = readFileSync(file, 'utf8');
    expect(JSON.parse(before).formatVersion).toBe(1);
    await rebuildReport(out, { generatedAt: '2030-01-01T00:00:00.000Z' });
    expect(readFileSync(file, 'utf8')).toBe(before);
    writeFileSync(file, before.replace('"formatVersion": 1', '"formatVersion": 3'));
    await expect(rebuildReport(out)).rejects.toThrow(new RegExp(`${file}.*unknown report file format version.*got 3`));
  });
});
