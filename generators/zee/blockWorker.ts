/**
 * Worker thread body: builds the block context once from the resolved config, then generates the blocks it is
 * sent and hands the tables back (buffers transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EventTable } from '../../src/events/columns.js';
import { asResolvedGeneratorConfig } from '../../src/config/generatorConfig.js';
import { createBlockContext, generateBlock } from './generateBlock.js';
import { toWorkerError, type WorkerErrorPayload } from '../../src/util/workerError.js';

export interface BlockTask {
  id: number;
  blocks: [block: number, nTruth: number][];
}
export type BlockReply = { id: number; tables: EventTable[] } | { id: number; error: WorkerErrorPayload };

const data = workerData as { config: unknown; seed: string | number };
const seed = data.seed;
// The parent resolved the config; the structured clone is only type-checked here, not resolved again.
const ctx = createBlockContext(asResolvedGeneratorConfig(data.config, 'generator worker'));

parentPort!.on('message', (task: BlockTask) => {
  try {
    const tables = task.blocks.map(([block, n]) => generateBlock(ctx, seed, block, n));
    const transfer = tables.flatMap((t) => Object.values(t.columns).map((c) => c.buffer as ArrayBuffer));
    parentPort!.postMessage({ id: task.id, tables } satisfies BlockReply, transfer);
  } catch (err) {
    parentPort!.postMessage({ id: task.id, error: toWorkerError(err) } satisfies BlockReply);
  }
});
