/**
 * qmisid-bench, the library. The pipeline a closure study runs, in order:
 *
 *   1. study spec      loadStudy / parseStudy              (studies/*.json, one zod schema, unknown keys rejected)
 *   2. resolve config  resolveGeneratorConfig, resolveTrainConfig   (all defaults live in these two functions)
 *   3. generate        generateEvents                      (truth OC Z→ee, truth ε(e), detector response, flips)
 *   4. select          resolveSelection, selectRows       (src/selection: window / sidebands / pT; negative sideband weights)
 *   5. estimate        trainModel + applyModel (φ-trainer, note eq. 3), trainOracle, fitBinnedTable, fitFoldedTable,
 *                      truthMatchedRates
 *   6. validate        pairingGraph, hessianDiagnostics, branchOf, and the study metrics
 *   7. report          writeReport / writeStudyReport
 *
 * runStudy does 1–7 for a whole study; the CLI (`qmisid`) wraps the same functions.
 */
export { QmisidError, ConfigError, DataError, UsageError, NumericalError } from './errors.js';
export { createRng, deriveSeed, type Rng, type Seed } from './rng.js';
export { COLUMNS, type EventTable, type ColumnSpec } from './events/columns.js';
export { readEvents, writeEvents, openEventWriter, type EventFileMeta, type EventWriter } from './io/eventsFile.js';
export { parseColumnMap, resolveColumnMap, type ColumnMap, type MappingReport } from './io/columnMap.js';
export {
  PROTOCOL as EXTERNAL_PROTOCOL,
  OutputSchema as ExternalOutputSchema,
  type Manifest as ExternalManifest,
  type ExternalOutput,
} from './external/protocol.js';
export { runExternal, type ExternalRun } from './external/runExternal.js';
export { phiToOnnx } from './onnx/phiToOnnx.js';
export { loadOnnxPhi, type OnnxPhi } from './onnx/onnxPhi.js';
export { epsMapFromFit, epsMapFromElectrons, type EpsMap } from './export/epsMapTable.js';
export { correctionSet, epsMapCsv } from './export/correctionlibJson.js';

export { pairLogit, pairLogitGrad, eps12, logit, sigmoid, degeneratePartner } from './method/pairFunction.js';

export {
  resolveGeneratorConfig,
  generatorConfigJsonSchema,
  type GeneratorConfig,
  type GeneratorConfigInput,
  type ResolvedGeneratorConfig,
} from './config/generatorConfig.js';
export { generateEvents, type GenerateOptions, type GenerateResult } from '../generators/zee/generateEvents.js';

export { resolveTrainConfig, type TrainConfig, type TrainConfigInput } from './train/config.js';
export { trainModel } from './train/trainModel.js';
export { trainOracle } from './train/oracle.js';
export { applyModel } from './train/apply.js';
export { saveModel, loadModel } from './train/modelIo.js';
export { selectBackend } from './train/backend.js';
export type { PhiModel } from './train/model.js';

export { Binning } from './binning/Binning.js';
export { fitBinned, fitBinnedTable, type BinnedFitResult } from './fit/fitBinned.js';
export { fitFoldedTable } from './fit/fitFolded.js';
export { sidebandSubtractionWeights } from './fit/sidebandWeights.js';
export {
  REGION,
  SELECTION_DEFAULTS,
  resolveSelection,
  selectRows,
  sidebandFactor,
  selectionFromFile,
  type Selection,
  type SelectionInput,
  type FitRegion,
} from './selection/index.js';
export { truthMatchedRates } from './truth/truthMatchedRates.js';
export { binAverage } from './truth/binAverage.js';
export { pairingGraph } from './identifiability/pairingGraph.js';
export { hessianDiagnostics } from './identifiability/hessianDiagnostics.js';
export { branchOf } from './identifiability/branchOf.js';

export { loadStudy, parseStudy } from './study/loadStudy.js';
export { runStudy } from './study/runStudy.js';
export { mergeRuns } from './study/mergeRuns.js';
export { writeStudyReport } from './study/writeStudyReport.js';
export { writeReport, rebuildReport, type Report } from './report/index.js';

export type { Estimator, EstimatorContext, EstimatorResult } from './study/estimators/Estimator.js';
export {
  recoversSmoothFamilies,
  staysOnPhysicalBranch,
  flagsNonIdentifiablePairings,
  isInvariantUnderRelabelling,
  hasCalibratedPulls,
  closesUnderFlipLoss,
  assertPassed,
  PropertyFailure,
  runCheck,
  DEFAULT_CHECK_SEED,
  type CheckSummary,
  type CheckOptions,
  type PropertyOutcome,
  type CheckPreset,
} from './check/index.js';
