/** Small helpers shared by the generator tests: a byte fingerprint of an event table (statistics come from src/stats). */
import { createHash } from 'node:crypto';
import { COLUMNS, type EventTable } from '../../src/events/columns.js';

/** SHA-256 over every standard column's name and raw bytes: equal strings ⇔ byte-identical tables. */
export function columnBytes(t: EventTable): string {
  const h = createHash('sha256');
  for (const c of COLUMNS) {
    const col = t.columns[c.name]!;
    h.update(c.name);
    h.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  }
  return h.digest('hex');
}
