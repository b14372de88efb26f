/**
 * Adapter: a φ network trained elsewhere and stored as ONNX (src/onnx/onnxPhi.ts), evaluated on every toy —
 * nothing is trained, so the study measures a fixed model against each toy's truth. Options:
 *   model   path of the .onnx file (relative to the study file);
 *   inputs  raw per-electron columns the model reads, in order (default: the model's qmisid.inputs metadata).
 * Per-bin errors: none (a single fixed model has no ensemble spread).
 */
import { z } from 'zod';
import { zodConfigError } from '../../config/zodConfigError.js';
import { loadOnnxPhi, type OnnxPhi } from '../../onnx/onnxPhi.js';
import { sigmoid } from '../../train/predict.js';
import type { Estimator } from './Estimator.js';

export const OnnxOptionsSchema = z.strictObject({
  model: z.string().min(1),
  inputs: z
    .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/))
    .min(1)
    .optional(),
});

const sessions = new Map<string, Promise<OnnxPhi>>();

export const onnxEstimator: Estimator = async (table, ctx) => {
  const parsed = OnnxOptionsSchema.safeParse(ctx.options);
  if (!parsed.success) throw zodConfigError(parsed.error, ctx.options, ctx.source, 'options');
  const o = parsed.data;
  const key = JSON.stringify(o);
  let p = sessions.get(key);
  if (!p) {
    p = loadOnnxPhi(o.model, o.inputs);
    sessions.set(key, p);
    p.catch(() => sessions.delete(key));
  }
  const model = await p;
  const eps1 = Float64Array.from(await model.phi(table, 1, ctx.source), sigmoid);
  const eps2 = Float64Array.from(await model.phi(table, 2, ctx.source), sigmoid);
  return { status: 'ok', electrons: { eps1, eps2 }, diagnostics: { inputs: model.inputs.join(',') } };
};
