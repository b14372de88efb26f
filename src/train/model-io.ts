/**
 * Model directory on disk:
 *   model.json   format tag, kind, features, inputs, normalisation, architecture, resolved config, seed,
 *                backend, and per member: seed, loss curves, best epoch, branch report, weight offsets
 *   weights.bin  every member's parameters as little-endian float32, at the offsets (in floats) listed
 * Written atomically (the whole directory appears at once or not at all).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../errors.js';
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

export function loadModel(dir: string): PhiModel {
  const jsonPath = join(dir, 'model.json');
  const binPath = join(dir, 'weights.bin');
  let stored: StoredModel;
  let bytes: Buffer;
  try {
    stored = JSON.parse(readFileSync(jsonPath, 'utf8')) as StoredModel;
  } catch (err) {
    throw new DataError(jsonPath, undefined, `cannot read model description: ${(err as Error).message}`);
  }
  if (stored?.format !== MODEL_FORMAT) throw new DataError(jsonPath, 'format', `expected ${MODEL_FORMAT}`, stored?.format);
  try {
    bytes = readFileSync(binPath);
  } catch (err) {
    throw new DataError(binPath, undefined, `cannot read weights: ${(err as Error).message}`);
  }
  if (bytes.length % 4 !== 0) throw new DataError(binPath, undefined, 'length is not a multiple of 4 bytes', bytes.length);
  const floats = new Float32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < floats.length; i++) floats[i] = view.getFloat32(4 * i, true);
  const shapes = layerShapes(stored.arch);
  const take = (s: Slice, expected: number, what: string): Float32Array => {
    if (s.length !== expected || s.offset < 0 || s.offset + s.length > floats.length) {
      throw new DataError(binPath, what, `expected ${expected} floats inside a file of ${floats.length}`, s);
    }
    return floats.slice(s.offset, s.offset + s.length);
  };
  const members: Member[] = stored.members.map(({ params, ...info }, k) => {
    if (params.weights.length !== shapes.length || params.biases.length !== shapes.length) {
      throw new DataError(jsonPath, `members.${k}.params`, `expected ${shapes.length} layers`, params.weights.length);
    }
    const p: MlpParams = {
      weights: shapes.map(([i, o], l) => take(params.weights[l]!, i * o, `members.${k}.weights.${l}`)),
      biases: shapes.map(([, o], l) => take(params.biases[l]!, o, `members.${k}.biases.${l}`)),
    };
    return { ...info, params: p };
  });
  return { ...stored, members };
}
