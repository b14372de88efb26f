/**
 * A complete, seeded report with one of every plot, built from synthetic study results shaped like what the
 * closure studies hand over. Used by the report tests (schema, compile, render, browser, atomicity).
 */
import { createRng, deriveSeed } from '../../src/rng.js';
import {
  closurePlot,
  coveragePlot,
  degeneracyPlot,
  epsilonCurvePlot,
  identifiabilityPlot,
  lossCurvePlot,
  massSpectraPlot,
  pullPlot,
  ratioMapPlot,
  scalingPlot,
  scanPlot,
  type Plot,
  type Report,
} from '../../src/report/index.js';

/** The physics.md default shape, trident term only (enough for plots). */
export function truthEps(pt: number, absEta: number): number {
  return 2.5e-5 * Math.exp(2.2 * absEta) * (1 + pt / 50);
}

export function samplePlots(seed = 7): Plot[] {
  const rng = createRng(deriveSeed(seed, 'report-fixture'));
  const etaEdges = [0, 0.6, 1.1, 1.37, 1.52, 2.0, 2.47];
  const ptEdges = [25, 35, 45, 60, 90, 150, 500];
  const etaMid = etaEdges.slice(0, -1).map((e, i) => (e + etaEdges[i + 1]!) / 2);
  const ptMid = ptEdges.slice(0, -1).map((p, i) => Math.sqrt(p * ptEdges[i + 1]!));
  const noisy = (v: number, rel: number) => v * (1 + rel * rng.normal());

  const vsEta = epsilonCurvePlot({
    variable: 'abseta',
    slice: 'pT 25–500 GeV, at pT = 45 GeV',
    truth: Array.from({ length: 50 }, (_, i) => ({ x: (2.47 * i) / 49, eps: truthEps(45, (2.47 * i) / 49) })),
    phi: etaMid.map((x) => {
      const e = noisy(truthEps(45, x), 0.05);
      return { x, eps: e, lo: e * 0.85, hi: e * 1.15 };
    }),
    binned: etaMid.map((x, i) => ({
      x,
      eps: noisy(truthEps(45, x), 0.08),
      err: 0.08 * truthEps(45, x),
      xlo: etaEdges[i]!,
      xhi: etaEdges[i + 1]!,
    })),
    truthMatched: etaMid.map((x) => ({ x: x + 0.02, eps: noisy(truthEps(45, x), 0.04), err: 0.04 * truthEps(45, x) })),
    oracle: etaMid.map((x) => ({ x, eps: truthEps(45, x) * 1.01 })),
  });
  const vsPt = epsilonCurvePlot({
    variable: 'pt',
    slice: 'at |η| = 1.8',
    truth: Array.from({ length: 50 }, (_, i) => ({ x: 25 + (475 * i) / 49, eps: truthEps(25 + (475 * i) / 49, 1.8) })),
    phi: ptMid.map((x) => {
      const e = noisy(truthEps(x, 1.8), 0.05);
      return { x, eps: e, lo: e * 0.85, hi: e * 1.15 };
    }),
    binned: ptMid.map((x, i) => ({
      x,
      eps: noisy(truthEps(x, 1.8), 0.1),
      err: 0.1 * truthEps(x, 1.8),
      xlo: ptEdges[i]!,
      xhi: ptEdges[i + 1]!,
    })),
    truthMatched: ptMid.map((x) => ({ x, eps: noisy(truthEps(x, 1.8), 0.05), err: 0.05 * truthEps(x, 1.8) })),
    oracle: ptMid.map((x) => ({ x, eps: truthEps(x, 1.8) })),
  });
  const cells = etaMid.flatMap((_, i) =>
    ptMid.map((__, j) => ({
      etaLo: etaEdges[i]!,
      etaHi: etaEdges[i + 1]!,
      ptLo: ptEdges[j]!,
      ptHi: ptEdges[j + 1]!,
      ratio: i === 3 && j === 5 ? null : 1 + 0.06 * rng.normal() + (i === 5 ? 0.15 : 0),
      err: 0.05,
    })),
  );
  const ratioMap = ratioMapPlot({ estimator: 'φ-trainer', cells });
  const pulls = Array.from({ length: 400 }, () => 0.1 + 1.1 * rng.normal());
  const pull = pullPlot({
    label: 'φ-trainer ε, all bins',
    pulls,
    fit: { mean: 0.1, meanErr: 0.055, sigma: 1.1, sigmaErr: 0.04 },
    failed: 3,
  });
  const coverage = coveragePlot({
    rows: [
      { estimator: 'φ-trainer', level: 0.6827, covered: 262, n: 400 },
      { estimator: 'φ-trainer', level: 0.9545, covered: 378, n: 400 },
      { estimator: 'binned fit', level: 0.6827, covered: 275, n: 400 },
      { estimator: 'binned fit', level: 0.9545, covered: 383, n: 400 },
      { estimator: 'truth-matched', level: 0.6827, covered: 280, n: 400 },
      { estimator: 'truth-matched', level: 0.9545, covered: 400, n: 400 },
    ],
  });
  const Ns = [1e4, 3e4, 1e5, 3e5, 1e6];
  const scaling = scalingPlot({
    rows: ['φ-trainer', 'binned fit'].flatMap((est, k) =>
      Ns.map((n) => ({
        estimator: est,
        n,
        bias: (k ? 0.01 : 0.03) + 0.01 * rng.normal(),
        biasErr: 0.01,
        sigma: (k ? 3 : 2) / Math.sqrt(n),
        sigmaErr: 0.1 / Math.sqrt(n),
      })),
    ),
  });
  const mEdges = Array.from({ length: 61 }, (_, i) => 60 + i);
  const bw = (m: number, m0: number, g: number) => 1 / ((m * m - m0 * m0) ** 2 + m0 * m0 * g * g);
  const oc = mEdges.slice(0, -1).map((m) => Math.round(2e5 * 91 * 91 * 2.5 * 2.5 * bw(m + 0.5, 91.1876, 2.5) + 200));
  const sc = mEdges.slice(0, -1).map((m) => Math.round(600 * 91 * 91 * 3.2 * 3.2 * bw(m + 0.5, 90.2, 3.2) + 3));
  const spectra = massSpectraPlot({ edges: mEdges, oc, sc });
  const closures = (['pt', 'eta', 'm_ee'] as const).map((variable) => {
    const edges =
      variable === 'pt'
        ? [25, 30, 35, 40, 45, 50, 60, 80, 120]
        : variable === 'eta'
          ? Array.from({ length: 11 }, (_, i) => -2.47 + (4.94 * i) / 10)
          : mEdges.filter((_, i) => i % 4 === 0);
    const predicted = edges.slice(0, -1).map((_, i) => 300 + 200 * Math.sin(i));
    const observed = predicted.map((p) => Math.max(0, Math.round(p + Math.sqrt(p) * rng.normal())));
    return closurePlot({ variable, edges, predicted, predictedErr: predicted.map((p) => 0.05 * p), observed });
  });
  const loss = lossCurvePlot({
    rows: [0, 1, 2].flatMap((m) =>
      Array.from({ length: 20 }, (_, e) => ({
        member: m,
        epoch: e,
        train: 0.03 + 0.02 * Math.exp(-e / (3 + m)),
        val: 0.031 + 0.02 * Math.exp(-e / (3 + m)) + 0.0001 * e,
      })),
    ),
  });
  const tA = truthEps(45, 0.3);
  const tB = truthEps(45, 2.0);
  const degeneracy = degeneracyPlot({
    truth: { epsA: tA, epsB: tB },
    members: [0, 1, 2, 3, 4].map((m) => ({ member: m, epsA: tA * Math.exp(0.3 * rng.normal()), epsB: tB * (1 + 0.02 * rng.normal()) })),
    labelA: 'ε_A: |η| 0.3, pT 45 GeV (log scale)',
    labelB: 'ε_B: |η| 2.0, pT 45 GeV (log scale)',
  });
  const nodes = etaMid.flatMap((x, i) =>
    ptMid.slice(0, 3).map((y, j) => ({ id: `${i}-${j}`, label: `${i},${j}`, x, y, component: i < 5 ? 1 : 2 })),
  );
  const edges = nodes.flatMap((a, ia) =>
    nodes
      .slice(ia + 1)
      .filter((b) => b.component === a.component && (ia * 7 + nodes.indexOf(b)) % 5 === 0)
      .map((b) => ({ source: a.id, target: b.id })),
  );
  const identifiability = identifiabilityPlot({
    nodes,
    edges,
    components: 2,
    bipartite: false,
    flatDirections: 1,
    notes: 'the last |η| bin pairs only with itself',
  });
  const scan = scanPlot({
    id: 'bias-scan',
    title: 'Relative bias across a flip-loss scan',
    caption: 'Bias should stay near 0 until the scanned effect matters.',
    yTitle: 'mean relative bias (dimensionless)',
    reference: 0,
    rows: ['loss0', 'loss1', 'loss2', 'loss3'].flatMap((point, i) =>
      ['binned', 'phi'].map((estimator, k) => ({ point, estimator, value: 0.02 * i * (k + 1) + 0.01 * rng.normal(), err: 0.01 })),
    ),
  });
  return [vsEta, vsPt, ratioMap, pull, coverage, scaling, spectra, ...closures, loss, degeneracy, identifiability, scan];
}

export function sampleReport(seed = 7): Report {
  return {
    title: 'Closure study: default Z→ee toy',
    summary: {
      config: { study: 'default-closure', generator: { events: 100000 }, trainer: { members: 3, epochs: 20 } },
      seeds: { root: seed },
      N: { toys: 400, eventsPerToy: 100000 },
      backend: 'wasm',
      version: '0.1.0-test',
      gitCommit: '0123456789abcdef0123456789abcdef01234567',
      criteria: [
        { name: 'mean pull |μ|', value: 0.1, threshold: 0.2, pass: true, estimator: 'binned', metric: 'pullMean' },
        {
          name: 'pull width σ',
          value: 1.1,
          threshold: '0.9–1.1',
          pass: true,
          estimator: 'binned',
          metric: 'pullWidth',
          details: { falseAlarmRate: 0.003, power: 0.92 },
        },
        {
          name: '95 % coverage φ-trainer',
          value: 0.945,
          threshold: '≥ 0.93',
          pass: true,
          estimator: 'phi',
          metric: 'coverage95',
          why: 'errors neither under- nor overstated',
        },
        { name: 'SC closure χ²/ndf (m_ee)', value: 1.9, threshold: '≤ 1.5', pass: false, estimator: 'phi', metric: 'closureChi2NdfMee' },
      ],
      headline: { 'mean ε (φ-trainer)': 1.52e-3, 'mean ε (truth)': 1.5e-3, 'SC fraction': '0.31 %' },
      verdicts: [
        {
          estimator: 'binned',
          worst: { bin: '|η| 1.52–1.80, pT 25–60 GeV', metric: '⟨ε̂ − τ⟩/σ', value: -2.31 },
          numbers: { pullWidth: 1.1 },
        },
        { estimator: 'phi', worst: { bin: '|η| 2.00–2.47, pT 90–130 GeV', metric: '⟨ε̂ − τ⟩/σ', value: 3.4 }, failures: { collapsed: 1 } },
        { estimator: 'oracle' },
      ],
    },
    plots: samplePlots(seed),
  };
}
