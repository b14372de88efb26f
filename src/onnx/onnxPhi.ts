/**
 * Evaluate a φ network stored as ONNX (ours from phiToOnnx.ts, or one trained elsewhere, e.g. exported by
 * torch.onnx.export) on the electrons of an event table, with onnxruntime-node.
 *
 * Input convention (phiToOnnx.ts): the model's first input takes [N, C] float32 rows of raw per-electron
 * columns; which columns, in order, is the metadata key `qmisid.inputs` or, for a model made elsewhere, the
 * `inputs` given by the caller (e.g. ["pt", "eta"] → pt1, eta1 for electron 1). The first output is φ,
 * shape [N] or [N, 1]; ε = sigmoid(φ).
 */
import { readFileSync } from 'node:fs';
import { onnx } from './onnxProto.js';
import { DataError } from '../errors.js';
import type { EventTable } from '../events/columns.js';

export interface OnnxPhi {
  path: string;
  inputs: string[];
  /** φ of electron k ∈ {1, 2} of every row. */
  phi(table: EventTable, k: 1 | 2, source: string): Promise<Float64Array>;
}

const CHUNK = 65536;

export async function loadOnnxPhi(path: string, inputs?: readonly string[]): Promise<OnnxPhi> {
  let bytes: Buffer;
  let meta: Record<string, string>;
  try {
    bytes = readFileSync(path);
    const proto = onnx.ModelProto.decode(bytes);
    meta = Object.fromEntries((proto.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  } catch (err) {
    throw new DataError(path, undefined, `not a readable ONNX model: ${(err as Error).message}`);
  }
  let cols = inputs ? [...inputs] : undefined;
  if (!cols && meta['qmisid.inputs']) cols = JSON.parse(meta['qmisid.inputs']) as string[];
  if (!cols || cols.length === 0)
    throw new DataError(
      path,
      undefined,
      'the model does not say which columns it reads (no qmisid.inputs metadata): give them, e.g. --inputs pt,eta or options.inputs ["pt", "eta"]',
    );
  const ort = await import('onnxruntime-node');
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  } catch (err) {
    throw new DataError(path, undefined, `onnxruntime cannot load the model: ${(err as Error).message}`);
  }
  const inName = session.inputNames[0]!;
  const outName = session.outputNames[0]!;
  const C = cols.length;
  return {
    path,
    inputs: cols,
    async phi(table, k, source) {
      const src = cols.map((c) => {
        const col = table.columns[`${c}${k}`];
        if (!col)
          throw new DataError(source, `${c}${k}`, `missing; the ONNX model ${path} reads ${cols.map((x) => `${x}${k}`).join(', ')}`);
        return col;
      });
      const out = new Float64Array(table.n);
      for (let s = 0; s < table.n; s += CHUNK) {
        const r = Math.min(CHUNK, table.n - s);
        const x = new Float32Array(r * C);
        for (let i = 0; i < r; i++) for (let j = 0; j < C; j++) x[i * C + j] = src[j]![s + i]!;
        let res: Record<string, { data: unknown; dims: readonly number[] }>;
        try {
          res = (await session.run({ [inName]: new ort.Tensor('float32', x, [r, C]) })) as typeof res;
        } catch (err) {
          throw new DataError(
            path,
            undefined,
            `onnxruntime failed on ${r} rows of ${C} inputs (${cols.join(', ')}): ${(err as Error).message}`,
          );
        }
        const y = res[outName]!;
        const data = y.data as Float32Array;
        if (data.length !== r)
          throw new DataError(path, outName, `expected one phi per row (${r}), output shape ${JSON.stringify(y.dims)}`);
        for (let i = 0; i < r; i++) {
          // ±∞ is a saturated ε (0 or 1, e.g. the logit of a float32 mean that underflowed); NaN is a broken model.
          if (Number.isNaN(data[i]!)) throw new DataError(path, outName, `phi of row ${s + i} is NaN`, data[i]);
          out[s + i] = data[i]!;
        }
      }
      return out;
    },
  };
}
