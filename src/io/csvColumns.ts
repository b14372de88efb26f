/**
 * Streaming reader for numeric CSV event files: header line, then one event per line, comma-separated numbers.
 *
 * Why not a general CSV library: an event file is numbers only, and the time goes into turning text into
 * doubles. This reader scans bytes (no string per field), parses only the requested columns, and turns the
 * common decimal form (at most 15 significant digits, no exponent) into a double directly: an integer
 * mantissa m < 2^53 divided by 10^k with k ≤ 22 is one correctly rounded IEEE operation (Clinger's fast path),
 * so the result equals Number(text) bit for bit. Everything else (exponents, long mantissas, `nan`, quoted
 * fields, stray text) falls back to Number() on the field's text, which keeps the semantics of the earlier
 * csv-parse reader: surrounding spaces are ignored, empty lines are skipped, an empty field is NaN, and a
 * field that is not a number is a DataError naming the column, the row and the text.
 *
 * The file is read in blocks of 4 MiB and handed out in chunks of `chunkRows` rows, so memory holds one block
 * plus the requested columns of one chunk.
 */
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { DataError } from '../errors.js';

const NL = 10;
const CR = 13;
const COMMA = 44;
const SPACE = 32;
const TAB = 9;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;

// 10^k for k ≤ 22 are exact doubles: the fast path divides by one of them.
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_FAST_MANTISSA = 2 ** 53;

export interface CsvHeader {
  names: string[];
  /** Byte offset of the first data line. */
  dataStart: number;
}

/** The header line (names trimmed). */
export function readCsvHeader(path: string): CsvHeader {
  const fd = openSync(path, 'r');
  try {
    const parts: Buffer[] = [];
    let total = 0;
    const block = Buffer.alloc(65536);
    for (;;) {
      const got = readSync(fd, block, 0, block.length, total);
      if (got === 0) break;
      const nl = block.subarray(0, got).indexOf(NL);
      if (nl >= 0) {
        parts.push(Buffer.from(block.subarray(0, nl)));
        total += nl + 1;
        const line = Buffer.concat(parts).toString('utf8').replace(/\r$/, '');
        return { names: splitHeader(path, line), dataStart: total };
      }
      parts.push(Buffer.from(block.subarray(0, got)));
      total += got;
    }
    const line = Buffer.concat(parts).toString('utf8').replace(/\r$/, '');
    if (line.trim() === '') throw new DataError(path, undefined, 'empty CSV file: expected a header line');
    return { names: splitHeader(path, line), dataStart: total };
  } finally {
    closeSync(fd);
  }
}

function splitHeader(path: string, line: string): string[] {
  if (line.trim() === '') throw new DataError(path, undefined, 'empty CSV file: expected a header line');
  return line.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
}

export interface CsvChunk {
  n: number;
  /** One column per requested name, in request order. */
  columns: Float64Array[];
}

/**
 * Chunks of the requested columns (by header name). Rows are numbered from 1 (the first data line) in errors.
 */
export async function* readCsvChunks(
  path: string,
  header: CsvHeader,
  wanted: readonly string[],
  chunkRows = 65536,
): AsyncGenerator<CsvChunk> {
  const nCols = header.names.length;
  // slot[j] = position of header column j among the wanted columns, or −1.
  const slot = new Int32Array(nCols).fill(-1);
  wanted.forEach((name, k) => {
    const j = header.names.indexOf(name);
    if (j < 0) throw new DataError(path, name, `requested column is missing (columns present: ${header.names.join(' ')})`);
    slot[j] = k;
  });
  let cols = wanted.map(() => new Float64Array(chunkRows));
  let n = 0;
  let row = 0; // data rows seen so far
  let carry: Buffer | undefined;

  const fail = (j: number, text: string): never => {
    throw new DataError(path, header.names[j], `row ${row + 1} is not a number`, text);
  };
  // Text of the current block, one char per byte (latin1): fields that leave the fast path are read from it
  // with Number(); decoding the block once is much cheaper than a string per field from the buffer. Decoded
  // only when a field of the block first needs it: a file the fast path reads whole (every number plain) then
  // makes no 4 MiB string per block, which the collector would free only at a major GC (measured: train from
  // CSV peaked at 297-320 MB with the eager decode).
  let text: string | undefined;
  let textStart = 0; // byte offset of text[0] in the block
  let textEnd = 0;
  const slow = (buf: Buffer, a: number, b: number, j: number): number => {
    text ??= buf.toString('latin1', textStart, textEnd);
    let t = text.slice(a - textStart, b - textStart);
    let v = Number(t);
    if (!Number.isNaN(v) && t.trim() !== '') return v;
    t = t.trim();
    if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) t = t.slice(1, -1).trim();
    if (t === '') return Number.NaN;
    v = Number(t);
    if (Number.isNaN(v) && t.toLowerCase() !== 'nan') fail(j, buf.toString('utf8', a, b).trim());
    return v;
  };

  /** Parse the complete lines of buf[start, end). */
  function* lines(buf: Buffer, start: number, end: number): Generator<CsvChunk> {
    text = undefined;
    textStart = start;
    textEnd = end;
    let p = start;
    while (p < end) {
      // Skip an empty (or CR-only) line.
      const c0 = buf[p]!;
      if (c0 === NL) {
        p++;
        continue;
      }
      if (c0 === CR && buf[p + 1] === NL) {
        p += 2;
        continue;
      }
      let j = 0;
      let a = p;
      for (;;) {
        // One field [a, q).
        const k = slot[j] ?? -1;
        let q = a;
        if (k < 0) {
          while (q < end && buf[q] !== COMMA && buf[q] !== NL) q++;
        } else {
          // Fast path: [spaces] [sign] digits [. digits] [spaces]
          let s = q;
          while (buf[s] === SPACE || buf[s] === TAB) s++;
          let neg = false;
          if (buf[s] === MINUS) {
            neg = true;
            s++;
          } else if (buf[s] === PLUS) s++;
          let m = 0;
          let digits = 0;
          let frac = 0;
          let t = s;
          let c = buf[t]!;
          while (c >= ZERO && c <= ZERO + 9) {
            m = m * 10 + (c - ZERO);
            digits++;
            c = buf[++t]!;
          }
          if (c === DOT) {
            c = buf[++t]!;
            while (c >= ZERO && c <= ZERO + 9) {
              m = m * 10 + (c - ZERO);
              digits++;
              frac++;
              c = buf[++t]!;
            }
          }
          let u = t;
          while (buf[u] === SPACE || buf[u] === TAB) u++;
          const term = buf[u];
          const lineEnd = u >= end || term === NL || (term === CR && (u + 1 >= end || buf[u + 1] === NL));
          if (digits > 0 && digits <= 15 && m < MAX_FAST_MANTISSA && (term === COMMA || lineEnd)) {
            const v = frac === 0 ? m : m / POW10[frac]!;
            cols[k]![n] = neg ? -v : v;
            q = u; // at the comma, the newline, or a CR before it (dropped below)
          } else {
            while (q < end && buf[q] !== COMMA && buf[q] !== NL) q++;
            let b = q;
            if (b > a && buf[b - 1] === CR && (b >= end || buf[b] === NL)) b--;
            cols[k]![n] = slow(buf, a, b, j);
          }
        }
        j++;
        if (q < end && buf[q] === COMMA) {
          a = q + 1;
          continue;
        }
        // End of line: q at NL, at a CR before NL, or at end.
        if (q < end && buf[q] === CR) q++;
        if (j !== nCols)
          throw new DataError(path, undefined, `not a readable CSV file: row ${row + 1} has ${j} fields, the header has ${nCols}`, j);
        p = q + 1;
        break;
      }
      n++;
      row++;
      if (n === chunkRows) {
        yield { n, columns: cols };
        cols = wanted.map(() => new Float64Array(chunkRows));
        n = 0;
      }
    }
  }

  const stream = createReadStream(path, { start: header.dataStart, highWaterMark: 1 << 22 });
  try {
    for await (const block of stream as AsyncIterable<Buffer>) {
      // The line cut by the previous block is completed with this block's head and parsed on its own; the rest
      // of the block is parsed where it lies (concatenating every 4 MiB block to its carry was ~18 % of the
      // reading time, measured with --cpu-prof).
      let from = 0;
      if (carry) {
        const first = block.indexOf(NL);
        if (first < 0) {
          carry = Buffer.concat([carry, block]);
          continue;
        }
        const joined = Buffer.concat([carry, block.subarray(0, first + 1)]);
        carry = undefined;
        yield* lines(joined, 0, joined.length);
        from = first + 1;
      }
      const last = block.lastIndexOf(NL);
      if (last < from) {
        carry = from < block.length ? Buffer.from(block.subarray(from)) : undefined;
        continue;
      }
      yield* lines(block, from, last + 1);
      carry = last + 1 < block.length ? Buffer.from(block.subarray(last + 1)) : undefined;
    }
    if (carry && carry.length > 0) {
      // A last line without a newline: parse it with one appended.
      const buf = Buffer.concat([carry, Buffer.from([NL])]);
      yield* lines(buf, 0, buf.length);
    }
  } finally {
    stream.destroy();
  }
  if (n > 0) yield { n, columns: cols.map((c) => c.subarray(0, n)) };
}
