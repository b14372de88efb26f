/**
 * Reading a record batch of flat numeric columns straight out of WebAssembly memory, through the Arrow C Data
 * Interface (https://arrow.apache.org/docs/format/CDataInterface.html), instead of serialising it to an Arrow
 * IPC stream first.
 *
 * Why: parquet-wasm's `intoIPCStream()` writes each batch once more into its WebAssembly heap (which grows and
 * never shrinks), copies that into a JavaScript buffer, and apache-arrow then builds its objects over it: three
 * transient copies of every chunk, freed late by the collector. Measured on the training columns of 10^6
 * events, read alone: 177–179 MB peak RSS through IPC, 147–152 MB this way (3 runs each). Here each column is
 * a typed-array view of the batch's data buffer in WebAssembly memory, valid until the batch is released; the
 * caller copies what it keeps (checkedColumn) before it releases the batch.
 *
 * Only what an event column can be is read here: a struct of fixed-width numbers and booleans, with or without
 * nulls (formats c C s S i I l L f g b). `cDataReadable` says whether a stored type is one of those; other
 * types take the IPC path, whose errors name the type and the first value.
 */

/** Arrow C Data format strings of the fixed-width numbers read here, and their typed arrays. */
const NUMERIC: Record<string, { bytes: number; view: (b: ArrayBuffer, at: number, n: number) => ArrayLike<number | bigint> }> = {
  c: { bytes: 1, view: (b, at, n) => new Int8Array(b, at, n) },
  C: { bytes: 1, view: (b, at, n) => new Uint8Array(b, at, n) },
  s: { bytes: 2, view: (b, at, n) => new Int16Array(b, at, n) },
  S: { bytes: 2, view: (b, at, n) => new Uint16Array(b, at, n) },
  i: { bytes: 4, view: (b, at, n) => new Int32Array(b, at, n) },
  I: { bytes: 4, view: (b, at, n) => new Uint32Array(b, at, n) },
  l: { bytes: 8, view: (b, at, n) => new BigInt64Array(b, at, n) },
  L: { bytes: 8, view: (b, at, n) => new BigUint64Array(b, at, n) },
  f: { bytes: 4, view: (b, at, n) => new Float32Array(b, at, n) },
  g: { bytes: 8, view: (b, at, n) => new Float64Array(b, at, n) },
};

/** apache-arrow's names of the C Data format strings of the types an event file may hold (others are named by format). */
const TYPE_NAMES: Record<string, string> = {
  n: 'Null',
  b: 'Bool',
  c: 'Int8',
  C: 'Uint8',
  s: 'Int16',
  S: 'Uint16',
  i: 'Int32',
  I: 'Uint32',
  l: 'Int64',
  L: 'Uint64',
  e: 'Float16',
  f: 'Float32',
  g: 'Float64',
  u: 'Utf8',
  U: 'LargeUtf8',
  z: 'Binary',
  Z: 'LargeBinary',
};

/** The apache-arrow names (String(type)) of the stored types read here: the fixed-width numbers and booleans. */
const READABLE_TYPES = new Set([...Object.keys(NUMERIC), 'b'].map((f) => TYPE_NAMES[f]!));

/** Whether a column of this stored type (apache-arrow's name, e.g. `Float64`) is read through the C Data Interface. */
export function cDataReadable(type: string): boolean {
  return READABLE_TYPES.has(type);
}

/**
 * The columns of the schema at `schemaAddr` (a struct, as parquet-wasm's `Schema.intoFFI` exports it): each name
 * and its stored type, named as apache-arrow names it (`Float64`, `Uint8`, …) for the types above, as
 * `Dictionary<…>` for a dictionary-encoded column and by its C Data format string otherwise.
 */
export function readCDataSchema(memory: { buffer: ArrayBuffer }, schemaAddr: number): { name: string; type: string }[] {
  const dv = new DataView(memory.buffer);
  const bytes = new Uint8Array(memory.buffer);
  const ptr = (at: number): number => dv.getUint32(at, true);
  const format = cString(bytes, ptr(schemaAddr + SCHEMA.format));
  if (format !== '+s') throw new Error(`C Data schema: expected a struct ('+s'), got format '${format}'`);
  const n = Number(dv.getBigInt64(schemaAddr + SCHEMA.nChildren, true));
  const fields: { name: string; type: string }[] = [];
  for (let k = 0; k < n; k++) {
    const s = ptr(ptr(schemaAddr + SCHEMA.children) + 4 * k);
    const fmt = cString(bytes, ptr(s + SCHEMA.format));
    const named = TYPE_NAMES[fmt] ?? `format '${fmt}'`;
    fields.push({ name: cString(bytes, ptr(s + SCHEMA.name)), type: ptr(s + SCHEMA.dictionary) !== 0 ? `Dictionary<${named}>` : named });
  }
  return fields;
}

/** A record batch read from WebAssembly memory: its row count and each column by name. */
export interface CDataBatch {
  n: number;
  /** The column's values, nulls as NaN; a view of WebAssembly memory unless it had nulls or an odd alignment. */
  get(name: string): ArrayLike<number | bigint | boolean | null> | undefined;
}

// Field offsets of the C structs in a 32-bit WebAssembly module (pointers are 4 bytes, int64 aligned to 8).
const ARRAY = { length: 0, nullCount: 8, offset: 16, nBuffers: 24, nChildren: 32, buffers: 40, children: 44 };
const SCHEMA = { format: 0, name: 4, nChildren: 24, children: 32, dictionary: 36 };

function cString(mem: Uint8Array, at: number): string {
  let end = at;
  while (mem[end] !== 0) end++;
  return new TextDecoder().decode(mem.subarray(at, end));
}

/**
 * The columns of the struct array at `arrayAddr` (a record batch exported by parquet-wasm's `intoFFI`), named by
 * the schema at `schemaAddr`. Throws on a layout it does not read (the caller chose this path from the stored
 * types, so that is a bug, not bad input). The structs are read now; each column's view is made when asked for,
 * over the memory's buffer of that moment: addresses stay valid while the batch is held, but a WebAssembly
 * memory that grows replaces its ArrayBuffer, and a view of the old one would read as empty.
 */
export function readCDataBatch(memory: { buffer: ArrayBuffer }, arrayAddr: number, schemaAddr: number): CDataBatch {
  const dv = new DataView(memory.buffer);
  const bytes = new Uint8Array(memory.buffer);
  const i64 = (at: number): number => Number(dv.getBigInt64(at, true));
  const ptr = (at: number): number => dv.getUint32(at, true);

  const format = cString(bytes, ptr(schemaAddr + SCHEMA.format));
  if (format !== '+s') throw new Error(`C Data batch: expected a struct ('+s'), got format '${format}'`);
  const n = i64(arrayAddr + ARRAY.length);
  const structOffset = i64(arrayAddr + ARRAY.offset);
  if (i64(arrayAddr + ARRAY.nullCount) !== 0) throw new Error('C Data batch: the struct itself has nulls');
  const nChildren = i64(arrayAddr + ARRAY.nChildren);
  if (i64(schemaAddr + SCHEMA.nChildren) !== nChildren) throw new Error('C Data batch: schema and array differ in columns');
  type Layout = { fmt: string; off: number; nulls: number; validity: number; data: number };
  const layouts = new Map<string, Layout>();
  for (let k = 0; k < nChildren; k++) {
    const a = ptr(ptr(arrayAddr + ARRAY.children) + 4 * k);
    const s = ptr(ptr(schemaAddr + SCHEMA.children) + 4 * k);
    const name = cString(bytes, ptr(s + SCHEMA.name));
    const fmt = cString(bytes, ptr(s + SCHEMA.format));
    const len = i64(a + ARRAY.length);
    if (len < structOffset + n) throw new Error(`C Data batch: column ${name} is shorter than the batch`);
    if (ptr(s + SCHEMA.dictionary) !== 0) throw new Error(`C Data batch: column ${name} is dictionary-encoded`);
    if (i64(a + ARRAY.nBuffers) !== 2 || (fmt !== 'b' && !NUMERIC[fmt]))
      throw new Error(`C Data batch: column ${name} has format '${fmt}', not a fixed-width number or boolean`);
    const bufs = ptr(a + ARRAY.buffers);
    layouts.set(name, {
      fmt,
      off: i64(a + ARRAY.offset) + structOffset,
      nulls: i64(a + ARRAY.nullCount),
      validity: ptr(bufs),
      data: ptr(bufs + 4),
    });
  }

  const view = ({ fmt, off, nulls, validity, data }: Layout): ArrayLike<number | bigint | boolean | null> => {
    const buffer = memory.buffer;
    const mem = new Uint8Array(buffer);
    let col: ArrayLike<number | bigint | boolean | null>;
    if (fmt === 'b') {
      // Booleans are bit-packed: unpacked into bytes (a copy).
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = (mem[data + ((off + i) >> 3)]! >> ((off + i) & 7)) & 1;
      col = out;
    } else {
      const t = NUMERIC[fmt]!;
      const at = data + off * t.bytes;
      // A typed-array view must be aligned to its element size; an unaligned buffer is copied first.
      col = at % t.bytes === 0 ? t.view(buffer, at, n) : t.view(mem.slice(at, at + n * t.bytes).buffer, 0, n);
    }
    if (nulls !== 0 && validity !== 0) {
      // A null is not a value: it reads as NaN, which checkedColumn refuses with the row number.
      const out = new Array<number | bigint | boolean | null>(n);
      for (let i = 0; i < n; i++) out[i] = ((mem[validity + ((off + i) >> 3)]! >> ((off + i) & 7)) & 1) === 1 ? col[i]! : null;
      col = out;
    }
    return col;
  };
  return {
    n,
    get: (name) => {
      const layout = layouts.get(name);
      return layout ? view(layout) : undefined;
    },
  };
}
