/**
 * The real components behind a toy: the Z→ee generator and the estimator registry.
 *
 * Generation goes block by block through generators/zee/generate-block.ts (block b seeded from (seed, b), as
 * the generator's own multi-block driver does), with the per-configuration tables (Z pT and rapidity CDFs, ε
 * model) built once per worker and reused for every toy — a study runs hundreds of toys on a handful of
 * configurations. `events` counts truth Z→ee events, before acceptance and selection.
 */
import { createBlockContext, generateBlock, type BlockContext } from '../../generators/zee/generate-block.js';
import { concatTables } from '../events/columns.js';
import { estimatorFor } from './estimatorFor.js';
import type { GenerateFn, ToyDeps } from './runToy.js';

export function studyToyDeps(threads: number): ToyDeps {
  const contexts = new Map<string, BlockContext>();
  const generate: GenerateFn = async (config, n, seed) => {
    const key = JSON.stringify(config);
    let ctx = contexts.get(key);
    if (!ctx) {
      ctx = createBlockContext(config);
      contexts.set(key, ctx);
    }
    const size = ctx.config.blockSize;
    const parts = [];
    for (let b = 0; b * size < n; b++) parts.push(generateBlock(ctx, seed, b, Math.min(size, n - b * size)));
    return concatTables(parts);
  };
  return { generate, estimator: estimatorFor, threads };
}
