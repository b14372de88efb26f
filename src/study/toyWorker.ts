/**
 * Worker-thread entry: receives the resolved study once (workerData), then toy indices one at a time, and
 * posts each finished ToyRecord back. Started by toyPool via src/util/worker.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runToy } from './runToy.js';
import { asResolvedStudy, type ResolvedStudy } from './resolveStudy.js';
import { toWorkerError } from '../util/workerError.js';

// The parent resolved the study; the structured clone is type-checked and branded here, not resolved again.
const study = asResolvedStudy((workerData as { study: ResolvedStudy }).study, 'toy worker');
// This worker's share of the cores for its estimators' gradient threads (threadBudget.ts).
const threads = (workerData as { threads?: number }).threads;
const port = parentPort!;

port.on('message', (msg: { toy: number } | { stop: true }) => {
  if ('stop' in msg) {
    port.close();
    return;
  }
  runToy(study, msg.toy, threads).then(
    (record) => port.postMessage({ toy: msg.toy, record }),
    (err: unknown) => port.postMessage({ toy: msg.toy, error: toWorkerError(err) }),
  );
});
port.postMessage({ ready: true });
