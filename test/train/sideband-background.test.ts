/**
 * Issue 11 item 1: the φ-trainer with sideband-subtraction (negative) weights.
 *
 * (A) The modelled-background pair loss (pairLoss.ts): equal to the plain BCE without background, ≥ 0 for
 *     every φ (a proper likelihood), analytic gradient = tf autodiff = finite differences.
 * (B) A generator sample with same-charge fakes ≥ 10 % of the window SC events (flat fake spectrum, so the
 *     sideband interpolation is exact on average; no flip energy loss, so the window rate is the truth ε).
 *     The mean trained ε over the window's signal electrons against their mean truth ε, σ = the Poisson error
 *     of the net SC yield, √(S_window + f²·S_sidebands)/(S_window − f·S_sidebands) (f = 0.5, the sideband
 *     weight): with sideband subtraction within 3σ; without (window only) biased up by more than 3σ (the
 *     fakes make ~15 % of the window SC events, ≈ 8σ). Family-wise false-alarm ≈ 0.3 %.
 * (C) The guards: the old linear loss with negative weights on a sample whose negative SC events sit where no
 *     window event is goes below its attainable minimum and is reported 'collapsed' (and `qmisid train` exits
 *     1 writing nothing); the modelled background on the same sample is fine. ε collapse counting.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEvents } from '../../generators/zee/generateEvents.js';
import { concatTables, type EventTable } from '../../src/events/columns.js';
import { writeEvents } from '../../src/io/eventsFile.js';
import { main } from '../../src/cli/main.js';
import { REGION, SELECTION_DEFAULTS, sidebandFactor } from '../../src/selection/selection.js';
import { sidebandSubtractedTable, windowTable } from '../../src/study/prepareTable.js';
import { applyModel } from '../../src/train/apply.js';
import { selectBackend } from '../../src/train/backend.js';
import { COLLAPSE_EPS, epsCollapse } from '../../src/train/collapseGuard.js';
import { pairLoss, pairLossAndGrad, pairLossBkgValue, pairLossValue } from '../../src/train/pairLoss.js';
import { modelProblems, trainModel } from '../../src/train/trainModel.js';
import { toyPairs } from '../../src/train/toyPairs.js';

beforeAll(async () => {
  await selectBackend('auto');
});

describe('(A) modelled-background pair loss', () => {
  const cases: [number, number, number, number, number][] = [];
  for (const a of [-30, -4, -0.3, 2])
    for (const b of [-12, -1, 0.5])
      for (const y of [0, 1])
        for (const [oc, sc] of [
          [0, 0],
          [0.02, 0.01],
          [0, 0.2],
          [0.3, 0],
        ])
          cases.push([a, b, y, oc!, sc!]);

  it('is the plain BCE without background, ≥ 0 always, and its analytic gradient matches autodiff and finite differences', () => {
    for (const [a, b, y] of cases) expect(pairLossBkgValue(a, b, y, 0, 0)).toBe(pairLossValue(a, b, y));
    for (const [a, b, y, oc, sc] of cases) expect(pairLossBkgValue(a, b, y, oc, sc)).toBeGreaterThanOrEqual(0);
    // Extreme φ: still finite and ≥ 0 (an SC pair pushed to ε → 0 costs at most −log r when r > 0).
    expect(pairLossBkgValue(-100, -100, 0, 0, 0.01)).toBeCloseTo(-Math.log(0.01), 6);
    const B = cases.length;
    const phi = tf.tensor2d([...cases.map((c) => c[0]), ...cases.map((c) => c[1])], [2 * B, 1]);
    const y = tf.tensor1d(cases.map((c) => c[2]));
    const w = tf.tensor1d(cases.map((_, i) => 0.5 + (i % 3)));
    const bkg = { oc: tf.tensor1d(cases.map((c) => c[3])), sc: tf.tensor1d(cases.map((c) => c[4])) };
    const { loss, dPhi } = tf.tidy(() => pairLossAndGrad(phi as tf.Tensor2D, y, w, 7, bkg));
    const auto = tf.grad((p: tf.Tensor) => {
      const flat = tf.reshape(p, [2 * B]);
      return pairLoss(tf.slice(flat, [0], [B]) as tf.Tensor1D, tf.slice(flat, [B], [B]) as tf.Tensor1D, y, w, 7, bkg);
    })(phi);
    const g = dPhi.dataSync();
    const ga = auto.dataSync();
    const ref = cases.reduce((s, c, i) => s + (0.5 + (i % 3)) * pairLossBkgValue(c[0], c[1], c[2], c[3], c[4]), 0) / 7;
    expect(Math.abs(loss.dataSync()[0]! / ref - 1)).toBeLessThan(1e-5);
    const gmax = Math.max(...Array.from(g, Math.abs));
    for (let i = 0; i < 2 * B; i++) expect(Math.abs(g[i]! - ga[i]!)).toBeLessThan(2e-5 * gmax);
    // Finite differences of the float64 value, per pair.
    const h = 1e-5;
    cases.forEach(([a, b, yy, oc, sc], i) => {
      const wi = (0.5 + (i % 3)) / 7;
      const fd = (wi * (pairLossBkgValue(a + h, b, yy, oc, sc) - pairLossBkgValue(a - h, b, yy, oc, sc))) / (2 * h);
      expect(Math.abs(g[i]! - fd)).toBeLessThan(1e-4 * Math.max(1e-3, Math.abs(fd)) + 1e-6);
    });
    tf.dispose([phi, y, w, bkg.oc, bkg.sc, loss, dPhi, auto]);
  });
});

describe('(B) ≥ 10 % same-charge fakes in the window', () => {
  const config = {
    eps: { model: 'binned', absEtaEdges: [0, 1.37, 2.5], ptEdges: [25, 1000], values: [[0.01], [0.03]] },
    detector: { flip: { lossMean: 0, extraSmear: 0 } },
    background: { fraction: 0.04, scShare: 0.5, slope: 0 },
  };
  // valFrac 0: train on every event, so the Poisson σ of the whole sample is the estimate's.
  const opts = {
    features: ['pt', 'abseta'],
    hidden: [32, 32],
    epochs: 12,
    batch: 4096,
    lr: 0.01,
    ocKeep: 0.25,
    valFrac: 0,
    patience: 12,
    restoreBest: false,
    progress: false,
    seed: 3,
  };

  it('subtracted φ is within 3σ of the truth; window-only φ is biased up by more than 3σ', async () => {
    const { table } = await generateEvents({ config, events: 140_000, count: 'selected', seed: 'sideband-phi', workers: 0 });
    const all = table!;
    const win = windowTable(all);
    const sub = sidebandSubtractedTable(all, SELECTION_DEFAULTS, 'test');
    const c = win.columns;
    let sigSC = 0;
    let fakeSC = 0;
    for (let i = 0; i < win.n; i++) if (c.sc![i]) c.is_background![i] ? fakeSC++ : sigSC++;
    expect(fakeSC / (sigSC + fakeSC), 'fakes share of the window SC events').toBeGreaterThanOrEqual(0.1);
    let sbSC = 0;
    for (let i = 0; i < all.n; i++) if (all.columns.region![i] !== REGION.window && all.columns.sc![i]) sbSC++;
    const S = sigSC + fakeSC;
    const f = -sidebandFactor(SELECTION_DEFAULTS); // 0.5
    const relSigma = Math.sqrt(S + f * f * sbSC) / (S - f * sbSC);
    // Truth: mean truth ε over the window's signal electrons; estimate: the model's mean over the same electrons.
    const signal = (t: EventTable) => Array.from({ length: t.n }, (_, i) => i).filter((i) => !t.columns.is_background![i]);
    const idx = signal(win);
    const truth = idx.reduce((s, i) => s + c.truth_eps1![i]! + c.truth_eps2![i]!, 0) / (2 * idx.length);
    const meanEps = async (t: EventTable) => {
      const m = await trainModel(t, opts);
      expect(modelProblems(m)).toEqual([]);
      const { eps1, eps2 } = applyModel(m, win);
      return { mean: idx.reduce((s, i) => s + eps1[i]! + eps2[i]!, 0) / (2 * idx.length), model: m };
    };
    const subtracted = await meanEps(sub);
    const unsub = await meanEps(win);
    const bg = subtracted.model.members[0]!.background!;
    console.log(
      `sideband phi: truth ${truth.toFixed(5)}, subtracted ${subtracted.mean.toFixed(5)} (${((subtracted.mean / truth - 1) * 100).toFixed(1)} %), ` +
        `window only ${unsub.mean.toFixed(5)} (${((unsub.mean / truth - 1) * 100).toFixed(1)} %), rel sigma ${(100 * relSigma).toFixed(1)} %, ` +
        `fakes ${((100 * fakeSC) / S).toFixed(1)} % of window SC; modelled background SC ${bg.backgroundSC.toFixed(0)} ± ${bg.backgroundSCErr.toFixed(0)} (window SC fakes ${fakeSC}; the estimate also holds the signal SC of the sidebands)`,
    );
    expect(bg.backgroundSC).toBeGreaterThan(0);
    expect(Math.abs(subtracted.mean / truth - 1)).toBeLessThan(3 * relSigma);
    expect(unsub.mean / truth - 1).toBeGreaterThan(3 * relSigma);
  }, 240_000);
});

describe('(C) guards', () => {
  // Signal toy pairs (pT 25 + Exp(20) GeV) and a negative-weight SC template at pT 300–400 GeV, where no
  // window event lies: the linear loss −|w|·softplus(f) there falls without bound as ε → 0.
  const sig = toyPairs({ n: 20_000, seed: 'guard-sig' });
  const tmpl = toyPairs({ n: 4_000, seed: 'guard-bkg', eps: () => 0.3, weight: () => -1 });
  for (let i = 0; i < tmpl.n; i++) {
    tmpl.columns.pt1![i] = 350 + (i % 50);
    tmpl.columns.pt2![i] = 300 + (i % 50);
    tmpl.columns.sc![i] = 1;
  }
  const mixed = concatTables([sig, tmpl]);
  const opts = { hidden: [32, 32], epochs: 15, batch: 2048, lr: 0.02, progress: false, seed: 1 } as const;

  it('the linear negative-weight loss goes below its minimum and is reported collapsed; the modelled background is not', async () => {
    const lin = await trainModel(mixed, { ...opts, negativeWeights: 'linear' });
    expect(lin.members[0]!.status).toBe('collapsed');
    expect(modelProblems(lin).join('\n')).toMatch(/below its attainable minimum 0/);
    const bkg = await trainModel(mixed, opts);
    expect(bkg.members[0]!.status).toBe('ok');
    expect(Math.min(...bkg.members[0]!.curves.train)).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it('`qmisid train` on a collapsing sample exits 1 with the reason and writes no model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-collapse-'));
    try {
      const file = join(dir, 'events.csv');
      // The toy background's charges are not drawn to match its sc labels: write sc alone (the reader then takes
      // it as given instead of cross-checking it against q1, q2).
      const { q1: _q1, q2: _q2, ...columns } = mixed.columns;
      await writeEvents(file, { n: mixed.n, columns }, { config: null, seed: 'guard', version: 'test' });
      const cfg = join(dir, 'cfg.json');
      (await import('node:fs')).writeFileSync(cfg, JSON.stringify({ negativeWeights: 'linear', hidden: [32, 32], lr: 0.02, batch: 2048 }));
      const out = join(dir, 'model');
      const errs: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write;
      const prev = process.exitCode;
      let code: number;
      try {
        code = await main([
          'node',
          'qmisid',
          'train',
          '--input',
          file,
          '--out',
          out,
          '--config',
          cfg,
          '--region',
          'all',
          '--epochs',
          '15',
          '--seed',
          '1',
          '--no-progress',
        ]);
      } finally {
        process.stderr.write = write;
        process.exitCode = prev;
      }
      expect(code, errs.join('')).toBe(1);
      expect(errs.join('')).toMatch(/training collapsed, no model written.*\n.*below its attainable minimum/);
      expect(existsSync(out)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('ε collapse: more than 5 % of the electrons below 1e-7 (or non-finite) is a problem, 5 % is not', () => {
    const phiOf = (eps: number) => Math.log(eps / (1 - eps));
    const make = (nLow: number) => Float32Array.from({ length: 100 }, (_, i) => (i < nLow ? phiOf(COLLAPSE_EPS / 10) : phiOf(1e-3)));
    expect(epsCollapse(make(5), () => true).problem).toBeUndefined();
    expect(epsCollapse(make(6), () => true).problem).toMatch(/6\.0 % of the electrons/);
    const nan = make(0);
    for (let i = 0; i < 10; i++) nan[i] = NaN;
    expect(epsCollapse(nan, () => true).fraction).toBeCloseTo(0.1, 12);
    expect(epsCollapse(make(50), (e) => e >= 50).problem).toBeUndefined();
  });

  it('ε collapse with the SC labels: low electrons without an SC event are the likelihood maximum, not a collapse', () => {
    // 100 events = 200 electrons (electron 1 of every event, then electron 2); events 0–9 have both electrons low.
    const phiOf = (eps: number) => Math.log(eps / (1 - eps));
    const phi = Float32Array.from({ length: 200 }, (_, e) => (e % 100 < 10 ? phiOf(COLLAPSE_EPS / 10) : phiOf(1e-3)));
    const sc = new Uint8Array(100);
    sc[50] = 1; // an SC event on ordinary electrons
    const free = epsCollapse(phi, () => true, sc);
    expect(free.fraction).toBeCloseTo(0.1, 12);
    expect(free.scOnLow).toBe(0);
    expect(free.problem).toBeUndefined();
    sc[3] = 1; // an SC event whose electrons both have ε < 1e-7: P(SC) < 2e-7 contradicts it
    const hit = epsCollapse(phi, () => true, sc);
    expect(hit.scOnLow).toBe(1);
    expect(hit.problem).toMatch(/10\.0 % of the electrons .* 1 same-charge event\(s\) with both electrons there: epsilon collapsed/);
    // Events not used (e.g. negative sideband weights) do not count.
    expect(epsCollapse(phi, (e) => e % 100 !== 3, sc).problem).toBeUndefined();
  });
});
