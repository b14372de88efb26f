/**
 * Worker-thread entry for the reference sample (referencePool.ts): receives the resolved study once
 * (workerData), then (point, chunk) jobs one at a time, and posts each chunk's per-bin part back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Binning } from '../../binning/Binning.js';
import { generate } from '../runToy.js';
import { asResolvedStudy, type ResolvedStudy } from '../resolveStudy.js';
import { toWorkerError } from '../../util/workerError.js';
import { referencePart, type ReferenceJob } from './referenceTargets.js';

const study = asResolvedStudy((workerData as { study: ResolvedStudy }).study, 'reference worker');
const binning = Binning.fromEdges(study.binning.eta, study.binning.pt);
const port = parentPort!;

port.on('message', (msg: { job: ReferenceJob; index: number } | { stop: true }) => {
  if ('stop' in msg) {
    port.close();
    return;
  }
  referencePart(study, binning, generate, msg.job).then(
    (part) => port.postMessage({ index: msg.index, part }),
    (err: unknown) => port.postMessage({ index: msg.index, error: toWorkerError(err) }),
  );
});
