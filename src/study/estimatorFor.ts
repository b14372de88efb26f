/**
 * The estimator registry: kind → adapter, loaded lazily so a study that runs only the binned fit never pays
 * for loading TensorFlow.js.
 */
import type { Estimator } from './estimators/Estimator.js';
import type { EstimatorKind } from './studySchema.js';

const LOADERS: Record<EstimatorKind, () => Promise<Estimator>> = {
  binned: async () => (await import('./estimators/binned.js')).binnedEstimator,
  binnedFolded: async () => (await import('./estimators/binnedFolded.js')).binnedFoldedEstimator,
  truthMatched: async () => (await import('./estimators/truthMatched.js')).truthMatchedEstimator,
  phi: async () => (await import('./estimators/phi.js')).phiEstimator,
  oracle: async () => (await import('./estimators/oracle.js')).oracleEstimator,
  reachTarget: async () => (await import('./estimators/reachTarget.js')).reachTargetEstimator,
  external: async () => (await import('./estimators/external.js')).externalEstimator,
  onnx: async () => (await import('./estimators/onnx.js')).onnxEstimator,
};

const cache = new Map<EstimatorKind, Promise<Estimator>>();

export function estimatorFor(kind: EstimatorKind): Promise<Estimator> {
  let p = cache.get(kind);
  if (!p) {
    p = LOADERS[kind]();
    cache.set(kind, p);
  }
  return p;
}
