/**
 * Paired data/MC studies (docs/studies.md, "Paired studies"): how a study file expands into MC and data samples,
 * the bad combinations it refuses (naming the key), the re-selection and background repetition that keep
 * variations on the same events, the SC-yield record, and the scale-factor summary on records with known
 * answers (pulls, coverage, missing bins, failures, systematic shifts). End-to-end runs of the two shipped paired
 * studies are in shippedStudies.test.ts (--quick).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { parseStudy } from '../../src/study/loadStudy.js';
import { resolveStudy } from '../../src/study/resolveStudy.js';
import { repeatBackground, reselectTable } from '../../src/study/prepareTable.js';
import { resolveSelection } from '../../src/selection/selection.js';
import { scYield } from '../../src/study/metrics/scYield.js';
import { summarizeScaleFactors } from '../../src/study/metrics/sfSummary.js';
import { evaluateCriteria } from '../../src/study/evaluateCriteria.js';
import type { EstimatorRecord, PointRecord, ToyRecord } from '../../src/study/toyRecord.js';

const base = {
  name: 'p',
  description: 'd',
  seed: 1,
  toys: 2,
  events: 1000,
  binning: { eta: [0, 1.37, 2.47], pt: [25, 1000] },
  generator: { electron: { model: 'latent' } },
  paired: { data: { generator: { electron: { model: 'latent', material: { scale: 1.1 } } } } },
  scan: [
    { label: 'nominal' },
    { label: 'w75', generator: { selection: { window: [75, 105], lowSideband: [60, 75], highSideband: [105, 120] } }, run: ['b'] },
  ],
  estimators: [
    { name: 'b', kind: 'binned' },
    { name: 't', kind: 'truthMatched' },
    { name: 'phi', kind: 'phi', trainOn: 'mc', options: { features: ['pt', 'abseta'] } },
  ],
};

function thrown(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('paired studies: resolution', () => {
  it('expands every scan point into label:mc then label, with their own streams, configurations and estimators', () => {
    const r = resolveStudy(parseStudy(base));
    expect(r.points.map((p) => p.label)).toEqual(['nominal:mc', 'nominal', 'w75:mc', 'w75']);
    expect(r.points.map((p) => p.stream)).toEqual(['mc', 'data', 'mc', 'data']);
    expect(r.points[0]!.generator.electron).toMatchObject({ material: { scale: 1 } });
    expect(r.points[1]!.generator.electron).toMatchObject({ material: { scale: 1.1 } });
    expect(r.points[3]!.generator.selection.window).toEqual([75, 105]);
    // trainOn runs on the data side only; the scan point's run list restricts both sides.
    expect(r.points[0]!.estimators.map((e) => e.name)).toEqual(['b', 't']);
    expect(r.points[1]!.estimators.map((e) => e.name)).toEqual(['b', 't', 'phi']);
    expect(r.points[3]!.estimators.map((e) => e.name)).toEqual(['b']);
    // Default SF pairs: every estimator on both sides, with itself; the first point is nominal.
    expect(r.paired).toEqual({
      nominal: 'nominal',
      scaleFactors: [
        { name: 'b', data: 'b', mc: 'b' },
        { name: 't', data: 't', mc: 't' },
      ],
    });
    // An unpaired study resolves as before: no side, stream or pair keys.
    const plain = resolveStudy(parseStudy({ ...base, paired: undefined, estimators: [{ name: 'b', kind: 'binned' }], scan: undefined }));
    expect(Object.keys(plain.points[0]!).sort()).toEqual(['estimators', 'events', 'generator', 'label', 'pairing']);
  });

  it('refuses paired keys without `paired`, trainOn on a non-network, morph without trainOn, unknown SF estimators and :mc points elsewhere', () => {
    const noPair = { ...base, paired: undefined, scan: undefined };
    expect(thrown(() => resolveStudy(parseStudy(noPair))).path).toBe('estimators.2.trainOn');
    const binnedTrain = { ...base, estimators: [{ name: 'b', kind: 'binned', trainOn: 'mc' }] };
    expect(thrown(() => resolveStudy(parseStudy(binnedTrain))).message).toMatch(/estimators\.0\.trainOn.*network estimator/);
    const morphOnly = { ...base, estimators: [{ name: 'phi', kind: 'phi', morph: { features: ['reta'] } }] };
    expect(thrown(() => resolveStudy(parseStudy(morphOnly))).path).toBe('estimators.0.morph');
    const badPair = { ...base, paired: { ...base.paired, scaleFactors: [{ name: 'x', data: 'b', mc: 'phi' }] } };
    expect(thrown(() => resolveStudy(parseStudy(badPair))).path).toBe('paired.scaleFactors.0.mc');
    const mcPoint = {
      ...base,
      paired: undefined,
      scan: undefined,
      estimators: [{ name: 'b', kind: 'binned' }],
      criteria: [{ metric: 'mse', estimator: 'b', point: 'default:mc', op: '<', threshold: 1 }],
    };
    expect(thrown(() => parseStudy(mcPoint)).path).toBe('criteria.0.point');
    const sfUnpaired = {
      ...base,
      paired: undefined,
      scan: undefined,
      estimators: [{ name: 'b', kind: 'binned' }],
      criteria: [{ metric: 'sfCoverage68', estimator: 'b', op: '>', threshold: 0 }],
    };
    expect(thrown(() => parseStudy(sfUnpaired)).path).toBe('criteria.0.metric');
  });
});

describe('paired studies: same events under a variation', () => {
  const t = {
    n: 6,
    columns: {
      m_ee: Float64Array.from([62, 77, 85, 99, 103, 118]),
      pt1: Float64Array.from([40, 40, 40, 40, 40, 26]),
      pt2: Float64Array.from([30, 30, 30, 30, 30, 25.5]),
      region: Uint8Array.from([1, 1, 0, 0, 2, 2]),
      is_background: Uint8Array.from([0, 1, 0, 1, 0, 0]),
    },
  };
  const nominal = resolveSelection({});

  it('re-selects the events for a narrower selection (regions recomputed), and refuses a wider one', () => {
    const w75 = reselectTable(t, nominal, resolveSelection({ window: [75, 105], lowSideband: [60, 75], highSideband: [105, 120] }))!;
    expect(Array.from(w75.columns.region!)).toEqual([1, 0, 0, 0, 0, 2]);
    const sb15 = reselectTable(t, nominal, resolveSelection({ lowSideband: [65, 80], highSideband: [100, 115], ptMin: [25, 26] }))!;
    expect(Array.from(sb15.columns.m_ee!)).toEqual([77, 85, 99, 103]);
    expect(reselectTable(t, nominal, resolveSelection({ ptMin: [20, 20] }))).toBeUndefined();
  });

  it('drops or repeats the fake pairs, signal rows unchanged and first', () => {
    expect(Array.from(repeatBackground(t, 0).columns.m_ee!)).toEqual([62, 85, 103, 118]);
    expect(Array.from(repeatBackground(t, 2).columns.m_ee!)).toEqual([62, 85, 103, 118, 77, 99, 77, 99]);
    expect(repeatBackground(t, 1)).toBe(t);
  });
});

describe('SC yield (metrics/scYield.ts)', () => {
  it('sums w·eps12 and w²·eps12(1 − eps12) over window rows, the observed SC, and the spread of the members', () => {
    const table = {
      n: 3,
      columns: { w: Float64Array.from([1, 2, 1]), region: Uint8Array.from([0, 0, 1]), sc: Uint8Array.from([1, 0, 1]) },
    };
    const e1 = [0.1, 0.2, 0.5];
    const e2 = [0, 0.1, 0.5];
    const q = [0.1, 0.2 + 0.1 - 2 * 0.02];
    const y = scYield(table, e1, e2, [
      { eps1: [0.1, 0.2, 0], eps2: [0, 0.1, 0] },
      { eps1: [0.2, 0.2, 0], eps2: [0, 0.1, 0] },
    ]);
    expect(y.observed).toBe(1);
    expect(y.predicted).toBeCloseTo(q[0]! + 2 * q[1]!, 12);
    expect(y.variance).toBeCloseTo(q[0]! * (1 - q[0]!) + 4 * q[1]! * (1 - q[1]!), 12);
    expect(y.trainVariance).toBeCloseTo(0.005, 12); // two members whose P differ by 0.1: variance 0.1²/2
  });
});

describe('scale-factor summary (metrics/sfSummary.ts)', () => {
  const study = resolveStudy(parseStudy({ ...base, estimators: base.estimators.slice(0, 2) }));
  const rec = (eps: number[], err: number[], status: EstimatorRecord['status'] = 'ok'): EstimatorRecord => ({
    status,
    eps,
    err,
    electron: { n: 0, mse: null, meanRelBias: null, phiKappaMean: null, phiKappaRms: null },
    closure: { pt: { chi2: 0, ndf: 0 }, eta: { chi2: 0, ndf: 0 }, m_ee: { chi2: 0, ndf: 0 } },
    diagnostics: {},
  });
  const point = (label: string, truth: number[], estimators: Record<string, EstimatorRecord>): PointRecord => ({
    label,
    events: 1,
    window: 1,
    windowSC: 1,
    truth,
    count: [10000, 10000],
    estimators,
  });
  // Truth: MC 1e-3 / 4e-3, data 1.2e-3 / 4e-3, true SF 1.2 and 1. Binned fit: data off by (+1, −2) SF errors in
  // toy 0 (each side's relative error 0.1 → σ(SF) = SF·0.1·√2), exact in toy 1; truth-matched fails in toy 1.
  const s2 = Math.SQRT2 * 0.1;
  const toy = (t: number): ToyRecord => {
    const dEps = t === 0 ? [1.2e-3 * (1 + s2), 4e-3 * (1 - 2 * s2)] : [1.2e-3, 4e-3];
    return {
      toy: t,
      seed: `s${t}`,
      status: 'ok',
      points: [
        point('nominal:mc', [1e-3, 4e-3], { b: rec([1e-3, 4e-3], [1e-4, 4e-4]), t: rec([1e-3, 4e-3], [1e-4, 4e-4]) }),
        point('nominal', [1.2e-3, 4e-3], {
          b: rec(dEps, [0.1 * dEps[0]!, 0.1 * dEps[1]!]),
          t: rec([1.2e-3, 0], [1e-4, 0], t === 1 ? 'failed' : 'ok'),
        }),
        point('w75:mc', [1e-3, 4e-3], { b: rec([1e-3, 4e-3], [1e-4, 4e-4]) }),
        point('w75', [1.2e-3, 4e-3], { b: rec([dEps[0]! + 1.2e-4, dEps[1]!], [0.1 * dEps[0]!, 0.1 * dEps[1]!]) }),
      ],
    };
  };
  const sf = summarizeScaleFactors(study, [toy(0), toy(1)])!;

  it('pulls, coverage, failures and missing bins per pair', () => {
    const b = sf.points.find((p) => p.label === 'nominal')!.estimators.b!;
    // Pulls: toy 0 (+1, −2·(1−2s2)/(1−2s2)... computed exactly below), toy 1 (0, 0).
    const sfErr0 = 1.2 * (1 + s2) * Math.sqrt(0.01 + 0.01);
    const sfErr1 = (1 - 2 * s2) * Math.sqrt(0.02);
    const pulls = [(1.2 * (1 + s2) - 1.2) / sfErr0, (1 - 2 * s2 - 1) / sfErr1, 0, 0];
    expect(b.metrics.sfPulls).toBe(4);
    expect(b.metrics.sfPullMean).toBeCloseTo(pulls.reduce((a, x) => a + x, 0) / 4, 10);
    expect(b.metrics.sfCoverage68).toBe(pulls.filter((p) => Math.abs(p) < 1).length / 4);
    expect(b.metrics.sfFailureRate).toBe(0);
    const t = sf.points.find((p) => p.label === 'nominal')!.estimators.t!;
    expect(t.failures).toBe(1);
    // Toy 0: bin 1 has eps 0 in data → no SF there, counted as missing among the 2 used (toy, bin).
    expect(t.metrics.sfMissingRate).toBe(0.5);
    expect(t.bins[0]!.sf).toBeCloseTo(1.2, 12);
    // Criteria read the SF metrics at the SF points.
    const res = evaluateCriteria([{ metric: 'sfFailureRate', estimator: 't', point: 'nominal', op: '<=', threshold: 0 }], [], sf.points);
    expect(res.map((r) => [r.value, r.pass])).toEqual([[0.5, false]]);
  });

  it('the systematic shift of a variation in the same toys, in units of the nominal stat error', () => {
    const sys = sf.systematics.find((s) => s.variation === 'w75' && s.estimator === 'b')!;
    expect(sys.shift[0]).toBeCloseTo(0.12, 10);
    expect(sys.shift[1]).toBeCloseTo(0, 12);
    expect(sys.shiftErr[0]).toBeCloseTo(0, 12);
    expect(sf.systematics.some((s) => s.estimator === 't')).toBe(false); // t does not run at w75
    expect(sys.maxShiftOverStat).toBeCloseTo(0.12 / ((1.2 * (1 + s2) * Math.sqrt(0.02) + 1.2 * Math.sqrt(0.02)) / 2), 8);
  });
});
