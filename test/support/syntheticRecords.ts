/**
 * Synthetic toy records for the verdict tests: a reference whose reachable target is known exactly (from a
 * sample 1000× a toy's size, with no error of its own), and an estimator record with only the per-bin outputs
 * set. The tests draw the estimates themselves, so each states its own statistics.
 */
import type { EstimatorRecord, PointRecord, ToyRecord } from '../../src/study/toyRecord.js';
import type { PointReference } from '../../src/study/verdict/referenceTargets.js';

/** Reference for a point with `count` signal electrons per toy and reachable target `target` per bin. */
export function syntheticReference(target: readonly number[], count: readonly number[], model: readonly number[] = target): PointReference {
  return {
    events: 1e9,
    count: count.map((c) => c * 1000),
    flips: target.map((t, k) => Math.round(t * count[k]! * 1000)),
    sumTruthEps: target.map((t, k) => t * count[k]! * 1000),
    reachable: [...target],
    reachableErr: target.map(() => 0),
    model: [...model],
  };
}

/** An ok record with these per-bin estimates and errors and nothing else measured. */
export function syntheticRecord(eps: (number | null)[], err: (number | null)[], extra: Partial<EstimatorRecord> = {}): EstimatorRecord {
  return {
    status: 'ok',
    eps,
    err,
    electron: { n: 0, mse: null, meanRelBias: null, phiKappaMean: null, phiKappaRms: null },
    closure: { pt: { chi2: 0, ndf: 0 }, eta: { chi2: 0, ndf: 0 }, m_ee: { chi2: 0, ndf: 0 } },
    diagnostics: {},
    ...extra,
  };
}

/** Toy `toy` with one point holding these estimators (their counts and flips per toy as given). */
export function syntheticToy(
  toy: number,
  target: readonly number[],
  count: readonly number[],
  estimators: Record<string, EstimatorRecord>,
  label = 'default',
): ToyRecord {
  const point: PointRecord = {
    label,
    events: 1,
    window: 1,
    windowSC: 1,
    truth: [...target],
    count: [...count],
    flips: target.map((t, k) => Math.round(t * count[k]!)),
    estimators,
  };
  return { toy, seed: String(toy), status: 'ok', points: [point] };
}
