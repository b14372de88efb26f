/**
 * Synthetic toy records for the verdict tests: a reference whose reachable target is known exactly (from a
 * sample 1000× a toy's size, with no error of its own), and an estimator record with only the per-bin outputs
 * set. The tests draw the estimates themselves, so each states its own statistics.
 */
import { createRng } from '../../src/rng.js';
import type { ResolvedStudy } from '../../src/study/resolveStudy.js';
import type { EstimatorRecord, PointRecord, ToyRecord } from '../../src/study/toyRecord.js';
import type { PointReference, StudyReference } from '../../src/study/verdict/referenceTargets.js';

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

/**
 * The six-bin null of the calibration tests: |η| 0–1, 1–1.6, 1.6–2.4 × pT 25–60, 60–1000 GeV, targets and
 * signal electrons per toy giving 200, 150, 100, 100, 400 and 60 expected flips (every bin ≥ 25), one estimator
 * `x` whose estimates are Gaussian around the target with honest 8 % errors, and a study of one point
 * `default` judging it with `toys` toys a verdict.
 */
export function sixBinNull(toys: number) {
  const eta = [0, 1, 1.6, 2.4];
  const pt = [25, 60, 1000];
  const target = [0.002, 0.003, 0.01, 0.01, 0.02, 0.03];
  const count = [100000, 50000, 10000, 10000, 20000, 2000];
  const relErr = 0.08;
  const reference: StudyReference = { key: 'synthetic', points: { default: syntheticReference(target, count) } };
  const nullToys = (n: number, seed: string): ToyRecord[] => {
    const rng = createRng(seed);
    return Array.from({ length: n }, (_, toy) =>
      syntheticToy(toy, target, count, {
        x: syntheticRecord(
          target.map((t) => t + t * relErr * rng.normal()),
          target.map((t) => t * relErr),
        ),
      }),
    );
  };
  const study = (criteria: ResolvedStudy['criteria'], T = toys): ResolvedStudy =>
    ({
      name: 'synthetic',
      description: 'synthetic null',
      seed: 1,
      toys: T,
      quick: false,
      binning: { eta, pt },
      points: [{ label: 'default', events: 1, estimators: [{ name: 'x', kind: 'binned', sidebandSubtraction: false, options: {} }] }],
      criteria,
    }) as unknown as ResolvedStudy;
  return { eta, pt, target, count, relErr, reference, nullToys, study };
}
