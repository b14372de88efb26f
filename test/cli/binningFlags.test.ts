/**
 * --bins-eta / --bins-pt go through one parser (src/cli/flags.ts parseBinningFlags) in `qmisid fit` and
 * `qmisid export --applied`: absent = the bench's default binning; a bad list or bad edges is a UsageError
 * naming the flag and the text typed (exit 2), raised before any file is read or written.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ETA_EDGES, DEFAULT_PT_EDGES } from '../../src/binning/Binning.js';
import { parseBinningFlags } from '../../src/cli/flags.js';
import { UsageError } from '../../src/errors.js';
import { runCli } from '../badInput/harness.js';

const root = mkdtempSync(join(tmpdir(), 'qmisid-binning-flags-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('parseBinningFlags', () => {
  it('parses the edges, and defaults to the bench binning', async () => {
    const b = await parseBinningFlags('0, 1.37,2.47', '25,60,1000');
    expect([b.etaEdges, b.ptEdges].map((e) => [...e])).toEqual([
      [0, 1.37, 2.47],
      [25, 60, 1000],
    ]);
    const d = await parseBinningFlags(undefined, undefined);
    expect([[...d.etaEdges], [...d.ptEdges]]).toEqual([[...DEFAULT_ETA_EDGES], [...DEFAULT_PT_EDGES]]);
  });

  it.each([
    ['0,x,2.47', undefined, '--bins-eta', '"0,x,2.47"'],
    ['', undefined, '--bins-eta', '""'],
    ['0,1.0,0.5', undefined, '--bins-eta', '"0,1.0,0.5"'],
    [undefined, '25', '--bins-pt', '"25"'],
  ])('eta %j pt %j: a UsageError naming %s and %s', async (eta, pt, flag, value) => {
    const err = await parseBinningFlags(eta, pt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain(flag);
    expect((err as Error).message).toContain(value);
  });

  it('qmisid export --applied: bad edges exit 2 naming the flag and value, nothing written', async () => {
    const out = join(root, 'cl.json');
    const r = await runCli(['export', '--applied', join(root, 'none.parquet'), '--correctionlib', out, '--bins-pt', '25,x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--bins-pt "25,x"');
    expect(existsSync(out)).toBe(false);
  });
});
