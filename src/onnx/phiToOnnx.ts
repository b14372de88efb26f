/**
 * A trained φ (src/train/model.ts) as an ONNX model, built node by node with onnx-proto (opset 13).
 *
 * The bench's ONNX φ convention (docs/open-bench.md, "ONNX"), the same for models going out and coming in:
 *   input  `x`   float32 [N, C]: one row per electron, the raw per-electron columns listed in the metadata
 *                key `qmisid.inputs` (e.g. ["pt", "eta"]: pT in GeV and signed η), nothing transformed;
 *   output `phi` float32 [N, 1]: φ = logit ε of that electron.
 * Everything between is inside the graph: the feature transforms (log, |·|, cos/sin), the standardisation
 * with the training mean and sd, the MLP of every member, and for an ensemble of M > 1 members the
 * combination φ = logit( (1/M) Σ_m sigmoid(φ_m) ) (computed as log-sum-exps of log-sigmoids), so that sigmoid(φ) is the ensemble-mean ε that
 * `qmisid apply` writes (the mean of ε, not of φ: the two differ where members disagree).
 */
import { onnx } from './onnxProto.js';
import type { OnnxTypes } from './onnxProto.js';
import { parseFeatures } from '../train/features.js';
import { layerShapes } from '../train/mlp.js';
import type { PhiModel } from '../train/model.js';
import { version } from '../version.js';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

/** The raw columns the graph reads, in input order: each feature's column once. */
export function onnxInputColumns(model: PhiModel): string[] {
  const cols: string[] = [];
  for (const f of parseFeatures(model.features)) if (!cols.includes(f.column)) cols.push(f.column);
  return cols;
}

export function phiToOnnx(model: PhiModel): Uint8Array {
  const nodes: OnnxTypes.INodeProto[] = [];
  const inits: OnnxTypes.ITensorProto[] = [];
  let counter = 0;
  const fresh = (stem: string): string => `${stem}_${counter++}`;
  const node = (op: string, inputs: string[], attrs: OnnxTypes.IAttributeProto[] = [], stem = op.toLowerCase()): string => {
    const out = fresh(stem);
    nodes.push({ opType: op, input: inputs, output: [out], attribute: attrs, name: out });
    return out;
  };
  const floats = (name: string, dims: number[], data: ArrayLike<number>): string => {
    inits.push({ name, dataType: FLOAT, dims, floatData: Array.from(data, Number) });
    return name;
  };
  const ints = (name: string, data: number[]): string => {
    inits.push({ name, dataType: INT64, dims: [data.length], int64Data: data });
    return name;
  };
  const attrF = (name: string, f: number): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f });
  const attrI = (name: string, i: number): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
  const attrInts = (name: string, v: number[]): OnnxTypes.IAttributeProto => ({
    name,
    type: onnx.AttributeProto.AttributeType.INTS,
    ints: v,
  });

  // 1. Transforms: one [N, 1] column per network input, in the order of features.ts inputNames.
  const cols = onnxInputColumns(model);
  const parts: string[] = [];
  for (const f of parseFeatures(model.features)) {
    const c = node('Gather', ['x', ints(fresh('col'), [cols.indexOf(f.column)])], [attrI('axis', 1)]);
    if (f.transform === 'log') parts.push(node('Log', [c]));
    else if (f.transform === 'abs') parts.push(node('Abs', [c]));
    else if (f.transform === 'cossin') parts.push(node('Cos', [c]), node('Sin', [c]));
    else parts.push(c);
  }
  const raw = parts.length === 1 ? parts[0]! : node('Concat', parts, [attrI('axis', 1)]);
  // 2. Standardisation (normalisation.ts): (x − mean) / sd.
  const d = model.normalisation.mean.length;
  const z = node('Div', [
    node('Sub', [raw, floats('norm_mean', [d], model.normalisation.mean)]),
    floats('norm_sd', [d], model.normalisation.sd),
  ]);
  // 3. Each member's MLP (mlp.ts: weights row-major [fanIn, fanOut], hidden activation, linear output).
  const shapes = layerShapes(model.arch);
  const phis = model.members.map((m, k) => {
    let h = z;
    shapes.forEach(([i, o], l) => {
      const w = floats(`m${k}_w${l}`, [i, o], m.params.weights[l]!);
      const b = floats(`m${k}_b${l}`, [o], m.params.biases[l]!);
      h = node('Add', [node('MatMul', [h, w]), b]);
      if (l < shapes.length - 1) {
        const act = model.arch.activation;
        if (act === 'leakyRelu') h = node('LeakyRelu', [h], [attrF('alpha', model.arch.alpha)]);
        else if (act === 'relu') h = node('Relu', [h]);
        else if (act === 'elu') h = node('Elu', [h], [attrF('alpha', 1)]);
        else h = node('Tanh', [h]);
      }
    });
    return h;
  });
  // 4. Ensemble: φ = logit(mean_m sigmoid(φ_m)) = LSE_m(log σ(φ_m)) − LSE_m(log σ(−φ_m)) (1 − σ(φ) = σ(−φ);
  //    the log M of the two means cancels), with log σ(t) = −softplus(−t): no float32 cancellation in 1 − ε.
  //    A single member is passed through unchanged.
  let phi: string;
  if (phis.length === 1) phi = phis[0]!;
  else {
    const all = node('Concat', phis, [attrI('axis', 1)]);
    const lse = (t: string): string =>
      node('ReduceLogSumExp', [node('Neg', [node('Softplus', [t])])], [attrInts('axes', [1]), attrI('keepdims', 1)]);
    phi = node('Sub', [lse(node('Neg', [all])), lse(all)]);
  }
  nodes.push({ opType: 'Identity', input: [phi], output: ['phi'], name: 'phi_out' });

  const tensorType = (dims: (number | string)[]): OnnxTypes.ITypeProto => ({
    tensorType: { elemType: FLOAT, shape: { dim: dims.map((v) => (typeof v === 'string' ? { dimParam: v } : { dimValue: v })) } },
  });
  const modelProto = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'qmisid-bench',
    producerVersion: version,
    docString: `qmisid phi (${model.kind}, ${model.members.length} member(s)); input x [N, ${cols.length}] = raw ${cols.join(', ')} per electron; output phi = logit eps`,
    graph: {
      name: 'qmisid_phi',
      node: nodes,
      initializer: inits,
      input: [{ name: 'x', type: tensorType(['N', cols.length]) }],
      output: [{ name: 'phi', type: tensorType(['N', 1]) }],
    },
    metadataProps: [
      { key: 'qmisid.inputs', value: JSON.stringify(cols) },
      { key: 'qmisid.features', value: JSON.stringify(model.features) },
      { key: 'qmisid.members', value: String(model.members.length) },
      { key: 'qmisid.combination', value: model.members.length > 1 ? 'logit(mean(sigmoid(phi_m)))' : 'single member' },
    ],
  });
  return onnx.ModelProto.encode(modelProto).finish();
}
