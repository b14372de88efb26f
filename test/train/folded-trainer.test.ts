/**
 * The folded φ-trainer (trainer option `fold`, src/train/foldOffsets.ts, docs/trainer.md "The folded
 * φ-trainer").
 *
 * (A) The folded pair logit f = softplus(φ1+φ2) − logaddexp(φ1+ρ1, φ2+ρ2): ρ = 0 is eq. 3 exactly;
 *     1 − σ(f) is the SC probability (h1 r1 + h2 r2)/(1 − p + h1 r1 + h2 r2) with h_ℓ the "exactly leg ℓ
 *     flipped" probability (eq. 1 split by leg), so σ(f) = P(OC) and the OC label stays 1; the analytic
 *     gradient equals tf autodiff and finite differences; with ρ1 = ρ2 the ε ↔ 1 − ε symmetry of eq. 3 holds.
 * (B) Zero flip loss (R = 1): every factor is exactly 1 (ρ ≡ 0), and the folded trainer on the whole selection
 *     returns the plain trainer's φ on the window, bit for bit.
 * (D) Branch: a folded training started on the mirror branch is reported so, and flipMirror brings it back.
 * (C) A toy with known migration: ε = 4 % everywhere, flipped electrons lose an exponential 8 % of their energy
 *     (+2.5 % smearing). The mean ε̂ over the window's electrons against the truth 0.04, in units of the
 *     folded binned fit's sandwich error on the same sample (SE ≈ 1.4 % relative; a φ with a flat answer has
 *     the same information): the folded φ within 4 SE, the plain φ low by more than 4 SE (measured: plain −5.9 SE,
 *     folded +2.2 SE). 4 SE two-sided: false alarm 6·10⁻⁵ per check.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { generateEvents } from '../../generators/zee/generateEvents.js';
import { Binning } from '../../src/binning/Binning.js';
import { filterTable, type EventTable } from '../../src/events/columns.js';
import { fitFoldedTable } from '../../src/fit/fitFolded.js';
import { REGION } from '../../src/selection/selection.js';
import { applyModel } from '../../src/train/apply.js';
import { selectBackend } from '../../src/train/backend.js';
import { foldOffsets, FoldOptionsSchema } from '../../src/train/foldOffsets.js';
import { foldedPairLogitValue, pairLogitValue, pairLossAndGrad, pairLoss, pairLossValue } from '../../src/train/pairLoss.js';
import { trainModel } from '../../src/train/trainModel.js';
import { resolveTrainConfig } from '../../src/train/config.js';
import { sigmoid } from '../../src/method/pairFunction.js';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEvents } from '../../src/io/eventsFile.js';
import { main } from '../../src/cli/main.js';

beforeAll(async () => {
  await selectBackend('auto');
});

describe('(A) folded pair logit', () => {
  const cases: [number, number, number, number, number][] = [];
  for (const a of [-9, -3.2, -0.4, 1.5])
    for (const b of [-6, -2, 0.7])
      for (const [r1, r2] of [
        [0, 0],
        [-0.1, 0.05],
        [-2, 0],
        [-30, -0.3],
      ])
        for (const y of [0, 1]) cases.push([a, b, r1!, r2!, y]);

  it('is eq. 3 at ρ = 0 and has 1 − σ(f) = the folded SC probability (OC label 1)', () => {
    for (const [a, b, r1, r2] of cases) {
      if (r1 === 0 && r2 === 0) expect(foldedPairLogitValue(a, b, 0, 0)).toBe(pairLogitValue(a, b));
      const e1 = sigmoid(a);
      const e2 = sigmoid(b);
      const sc = e1 * (1 - e2) * Math.exp(r1) + (1 - e1) * e2 * Math.exp(r2);
      const oc = (1 - e1) * (1 - e2) + e1 * e2;
      expect(1 - sigmoid(foldedPairLogitValue(a, b, r1, r2))).toBeCloseTo(sc / (sc + oc), 12);
      // ρ1 = ρ2: f(−φ1, −φ2) = f(φ1, φ2), the mirror symmetry of eq. 3 survives a common factor.
      expect(foldedPairLogitValue(-a, -b, r1, r1)).toBeCloseTo(foldedPairLogitValue(a, b, r1, r1), 10);
    }
  });

  it('analytic gradient = tf autodiff = finite differences', () => {
    const B = cases.length;
    const phi = tf.tensor2d([...cases.map((c) => c[0]), ...cases.map((c) => c[1])], [2 * B, 1]);
    const y = tf.tensor1d(cases.map((c) => c[4]));
    const w = tf.tensor1d(cases.map((_, i) => 0.5 + (i % 3)));
    const fold = { rho1: tf.tensor1d(cases.map((c) => c[2])), rho2: tf.tensor1d(cases.map((c) => c[3])) };
    const { loss, dPhi } = pairLossAndGrad(phi, y, w, 7, undefined, fold);
    const auto = tf.grad((p: tf.Tensor) => {
      const flat = tf.reshape(p, [2 * B]);
      return pairLoss(tf.slice(flat, [0], [B]) as tf.Tensor1D, tf.slice(flat, [B], [B]) as tf.Tensor1D, y, w, 7, undefined, fold);
    })(phi);
    const man = dPhi.dataSync();
    const aut = auto.dataSync();
    for (let i = 0; i < 2 * B; i++) expect(man[i]!).toBeCloseTo(aut[i]!, 5);
    // Value in float64 and finite differences of it, per pair.
    let sum = 0;
    cases.forEach(([a, b, r1, r2, yy], i) => {
      const wi = 0.5 + (i % 3);
      sum += (wi * pairLossValue(a, b, yy, r1, r2)) / 7;
      const h = 1e-6;
      const fd1 = (pairLossValue(a + h, b, yy, r1, r2) - pairLossValue(a - h, b, yy, r1, r2)) / (2 * h);
      const fd2 = (pairLossValue(a, b + h, yy, r1, r2) - pairLossValue(a, b - h, yy, r1, r2)) / (2 * h);
      expect(man[i]!).toBeCloseTo((wi * fd1) / 7, 4);
      expect(man[B + i]!).toBeCloseTo((wi * fd2) / 7, 4);
    });
    expect(loss.dataSync()[0]!).toBeCloseTo(sum, 3);
  });
});

async function sample(lossMean: number, events: number, seed: string): Promise<EventTable> {
  const r = await generateEvents({
    config: {
      eps: { model: 'binned', absEtaEdges: [0, 2.5], ptEdges: [0, 14000], values: [[0.04]] },
      detector: { flip: { lossMean, extraSmear: lossMean > 0 ? 0.025 : 0 } },
    },
    events,
    seed,
    workers: 1,
  });
  return r.table!;
}
const windowOf = (t: EventTable): EventTable => filterTable(t, (i) => t.columns.region![i] === REGION.window);
const TRAIN = { features: ['pt', 'abseta'], hidden: [16], batch: 4096, lr: 0.01, seed: 3, progress: false };

describe('(B) zero flip loss: folded == plain', () => {
  it('factors are exactly 1 and the trained φ is the plain one, bit for bit', async () => {
    const all = await sample(0, 60_000, 'folded-trainer/zero');
    const win = windowOf(all);
    const fold = FoldOptionsSchema.parse({ response: { lossMean: 0, extraSmear: 0 } });
    const off = foldOffsets(all, Binning.defaults(), fold, 'z');
    expect(off.rows.length).toBe(win.n);
    expect(off.rho1.every((v) => v === 0) && off.rho2.every((v) => v === 0)).toBe(true);
    const plain = await trainModel(win, { ...TRAIN, epochs: 2 });
    const folded = await trainModel(all, { ...TRAIN, epochs: 2, fold });
    const ep = applyModel(plain, win).eps1;
    const ef = applyModel(folded, win).eps1;
    expect(Array.from(ef)).toEqual(Array.from(ep));
    expect(folded.fold?.meanFactor).toBe(1);
  }, 120_000);
});

describe('(C) known migration: folded φ recovers ε, plain φ does not', () => {
  it('8 % flip loss, ε = 4 %: folded within 4 SE, plain below −4 SE', async () => {
    const all = await sample(0.08, 250_000, 'folded-trainer/loss8');
    const win = windowOf(all);
    const response = { lossMean: 0.08, extraSmear: 0.025 };
    const ff = fitFoldedTable(all, Binning.fromEdges([0, 2.5], [25, 14000]), { response, seed: 'se' });
    const se = ff.errSandwich[0]!;
    const mean = (m: Awaited<ReturnType<typeof trainModel>>): number => {
      const a = applyModel(m, win);
      let s = 0;
      for (let i = 0; i < win.n; i++) s += a.eps1[i]! + a.eps2[i]!;
      return s / (2 * win.n);
    };
    const plain = mean(await trainModel(win, { ...TRAIN, epochs: 6 }));
    const folded = mean(await trainModel(all, { ...TRAIN, epochs: 6, fold: { response } }));
    console.log(
      `known migration: truth 0.04, SE ${se.toExponential(2)}; plain ${plain.toFixed(5)} (${((plain - 0.04) / se).toFixed(1)} SE), ` +
        `folded ${folded.toFixed(5)} (${((folded - 0.04) / se).toFixed(1)} SE); folded binned fit ${ff.eps[0]!.toFixed(5)}`,
    );
    expect(Math.abs(folded - 0.04)).toBeLessThan(4 * se);
    expect(plain - 0.04).toBeLessThan(-4 * se);
  }, 240_000);
});

describe('(D) branch', () => {
  it('a folded training started on the mirror branch is reported mirror; flipMirror negates it to the physical one', async () => {
    const all = await sample(0.08, 30_000, 'folded-trainer/branch');
    const fold = { response: { lossMean: 0.08, extraSmear: 0.025 } };
    const physical = await trainModel(all, { ...TRAIN, epochs: 1, fold });
    const mirror = await trainModel(all, { ...TRAIN, epochs: 1, fold, initBranch: 'mirror' });
    const flipped = await trainModel(all, { ...TRAIN, epochs: 1, fold, initBranch: 'mirror', flipMirror: true });
    expect(physical.members[0]!.branch.branch).toBe('physical');
    expect(mirror.members[0]!.branch.branch).toBe('mirror');
    expect(flipped.members[0]!.branch.flipped).toBe(true);
    const e = applyModel(flipped, windowOf(all)).eps1;
    const median = Float64Array.from(e).sort()[e.length >> 1]!;
    expect(median).toBeLessThan(0.5);
  }, 120_000);
});

describe('qmisid train with fold', () => {
  it('needs the whole selection: --region window is a usage error (exit 2, nothing written)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-fold-'));
    try {
      const t = await sample(0.08, 5000, 'folded-trainer/cli');
      const file = join(dir, 'events.csv');
      await writeEvents(file, t, { config: null, seed: 'cli', version: 'test' });
      const cfg = join(dir, 'cfg.json');
      writeFileSync(cfg, JSON.stringify({ fold: { response: { lossMean: 0.08, extraSmear: 0.025 } }, hidden: [4], epochs: 1 }));
      const out = join(dir, 'model');
      const errs: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write;
      let code: number;
      try {
        code = await main(['node', 'qmisid', 'train', '--input', file, '--out', out, '--config', cfg, '--no-progress']);
      } finally {
        process.stderr.write = write;
      }
      expect(code).toBe(2);
      expect(errs.join('')).toMatch(/--region.*window.*'all' with a folded trainer/s);
      expect(existsSync(out)).toBe(false);
      // --region all trains, and the model records the fold bookkeeping.
      process.stderr.write = (() => true) as typeof process.stderr.write;
      try {
        code = await main(['node', 'qmisid', 'train', '--input', file, '--out', out, '--config', cfg, '--region', 'all', '--no-progress']);
      } finally {
        process.stderr.write = write;
      }
      expect(code).toBe(0);
      const saved = JSON.parse((await import('node:fs')).readFileSync(join(out, 'model.json'), 'utf8'));
      expect(saved.fold.meanFactor).toBeGreaterThan(0.5);
      expect(saved.fold.meanFactor).toBeLessThan(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('config', () => {
  it('fold is one schema: defaults from the selection, unknown keys and bad responses rejected by path', () => {
    const cfg = resolveTrainConfig({ fold: { response: { profile: 'realistic' } } });
    expect(cfg.fold?.window).toEqual([80, 100]);
    expect(cfg.fold?.replicas).toBe(16);
    expect(() => resolveTrainConfig({ fold: { response: { lossMean: 1.5, extraSmear: 0 } } } as never)).toThrow(/fold\.response\.lossMean/);
    expect(() => resolveTrainConfig({ fold: { response: { profile: 'realistic' }, windw: [80, 100] } } as never)).toThrow(/fold/);
  });
});
