/**
 * Issue 11 item 7: the bias-scan plot shows the pooled relative bias of the summary (pooledRelBias, bins
 * weighted by their expected flips, with pooledRelBiasErr), the number the criteria judge — not an unweighted
 * average of per-bin relative biases, which lets a sparse bin with a large relative bias dominate.
 */
import { describe, expect, it } from 'vitest';
import { studyPlots } from '../../src/study/studyPlots.js';
import type { StudyReportData } from '../../src/study/studyReportData.js';

const bin = (k: number, relBias: number, count: number) => ({
  bin: k,
  truth: 1e-3,
  estimate: 1e-3 * (1 + relBias),
  residual: 1e-3 * relBias,
  residualErr: 2e-4,
  relBias,
  sigma: 3e-4,
  biasOverSigma: (1e-3 * relBias) / 3e-4,
  meanErr: 3e-4,
  pull: {
    mean: 0,
    meanErr: 0,
    width: 1,
    widthErr: 0,
    widthRatio: 1,
    n: 1,
    coverage68: 1,
    coverage68Err: 0,
    coverage95: 1,
    coverage95Err: 0,
  },
  count,
  used: true,
});

function data(): StudyReportData {
  // Bin 0: 100k electrons, bias +0.2 %; bin 1: 6k electrons, bias +30 %. Unweighted mean 15.1 %; pooled
  // (weights count·truth) ≈ 1.9 %. The summary's pooled numbers are what the plot must show.
  const summary = {
    toys: 4,
    failures: {},
    metrics: { pooledRelBias: 0.0189, pooledRelBiasErr: 0.006, maxAbsBiasOverSigma: 1 },
    bins: [bin(0, 0.002, 100_000), bin(1, 0.3, 6_000)],
    diagnostics: {},
  };
  const point = (label: string) => ({
    label,
    events: 1000,
    pairing: { topology: 'any', etaSplit: 1.37 },
    generator: {},
    estimators: [{ name: 'binned', kind: 'binned', options: {}, sidebandSubtraction: false }],
  });
  return {
    info: {
      study: {
        name: 'background',
        toys: 4,
        plots: [{ plot: 'biasScan', points: ['a', 'b'] }],
        points: [point('a'), point('b')],
        binning: { eta: [0, 1, 2], pt: [25, 1000] },
      },
    },
    summary: {
      toys: { requested: 4, recorded: 4, failed: 0, missing: [] },
      points: [
        { label: 'a', estimators: { binned: summary } },
        { label: 'b', estimators: { binned: summary } },
      ],
    },
    records: [],
  } as unknown as StudyReportData;
}

describe('bias-scan plot', () => {
  it('plots pooledRelBias ± pooledRelBiasErr from the summary', () => {
    const d = data();
    const { plots } = studyPlots(d.info.study, d.summary);
    const scan = plots.find((p) => p.id === 'bias-scan');
    expect(scan).toBeDefined();
    expect(scan!.facts!['binned @ a']).toBe('0.0189');
    const values = (scan!.spec as { layer: { data?: { values: { value: number; lo: number; hi: number }[] } }[] }).layer.flatMap(
      (l) => l.data?.values ?? [],
    );
    const row = values.find((v) => 'lo' in v)!;
    expect(row.value).toBeCloseTo(0.0189, 12);
    expect(row.hi - row.value).toBeCloseTo(0.006, 12);
  });
});
