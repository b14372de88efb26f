/**
 * Benchmark worker: times the truth-kinematics stage (Breit–Wigner mass, Z pT, rapidity, Collins–Soper decay,
 * both boosts to the lab) on its share of the events, in blocks, and reports the elapsed time.
 */
import { parentPort } from 'node:worker_threads';
import { resolveGeneratorConfig } from '../src/config/generatorConfig.js';
import { buildTruthSamplers } from '../generators/zee/truthSamplers.js';
import { allocateTruthBuffers, generateTruth } from '../generators/zee/truthKinematics.js';
import { UniformStream } from '../generators/zee/uniformStream.js';

const cfg = resolveGeneratorConfig({});
const samplers = buildTruthSamplers(cfg);
const B = cfg.blockSize;
const buffers = allocateTruthBuffers(B);

export interface KinematicsTask {
  n: number;
  seed: string;
}

parentPort!.on('message', (task: KinematicsTask) => {
  const t0 = performance.now();
  let checksum = 0;
  for (let done = 0, b = 0; done < task.n; done += B, b++) {
    const n = Math.min(B, task.n - done);
    generateTruth(new UniformStream(`${task.seed}/${b}`), samplers, n, buffers);
    checksum += buffers.e1[n - 1]!;
  }
  // (checksum is returned so the work cannot be optimised away)
  parentPort!.postMessage({ seconds: (performance.now() - t0) / 1000, checksum });
});
parentPort!.postMessage({ ready: true });
