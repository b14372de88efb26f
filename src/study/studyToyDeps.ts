/**
 * The real components behind a toy: the Z→ee generator and the estimator registry.
 *
 * Generation runs in the toy's thread through the generator's serial path (generateTruthEventsSync), with the per-configuration tables (Z pT and rapidity CDFs, ε
 * model) built once per worker and reused for every toy — a study runs hundreds of toys on a handful of
 * configurations. `events` counts truth Z→ee events, before acceptance and selection.
 */
import { createBlockContext, type BlockContext } from '../../generators/zee/generate-block.js';
import { generateTruthEventsSync } from '../../generators/zee/generate-events.js';
import { estimatorFor } from './estimatorFor.js';
import type { GenerateFn, ToyDeps } from './runToy.js';
import type { ResolvedSample } from './resolveStudy.js';
import { bootstrapSample, loadSample } from './userSample.js';

/** With a user sample, toys are Poisson bootstraps of its file (userSample.ts) instead of generated events. */
export function studyToyDeps(threads: number, sample?: ResolvedSample): ToyDeps {
  if (sample) return { generate: async (_config, _n, seed) => bootstrapSample(await loadSample(sample), seed), estimator: estimatorFor, threads };
  const contexts = new Map<string, BlockContext>();
  const generate: GenerateFn = async (config, n, seed) => {
    const key = JSON.stringify(config);
    let ctx = contexts.get(key);
    if (!ctx) {
      ctx = createBlockContext(config);
      contexts.set(key, ctx);
    }
    return generateTruthEventsSync(ctx, seed, n);
  };
  return { generate, estimator: estimatorFor, threads };
}
