/**
 * The byte-level CSV reader: exact doubles (the fast path must agree with Number() bit for bit), the text
 * forms it leaves to Number(), chunk boundaries, and errors that name the column, row and text.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvChunks, readCsvHeader } from '../../src/io/csvColumns.js';

const dir = mkdtempSync(join(tmpdir(), 'qmisid-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(path: string, wanted?: string[], chunkRows?: number): Promise<{ names: string[]; cols: number[][] }> {
  const h = readCsvHeader(path);
  const w = wanted ?? h.names;
  const cols: number[][] = w.map(() => []);
  for await (const c of readCsvChunks(path, h, w, chunkRows)) c.columns.forEach((col, k) => cols[k]!.push(...col));
  return { names: w, cols };
}

describe('readCsvChunks', () => {
  it('reads every double back bit for bit (shortest text, fixed decimals, integers, signs)', async () => {
    const path = join(dir, 'rt.csv');
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.double({ noNaN: true, noDefaultInfinity: true }),
            fc.integer({ min: -1e9, max: 1e9 }),
            fc.double({ min: -1e4, max: 1e4, noNaN: true }),
          ),
          { minLength: 1, maxLength: 60 },
        ),
        async (rows) => {
          const text = rows.map(([a, b, c]) => `${String(a)},${b},${c.toFixed(6)}`).join('\n');
          writeFileSync(path, `a,b,c\n${text}\n`);
          const { cols } = await readAll(path, undefined, 7);
          rows.forEach(([a, b, c], i) => {
            expect(Object.is(cols[0]![i], Number(String(a)))).toBe(true);
            expect(cols[1]![i]).toBe(b);
            expect(Object.is(cols[2]![i], Number(c.toFixed(6)))).toBe(true);
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('15-digit decimals (the fast path: one division by 10^k) equal Number(text) for every digit position', async () => {
    // m·(1/10^k) instead of m/10^k is wrong for ~1 % of these (e.g. 0.758098013149501): this catches it.
    const path = join(dir, 'dec.csv');
    const texts = fc.sample(
      fc.tuple(fc.integer({ min: 0, max: 1e15 - 1 }), fc.integer({ min: 1, max: 15 }), fc.boolean()).map(([m, k, neg]) => {
        const s = String(m).padStart(k + 1, '0');
        return `${neg ? '-' : ''}${s.slice(0, s.length - k)}.${s.slice(s.length - k)}`;
      }),
      { numRuns: 3000, seed: 19 },
    );
    writeFileSync(path, `v\n${texts.join('\n')}\n`);
    const { cols } = await readAll(path);
    texts.forEach((t, i) => expect(Object.is(cols[0]![i], Number(t))).toBe(true));
  });

  it('projects columns, skips empty lines, takes CRLF, spaces, quotes, exponents, nan, and a last line without newline', async () => {
    const path = join(dir, 'forms.csv');
    writeFileSync(path, 'x, y ,z\r\n1, 2.5 ,"3"\r\n\r\n-4e-3,nan,+7\r\n0.1234567890123456789,,8');
    const { names, cols } = await readAll(path, ['z', 'x', 'y']);
    expect(names).toEqual(['z', 'x', 'y']);
    expect(cols[0]).toEqual([3, 7, 8]);
    expect(cols[1]).toEqual([1, -4e-3, Number('0.1234567890123456789')]);
    expect(cols[2]![0]).toBe(2.5);
    expect(cols[2]![1]).toBeNaN();
    expect(cols[2]![2]).toBeNaN(); // an empty field is NaN (the event reader then rejects it as not finite)
  });

  it('names column, row and text of a bad field, and rows with the wrong field count', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'pt1,q1\n30,1\n3o,1\n');
    await expect(readAll(path)).rejects.toThrow(/column pt1: row 2 is not a number \(got "3o"\)/);
    writeFileSync(path, 'pt1,q1\n30,1\n40\n');
    await expect(readAll(path)).rejects.toThrow(/row 2 has 1 fields, the header has 2/);
    writeFileSync(path, '');
    expect(() => readCsvHeader(path)).toThrow(/empty CSV file/);
  });
  it('reads lines cut by the 4 MiB read blocks: between CR and LF, inside a field, and a long first line', async () => {
    // The reader gets the data in blocks of 2^22 bytes from the first data line; a line cut by a block end is
    // completed from the next block. Rows of 5 bytes ("d,d\r\n") put a block end between CR and LF (2^22 + 1
    // = 5 · 838861); rows of 11 bytes ("ddd,dddddd\n") put one after the first field's comma.
    const block = 2 ** 22;
    const crlf = join(dir, 'crlf-blocks.csv');
    const n5 = Math.ceil((2 * block) / 5) + 3;
    writeFileSync(crlf, `a,b\n${Array.from({ length: n5 }, (_, i) => `${i % 10},${(i * 7) % 10}\r\n`).join('')}`);
    const r5 = await readAll(crlf);
    expect(r5.cols[0]).toHaveLength(n5);
    expect(r5.cols[0]!.every((v, i) => v === i % 10)).toBe(true);
    expect(r5.cols[1]!.every((v, i) => v === (i * 7) % 10)).toBe(true);
    const mid = join(dir, 'mid-blocks.csv');
    const n11 = Math.ceil((2 * block) / 11) + 3;
    const pad6 = (i: number) => String(i % 1_000_000).padStart(6, '0');
    writeFileSync(mid, `a,b\n${Array.from({ length: n11 }, (_, i) => `${String(i % 1000).padStart(3, '0')},${pad6(i * 37)}\n`).join('')}`);
    const r11 = await readAll(mid, ['b']);
    expect(r11.cols[0]).toHaveLength(n11);
    expect(r11.cols[0]!.every((v, i) => v === (i * 37) % 1_000_000)).toBe(true);
    // A first data line longer than a block, and no newline at the end.
    const long = join(dir, 'long-line.csv');
    const wide = 1 + Math.ceil(block / 8);
    const names = Array.from({ length: wide }, (_, k) => `c${k}`);
    writeFileSync(long, `${names.join(',')}\n${names.map((_, k) => k % 97).join(',')}\n${names.map(() => '1').join(',')}`);
    const rl = await readAll(long, ['c0', `c${wide - 1}`]);
    expect(rl.cols).toEqual([
      [0, 1],
      [(wide - 1) % 97, 1],
    ]);
  });
});
