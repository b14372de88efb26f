/**
 * Worker-thread side of readTrainingTableInWorker (readTrainingTable.ts): read the training events, post them
 * with their buffers transferred, and end, so that what reading left behind goes with this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readBuffers, readTrainingTable, type TrainingReadRequest } from './readTrainingTable.js';
import { toWorkerError } from '../util/workerError.js';

try {
  const read = await readTrainingTable(workerData as TrainingReadRequest);
  parentPort!.postMessage({ kind: 'done', read }, readBuffers(read));
} catch (err) {
  parentPort!.postMessage({ kind: 'error', error: toWorkerError(err) });
}
