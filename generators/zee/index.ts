/**
 * Toy Z→ee generator (public API).
 *
 *   config (partial) → resolveGeneratorConfig → truth Z→e−e+ (Breit–Wigner, Z pT, rapidity, Collins–Soper decay,
 *   exact boosts) → truth ε per electron → detector (flip, energy resolution, flip degradation) → selection
 *   (acceptance, pT, window/sidebands) → optional fake pairs → columnar EventTable blocks.
 */
export { generateEvents, generateTruthEventsSync, type GenerateOptions, type GenerateResult } from './generate-events.js';
export { createBlockContext, generateBlock, type BlockContext, BACKGROUND_EVENT_BASE } from './generate-block.js';
export { type GenerationSummary, type RegionCounts } from './summary.js';
export { epsModel, type EpsModel } from './eps-model.js';
export { analyticEps } from './analytic-eps.js';
export { buildTruthSamplers, breitWignerCdf, type TruthSamplers } from './truth-samplers.js';
export { generateTruth, allocateTruthBuffers, type TruthBuffers } from './truth-kinematics.js';
export { UniformStream } from './uniform-stream.js';
export {
  resolveGeneratorConfig,
  generatorConfigJsonSchema,
  configForMetadata,
  type GeneratorConfig,
  type GeneratorConfigInput,
  type EpsFunction,
} from '../../src/config/generator-config.js';
