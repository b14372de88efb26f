/**
 * Read the events `qmisid train` trains on, in a thread of their own.
 *
 * The read runs in this order (docs/event-input.md): open the file (or parts) with only the columns training
 * and the selection read → resolve the selection (the file's, overridden by the flags) → per chunk: select
 * the region's rows, keep the training columns, drop the OC events no ensemble member keeps
 * (subsample.ts) → collect the kept rows into one table, with their row numbers in the selected sample.
 *
 * `readTrainingTableInWorker` does it in a worker thread and receives the table's columns by transfer (no
 * copy). What reading leaves behind (the Parquet reader's WebAssembly module and heap, which never shrink;
 * apache-arrow when an Arrow file is read; the young generation that the chunks' garbage grew; memory freed
 * but not returned) belongs to that thread and goes back to the system when it ends, before training starts.
 * Measured on 10^6 generated events in Parquet: reading the training columns in the calling thread left its
 * process at 186 MB, in a worker that then ended at 118 MB, with the same 33 MB of columns held.
 */
import type { ColumnMap, MappingReport } from '../io/columnMap.js';
import type { EventTable } from '../events/columns.js';
import type { FitRegion, Selection, SelectionFlags, SelectionSource } from '../selection/selection.js';
import type { TrainConfig } from './config.js';
import { startWorker } from '../util/worker.js';
import { fromWorkerError, toWorkerError, type WorkerErrorPayload } from '../util/workerError.js';

export interface TrainingReadRequest {
  /** Event file or directory of parts. */
  input: string;
  map?: ColumnMap;
  /** The resolved trainer configuration: its features, its folded loss and its OC subsampling. */
  config: TrainConfig;
  /** Per-electron truth labels (`--oracle`) instead of `sc`. */
  oracle: boolean;
  region: FitRegion;
  /** --window, --sidebands, --pt-min as typed (with a mapping's selection filling those not given). */
  selectionFlags: SelectionFlags;
}

export interface TrainingRead {
  /** The selected events training uses (with OC subsampling: SC and the OC events some member keeps). */
  table: EventTable;
  /** With OC subsampling, each kept event's row number in the selected sample; absent: row i is event i. */
  rows?: Float64Array;
  /** Events read from the input, and events selected before OC subsampling. */
  read: number;
  selected: number;
  selection: Selection;
  selectionSource: SelectionSource;
  /** The column mapping as applied (for model.json), when one was given. */
  mapping?: MappingReport;
}

/** Read in the calling thread (what the worker runs). */
export async function readTrainingTable(req: TrainingReadRequest): Promise<TrainingRead> {
  const { openEventInput, collectChunks } = await import('../io/eventsFile.js');
  const sel = await import('../selection/selection.js');
  const { parseFeatures } = await import('./features.js');
  const { trainingColumns } = await import('./trainingSet.js');
  const { ocSubsampleChunk } = await import('./subsample.js');
  const cfg = req.config;
  const folded = cfg.fold != null;
  const specs = parseFeatures(cfg.features);
  const perElectron = specs.flatMap((f) => [`${f.column}1`, `${f.column}2`]);
  const { columns, optional } = trainingColumns(specs, req.oracle ? 'electron' : 'pair');
  const source = await openEventInput(req.input, {
    ...(req.map ? { map: req.map } : {}),
    require: [...perElectron, ...(req.oracle ? ['truth_flip1', 'truth_flip2'] : ['sc'])],
    columns,
    optional: [...optional, 'region', 'm_ee', 'pt1', 'pt2'],
  });
  // A mapping's selection stands for the file's when the flags do not set one (columnMap.ts).
  const { selection, source: selectionSource } = sel.selectionWithFlags(sel.selectionFromFile(source.meta, req.input), req.selectionFlags);
  // The selection runs on each chunk as it is read (it is row by row), and only the columns training uses are
  // kept. The folded trainer also reads m_ee (its parents' masses, foldOffsets.ts).
  const keep = [...columns, ...optional, ...(folded ? ['m_ee'] : [])].filter((c) => source.columns.includes(c));
  // OC subsampling while reading (pair head; the folded trainer needs every parent): whether a member keeps
  // an event depends on its row number in the selected sample only, so training gives the same model as on
  // the whole selection in memory.
  const ocFilter = !req.oracle && !folded && cfg.ocKeep < 1 ? (await import('./ensemble.js')).ensembleOcFilter(cfg) : undefined;
  const rowChunks: Float64Array[] = [];
  let read = 0;
  let selected = 0;
  const table = await collectChunks(source, ocFilter ? { capacity: 0 } : {}, (chunk) => {
    read += chunk.n;
    const rows = sel.selectRows(chunk, req.region, {
      selection,
      fromKinematics: selectionSource === 'flags',
      ...(chunk.columns.w ? { base: chunk.columns.w } : {}),
      source: req.input,
    });
    // Without the selection's own copy of the weights (w_fit): the trainer reads its event weights from `w`,
    // the selection's weights (sideband subtraction included).
    const picked = sel.selectedTable(
      { n: chunk.n, columns: Object.fromEntries(keep.map((c) => [c, chunk.columns[c]!])) },
      { rows: rows.rows, w: undefined },
    );
    const out = rows.w ? { n: picked.n, columns: { ...picked.columns, w: rows.w } } : picked;
    if (!ocFilter) return out;
    const sub = ocSubsampleChunk(out, selected, ocFilter);
    selected += out.n;
    rowChunks.push(sub.row);
    return sub.table;
  });
  if (!ocFilter) selected = table.n;
  let rowIds: Float64Array | undefined;
  if (ocFilter) {
    rowIds = new Float64Array(table.n);
    let o = 0;
    for (const r of rowChunks) {
      rowIds.set(r, o);
      o += r.length;
    }
  }
  const mapping = source.mapping();
  return {
    table,
    ...(rowIds ? { rows: rowIds } : {}),
    read,
    selected,
    selection,
    selectionSource,
    ...(mapping ? { mapping } : {}),
  };
}

type Reply = { kind: 'done'; read: TrainingRead } | { kind: 'error'; error: WorkerErrorPayload };

/** The same read in a worker thread, which ends before this resolves; the columns arrive by transfer. */
export function readTrainingTableInWorker(req: TrainingReadRequest): Promise<TrainingRead> {
  return new Promise((resolve, reject) => {
    const w = startWorker(import.meta.url, 'readWorker', { workerData: req });
    let reply: Reply | undefined;
    w.once('message', (r: Reply) => {
      reply = r;
    });
    w.once('error', (e) => {
      reply ??= { kind: 'error', error: toWorkerError(e) };
    });
    // Settled on exit, so the thread and everything it held are gone when training starts.
    w.once('exit', (code) => {
      if (reply?.kind === 'done') resolve(reply.read);
      else if (reply?.kind === 'error') reject(fromWorkerError(reply.error, 'event reader'));
      else reject(new Error(`event reader: the thread exited with code ${code} and no table`));
    });
  });
}

/** The buffers of a read's columns and row numbers, each once (for a transfer list). */
export function readBuffers(r: TrainingRead): ArrayBuffer[] {
  const arrays = [...Object.values(r.table.columns), ...(r.rows ? [r.rows] : [])];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
