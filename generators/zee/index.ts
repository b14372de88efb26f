/**
 * Toy Z→ee generator (public API).
 *
 *   config (partial) → resolveGeneratorConfig → truth Z→e−e+ (Breit–Wigner, Z pT, rapidity, Collins–Soper decay,
 *   exact boosts) → truth ε per electron → detector (flip, energy resolution, flip degradation) → selection
 *   (acceptance, pT, window/sidebands) → optional fake pairs → columnar EventTable blocks.
 */
export { generateEvents, generateTruthEventsSync, type GenerateOptions, type GenerateResult } from './generateEvents.js';
export { createBlockContext, generateBlock, type BlockContext, BACKGROUND_EVENT_BASE } from './generateBlock.js';
export { type GenerationSummary, type RegionCounts } from './summary.js';
export { epsModel, type EpsModel } from './epsModel.js';
export { analyticEps } from './analyticEps.js';
export { buildTruthSamplers, breitWignerCdf, type TruthSamplers } from './truthSamplers.js';
export { generateTruth, allocateTruthBuffers, type TruthBuffers } from './truthKinematics.js';
export { UniformStream } from './uniformStream.js';
export {
  resolveGeneratorConfig,
  generatorConfigJsonSchema,
  configForMetadata,
  type GeneratorConfig,
  type GeneratorConfigInput,
  type EpsFunction,
} from '../../src/config/generatorConfig.js';
