/**
 * DIR/toys.jsonl: one line per finished toy, appended and flushed to disk as soon as the toy ends, so a
 * killed study loses at most the toys that were running. On resume the file is read back; a last line cut
 * short by the kill (no newline, or not valid JSON) is ignored and trimmed away before new lines are
 * appended, so no toy is lost or written twice.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { DataError } from '../errors.js';
import { checkFormatVersion, withFormatVersion } from '../io/formatVersion.js';
import type { ToyRecord } from './toyRecord.js';

export interface StoredToys {
  records: ToyRecord[];
  /** Bytes of the file that hold complete records. */
  validBytes: number;
  /** True when a partial trailing line was found (and will be trimmed by openToyStore). */
  partialTail: boolean;
}

/** Read every complete record; a duplicate toy index with different content is a DataError. */
export function readToys(file: string): StoredToys {
  if (!existsSync(file)) return { records: [], validBytes: 0, partialTail: false };
  const buf = readFileSync(file);
  const records: ToyRecord[] = [];
  const seen = new Map<number, string>();
  let start = 0;
  let validBytes = 0;
  let partialTail = false;
  let lineNo = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    lineNo++;
    if (nl < 0) {
      partialTail = true;
      break;
    }
    const line = buf.subarray(start, nl).toString('utf8');
    start = nl + 1;
    if (line.trim() === '') {
      validBytes = start;
      continue;
    }
    let rec: ToyRecord;
    try {
      rec = JSON.parse(line) as ToyRecord;
    } catch {
      // Only a final line can be cut by a kill; a bad line in the middle means the file was damaged otherwise.
      if (start >= buf.length) {
        partialTail = true;
        break;
      }
      throw new DataError(file, undefined, `line ${lineNo} is not a JSON toy record`);
    }
    checkFormatVersion('toys', file, rec);
    if (!Number.isInteger(rec.toy)) throw new DataError(file, 'toy', `line ${lineNo} has no integer toy index`, rec.toy);
    const prev = seen.get(rec.toy);
    if (prev != null) {
      if (prev !== line) throw new DataError(file, 'toy', `toy ${rec.toy} appears twice with different content`, rec.toy);
    } else {
      seen.set(rec.toy, line);
      records.push(rec);
    }
    validBytes = start;
  }
  return { records, validBytes, partialTail };
}

export interface ToyStore {
  append(rec: ToyRecord): void;
  close(): void;
}

/** Open for appending after trimming any partial last line. */
export function openToyStore(file: string): ToyStore {
  if (existsSync(file)) {
    const { validBytes, partialTail } = readToys(file);
    if (partialTail) truncateSync(file, validBytes);
  }
  const fd = openSync(file, 'a');
  let open = true;
  return {
    append(rec) {
      if (!open) throw new Error('toy store is closed');
      const buf = Buffer.from(`${JSON.stringify(withFormatVersion('toys', rec))}\n`, 'utf8');
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** Serialise records sorted by toy index, one per line (the canonical form merge writes). */
export function toysJsonl(records: readonly ToyRecord[]): string {
  return [...records]
    .sort((a, b) => a.toy - b.toy)
    .map((r) => `${JSON.stringify(withFormatVersion('toys', r))}\n`)
    .join('');
}
