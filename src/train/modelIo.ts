/**
 * Model directory on disk:
 *   model.json   format tag, kind, features, inputs, normalisation, architecture, resolved config, seed,
 *                backend, and per member: seed, loss curves, best epoch, branch report, weight offsets
 *   weights.bin  every member's parameters as little-endian float32, at the offsets (in floats) listed
 * Written atomically (the whole directory appears at once or not at all).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, fileError } from '../errors.js';
import { ACTIVATIONS } from './activation.js';
import { writeDirAtomic } from '../io/atomic.js';
import { layerShapes, type MlpParams } from './mlp.js';
import { MODEL_FORMAT, type Member, type MemberInfo, type PhiModel } from './model.js';

interface Slice {
  offset: number;
  length: number;
}

interface StoredMember extends MemberInfo {
  params: { weights: Slice[]; biases: Slice[] };
}

type StoredModel = Omit<PhiModel, 'members'> & { members: StoredMember[] };

export async function saveModel(dir: string, model: PhiModel): Promise<void> {
  const chunks: Float32Array[] = [];
  let offset = 0;
  const place = (a: Float32Array): Slice => {
    chunks.push(a);
    const s = { offset, length: a.length };
    offset += a.length;
    return s;
  };
  const members: StoredMember[] = model.members.map(({ params, ...info }) => ({
    ...info,
    params: { weights: params.weights.map(place), biases: params.biases.map(place) },
  }));
  const all = new Float32Array(offset);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.length;
  }
  const bytes = new Uint8Array(all.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < all.length; i++) view.setFloat32(4 * i, all[i]!, true);
  const stored: StoredModel = { ...model, members };
  await writeDirAtomic(dir, (tmp) => {
    writeFileSync(join(tmp, 'weights.bin'), bytes);
    writeFileSync(join(tmp, 'model.json'), `${JSON.stringify(stored, null, 1)}\n`);
  });
}

/** A field of model.json that cannot be right: names the file, the key path and the value. */
function bad(file: string, field: string, expected: string, value: unknown): never {
  throw new DataError(file, undefined, `field ${field}: ${expected}`, value);
}

const isPosInt = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 1;
const isStringArray = (x: unknown): x is string[] => Array.isArray(x) && x.every((v) => typeof v === 'string');

/**
 * Everything in model.json that predictions depend on is checked before use: format version, kind, features,
 * architecture, normalisation (finite means, sd > 0 — a zero sd divides by zero and gave silent NaN ε) and
 * the member slices. Weights are checked finite after reading weights.bin.
 */
function validateStored(file: string, stored: unknown): StoredModel {
  if (stored == null || typeof stored !== 'object' || Array.isArray(stored))
    bad(file, '<root>', 'a JSON object describing a model', stored);
  const m = stored as Record<string, unknown>;
  if (m.format !== MODEL_FORMAT) bad(file, 'format', `unknown model format version: expected ${JSON.stringify(MODEL_FORMAT)}`, m.format);
  if (m.kind !== 'phi' && m.kind !== 'oracle') bad(file, 'kind', 'expected "phi" or "oracle"', m.kind);
  if (!isStringArray(m.features) || m.features.length === 0) bad(file, 'features', 'a non-empty array of feature names', m.features);
  const arch = m.arch as Record<string, unknown> | undefined;
  if (arch == null || typeof arch !== 'object') bad(file, 'arch', 'an object { inputs, hidden, activation, alpha }', arch);
  if (!isPosInt(arch.inputs)) bad(file, 'arch.inputs', 'a positive integer', arch.inputs);
  if (!Array.isArray(arch.hidden) || !arch.hidden.every(isPosInt)) bad(file, 'arch.hidden', 'an array of positive integers', arch.hidden);
  if (!(ACTIVATIONS as readonly unknown[]).includes(arch.activation))
    bad(file, 'arch.activation', `one of ${ACTIVATIONS.join(', ')}`, arch.activation);
  if (typeof arch.alpha !== 'number' || !Number.isFinite(arch.alpha)) bad(file, 'arch.alpha', 'a finite number', arch.alpha);
  const norm = m.normalisation as Record<string, unknown> | undefined;
  if (norm == null || typeof norm !== 'object') bad(file, 'normalisation', 'an object { mean, sd }', norm);
  for (const key of ['mean', 'sd'] as const) {
    const a = norm[key];
    if (!Array.isArray(a) || a.length !== arch.inputs)
      bad(file, `normalisation.${key}`, `an array of ${arch.inputs} numbers (arch.inputs)`, a);
    a.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) bad(file, `normalisation.${key}.${j}`, 'a finite number', v);
      if (key === 'sd' && !(v > 0)) bad(file, `normalisation.sd.${j}`, 'a standard deviation > 0', v);
    });
  }
  if (!Array.isArray(m.members) || m.members.length === 0) bad(file, 'members', 'a non-empty array of ensemble members', m.members);
  m.members.forEach((mem: unknown, k: number) => {
    const p = (mem as { params?: { weights?: unknown; biases?: unknown } } | null)?.params;
    if (p == null || !Array.isArray(p.weights) || !Array.isArray(p.biases))
      bad(file, `members.${k}.params`, 'an object { weights, biases } of slices', p);
    for (const [what, list] of [
      ['weights', p.weights],
      ['biases', p.biases],
    ] as const) {
      (list as unknown[]).forEach((sl, l) => {
        const o = sl as Slice | null;
        if (o == null || !Number.isInteger(o.offset) || !Number.isInteger(o.length) || o.offset < 0 || o.length < 0) {
          bad(file, `members.${k}.params.${what}.${l}`, 'a slice { offset, length } of non-negative integers', sl);
        }
      });
    }
  });
  return m as unknown as StoredModel;
}

export function loadModel(dir: string): PhiModel {
  const jsonPath = join(dir, 'model.json');
  const binPath = join(dir, 'weights.bin');
  let text: string;
  let bytes: Buffer;
  try {
    text = readFileSync(jsonPath, 'utf8');
  } catch (err) {
    throw fileError(jsonPath, 'cannot read the model description', err);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new DataError(jsonPath, undefined, `not valid JSON: ${(err as Error).message}`);
  }
  const stored = validateStored(jsonPath, parsed);
  try {
    bytes = readFileSync(binPath);
  } catch (err) {
    throw fileError(binPath, 'cannot read the weights', err);
  }
  if (bytes.length % 4 !== 0) throw new DataError(binPath, undefined, 'length is not a multiple of 4 bytes', bytes.length);
  const floats = new Float32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < floats.length; i++) floats[i] = view.getFloat32(4 * i, true);
  const shapes = layerShapes(stored.arch);
  const take = (s: Slice, expected: number, what: string): Float32Array => {
    if (s.length !== expected || s.offset < 0 || s.offset + s.length > floats.length) {
      throw new DataError(binPath, undefined, `${what} (model.json): expected ${expected} floats inside a file of ${floats.length}`, s);
    }
    const out = floats.slice(s.offset, s.offset + s.length);
    const i = out.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) throw new DataError(binPath, undefined, `float ${s.offset + i} (${what}, element ${i}) is not finite`, String(out[i]));
    return out;
  };
  const members: Member[] = stored.members.map(({ params, ...info }, k) => {
    if (params.weights.length !== shapes.length || params.biases.length !== shapes.length) {
      throw new DataError(jsonPath, undefined, `field members.${k}.params: expected ${shapes.length} layers (arch)`, params.weights.length);
    }
    const p: MlpParams = {
      weights: shapes.map(([i, o], l) => take(params.weights[l]!, i * o, `members.${k}.weights.${l}`)),
      biases: shapes.map(([, o], l) => take(params.biases[l]!, o, `members.${k}.biases.${l}`)),
    };
    return { ...info, params: p };
  });
  return { ...stored, members };
}
