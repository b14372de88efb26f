/**
 * The reference sample's chunks on `threads` worker threads (issue 16: the 10× reference was ~12 s of one
 * core before every study's toys, with the other core idle). Chunks are handed out one at a time; the parts
 * come back by job index and referenceTargets sums them in chunk order, so the reference is the same bits for
 * any thread count (test/study/referenceParallel.test.ts). It runs before the toys, alone, so it may use every
 * core of the study's budget (threadBudget.ts).
 */
import { startWorker } from '../../util/worker.js';
import { fromWorkerError, type WorkerErrorPayload } from '../../util/workerError.js';
import type { ResolvedStudy } from '../resolveStudy.js';
import type { ReferenceJob, ReferencePart, ReferenceRunner } from './referenceTargets.js';

export function referencePool(study: ResolvedStudy, threads: number): ReferenceRunner {
  return (jobs: ReferenceJob[]) =>
    new Promise<ReferencePart[]>((resolve, reject) => {
      const parts: ReferencePart[] = new Array(jobs.length);
      const nWorkers = Math.max(1, Math.min(threads, jobs.length));
      let next = 0;
      let done = 0;
      let failed = false;
      const workers = Array.from({ length: nWorkers }, () => startWorker(import.meta.url, 'referenceWorker', { workerData: { study } }));
      const stopAll = (): void => {
        for (const w of workers) void w.terminate();
      };
      const fail = (err: Error): void => {
        if (failed) return;
        failed = true;
        stopAll();
        reject(err);
      };
      if (jobs.length === 0) {
        stopAll();
        resolve(parts);
        return;
      }
      for (const w of workers) {
        const give = (): void => {
          if (next < jobs.length) {
            const index = next++;
            w.postMessage({ index, job: jobs[index] });
          } else w.postMessage({ stop: true });
        };
        w.on('message', (msg: { index: number; part?: ReferencePart; error?: WorkerErrorPayload }) => {
          if (failed) return;
          if (msg.error) return fail(fromWorkerError(msg.error, `reference chunk ${msg.index}`));
          parts[msg.index] = msg.part!;
          if (++done === jobs.length) resolve(parts);
          give();
        });
        w.on('error', fail);
        give();
      }
    });
}
