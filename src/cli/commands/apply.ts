/**
 * `qmisid apply`: add eps1, eps2 (and, for an ensemble, eps1_sd, eps2_sd) to an event file using a saved
 * model directory. The output keeps every input column; it is written atomically. The file is read and
 * written chunk by chunk (src/io/eventChunks.ts): memory holds one chunk of every column, never the whole file.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { EventTable } from '../../events/columns.js';
import { checkApart, parseEventInput, parseInputDir, parseInputFile, parseOutputEvents } from '../flags.js';
import { addPartOptions, partOptionsFrom, type PartFlags } from '../partOptions.js';
import { addColumnMapOptions, columnMapFrom, type ColumnMapFlags } from '../columnMapOptions.js';

/**
 * apply reads every column of the file; chunks of 16384 rows keep a quarter of a 64 k row group of all
 * columns in flight at each stage (read, φ, write) instead of the whole group (docs/event-input.md).
 */
const APPLY_CHUNK_ROWS = 16384;

interface ApplyFlags extends ColumnMapFlags, PartFlags {
  model: string;
  inputs?: string;
  input: string;
  out: string;
  backend?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('apply')
    .description('add per-electron eps1, eps2 (and eps1_sd, eps2_sd for an ensemble) from a trained model')
    .requiredOption('--model <DIR|FILE.onnx>', 'model directory written by `qmisid train`, or an ONNX phi (docs/open-bench.md)')
    .option('--inputs <LIST>', 'ONNX model: raw per-electron columns it reads, in order, e.g. pt,eta (default: its qmisid.inputs metadata)')
    .requiredOption('--input <FILE|DIR>', 'event file (.parquet, .arrow, .csv) or directory of parts')
    .requiredOption('--out <FILE|DIR/>', 'output event file (format by extension), or DIR/ (no extension): a directory of parts')
    .option('--backend <NAME>', 'auto (default) | node | wasm | cpu');
  addPartOptions(addColumnMapOptions(cmd), "the input's").action(async (flags: ApplyFlags) => {
    const { loadModel } = await import('../../train/modelIo.js');
    const { applyModel } = await import('../../train/apply.js');
    const { selectBackend } = await import('../../train/backend.js');

    // The model first (the error names --model when both are missing), a directory or an ONNX file.
    const onnxModel = flags.model.endsWith('.onnx');
    if (onnxModel) parseInputFile('--model', flags.model);
    else parseInputDir('--model', flags.model);
    parseEventInput('--input', flags.input);
    const parts = await checkOutput(flags);
    if (onnxModel) return applyOnnx(flags, parts);
    if (flags.inputs != null) throw new UsageError('--inputs', flags.inputs, 'only with an ONNX --model');
    const model = loadModel(flags.model);
    const backend = await selectBackend((flags.backend ?? 'auto') as Parameters<typeof selectBackend>[0]);
    const { parseFeatures } = await import('../../train/features.js');
    const map = columnMapFrom(flags);
    // Every row is kept (no region is derived): apply annotates the file, it selects nothing.
    const n = await annotateInChunks(
      flags,
      parts,
      {
        ...(map ? { map } : {}),
        deriveRegion: false,
        chunkRows: APPLY_CHUNK_ROWS,
        require: parseFeatures(model.features).flatMap((f) => [`${f.column}1`, `${f.column}2`]),
      },
      { model: { dir: flags.model, kind: model.kind, features: model.features, seed: model.seed, members: model.members.length } },
      (chunk) => applyModel(model, chunk, flags.input),
    );
    process.stderr.write(`qmisid apply: backend ${backend}; ${n} events, ${model.members.length} member(s) -> ${flags.out}\n`);
  });
}

type PartOptions = ReturnType<typeof partOptionsFrom>;

/**
 * --out: another place than --input, neither inside the other (a directory of parts is replaced whole); a
 * directory of parts is written in the input's format unless --part-format says otherwise.
 */
async function checkOutput(flags: ApplyFlags): Promise<PartOptions> {
  checkApart('--out', flags.out, flags.input);
  const out = await parseOutputEvents('--out', flags.out);
  const { formatOf } = await import('../../io/eventsFile.js');
  const { isDirectory, listEventParts } = await import('../../io/eventParts.js');
  const inputFormat = isDirectory(flags.input) ? listEventParts(flags.input).format : formatOf(flags.input);
  return partOptionsFrom(flags, out.parts, inputFormat);
}

/**
 * Read `flags.input` chunk by chunk, add the columns `eps` computes for each chunk, write `flags.out` chunk by
 * chunk (atomically: nothing appears at --out unless every chunk was read and written). Returns the rows written.
 */
async function annotateInChunks(
  flags: ApplyFlags,
  parts: PartOptions,
  read: import('../../io/eventsFile.js').ReadOptions,
  provenance: Record<string, unknown>,
  eps: (chunk: EventTable) => object | Promise<object>,
): Promise<number> {
  const { openEventInput } = await import('../../io/eventsFile.js');
  const { openEventOutput } = await import('../../io/eventPartsWriter.js');
  const { version } = await import('../../version.js');
  const source = await openEventInput(flags.input, read);
  const meta = source.meta;
  // With deriveRegion off no row is dropped, so the mapping report is complete before the first chunk.
  const mapping = source.mapping();
  const writer = await openEventOutput(
    flags.out,
    {
      config: meta?.config ?? null,
      seed: meta?.seed ?? '',
      version,
      input: flags.input,
      ...provenance,
      ...(mapping ? { columnMap: mapping } : {}),
    },
    parts,
  );
  try {
    for await (const chunk of source.chunks()) {
      await writer.write({ n: chunk.n, columns: { ...chunk.columns, ...(await eps(chunk)) } as EventTable['columns'] });
    }
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return writer.close();
}

/** apply with an ONNX φ: eps1, eps2 = sigmoid(φ) of each electron (no spread: one fixed model). */
async function applyOnnx(flags: ApplyFlags, parts: PartOptions): Promise<void> {
  const { loadOnnxPhi } = await import('../../onnx/onnxPhi.js');
  const { sigmoid } = await import('../../train/predict.js');
  const inputs = flags.inputs
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const model = await loadOnnxPhi(flags.model, inputs);
  const map = columnMapFrom(flags);
  const n = await annotateInChunks(
    flags,
    parts,
    { ...(map ? { map } : {}), deriveRegion: false, chunkRows: APPLY_CHUNK_ROWS, require: model.inputs.flatMap((c) => [`${c}1`, `${c}2`]) },
    { model: { onnx: flags.model, inputs: model.inputs } },
    async (chunk) => ({
      eps1: Float64Array.from(await model.phi(chunk, 1, flags.input), sigmoid),
      eps2: Float64Array.from(await model.phi(chunk, 2, flags.input), sigmoid),
    }),
  );
  process.stderr.write(`qmisid apply: onnxruntime; ${n} events, inputs ${model.inputs.join(', ')} -> ${flags.out}\n`);
}
