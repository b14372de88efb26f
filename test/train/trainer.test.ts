/**
 * Closure of the trainer on the toy pair sample (src/train/toyPairs.ts): ε depends on pT and |η| only and
 * is large (0.7–5 %, not the ~0.1 % of a real detector) so 80k events hold ~3k same-charge pairs and the
 * test runs in seconds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { applyModel } from '../../src/train/apply.js';
import { selectBackend } from '../../src/train/backend.js';
import { trainModel } from '../../src/train/trainModel.js';
import { toyPairs } from '../../src/train/toyPairs.js';
import { concatTables, filterTable } from '../../src/events/columns.js';
import { binnedClosure, logitResidual, ensemblePulls } from './closure.js';

const FAST = { epochs: 15, batch: 4096, lr: 3e-3, progress: false } as const;

beforeAll(async () => {
  await selectBackend('auto');
});

describe('φ trainer closure on toy pairs', () => {
  const table = toyPairs({ n: 80_000, seed: 'closure' });

  it('recovers ε(pT, |η|) within 3σ of the truth-counting rate in every bulk bin', async () => {
    // A bootstrap ensemble gives the model's own statistical error per bin (σ_ens: sd over members of the
    // bin-mean ε); the reference is the truth-matched rate k/N with its binomial error σ_count. Both come from
    // the same events, so sqrt(σ_ens² + σ_count²) overstates the error of their difference: conservative.
    const K = 4;
    const model = await trainModel(table, { ...FAST, epochs: 10, seed: 1, ensemble: K, bootstrap: true });
    const { memberEps } = await import('../../src/train/apply.js');
    const m1 = memberEps(model, table, 1);
    const m2 = memberEps(model, table, 2);
    const perMember = m1.map((e1, k) => binnedClosure(table, e1, m2[k]!));
    const { eps1, eps2 } = applyModel(model, table);
    const bins = binnedClosure(table, eps1, eps2);
    // Bulk: bins with at least 80 truth flips (11 of the 12 pT × |η| bins here); 3σ because 11 bins are
    // tested at once (two-sided p ≈ 0.03 for any one of them failing by chance).
    const bulk = bins.filter((b) => b.flips >= 80);
    expect(bulk.length).toBeGreaterThanOrEqual(10);
    for (const { bin: b, sdEns, pull } of ensemblePulls(bulk, perMember)) {
      expect(Math.abs(pull), `${b.bin}: model ${b.model} ± ${sdEns}, rate ${b.rate} ± ${b.sigma}`).toBeLessThan(3);
    }
    const res = logitResidual(table, eps1, eps2);
    console.log(`closure: φ − κ mean ${res.mean.toFixed(4)}, rms ${res.rms.toFixed(4)} (sd of κ ${res.kappaSd.toFixed(3)})`);
    // φ must follow κ across electrons: a constant-ε fit would leave rms = sd(κ).
    expect(res.rms).toBeLessThan(0.3 * res.kappaSd);
    for (const m of model.members) {
      expect(m.branch.branch).toBe('physical');
      expect(m.branch.fracEpsAboveHalf).toBe(0);
    }
    expect(model.backend).toBe(tf.getBackend());
    const c = model.members[0]!.curves;
    expect(c.train.length).toBe(model.members[0]!.epochsRun);
    expect(c.val.every(Number.isFinite)).toBe(true);
  });

  it('with the label convention swapped (OC labelled 0) the same training does not recover ε', async () => {
    // Inverting sc is exactly training with y = 1 for SC: the convention of the note's text, which the trap warns about.
    const swapped = { n: table.n, columns: { ...table.columns, sc: table.columns.sc!.map((s) => 1 - s) } };
    const model = await trainModel(swapped, { ...FAST, epochs: 8, seed: 1 });
    const { eps1, eps2 } = applyModel(model, table);
    const bins = binnedClosure(table, eps1, eps2).filter((b) => b.flips >= 80);
    const res = logitResidual(table, eps1, eps2);
    console.log(
      `swapped labels: φ − κ mean ${res.mean.toFixed(3)}, rms ${res.rms.toFixed(3)}; max |pull| ${Math.max(...bins.map((b) => Math.abs(b.pull))).toFixed(1)}`,
    );
    expect(Math.max(...bins.map((b) => Math.abs(b.pull)))).toBeGreaterThan(10);
    expect(res.rms).toBeGreaterThan(1);
  });

  it('honours negative weights: a background sample subtracted by a weight −1 copy leaves ε unbiased', async () => {
    // Signal: the toy. Background: pairs with ε = 30 % per electron (SC fraction 42 %), once with w = +1 and
    // once, independently drawn, with w = −1 (a sideband template). Expected net background: zero.
    const sig = toyPairs({ n: 60_000, seed: 'neg-sig' });
    const bkgPlus = toyPairs({ n: 8_000, seed: 'neg-b1', eps: () => 0.3 });
    const bkgMinus = toyPairs({ n: 8_000, seed: 'neg-b2', eps: () => 0.3, weight: () => -1 });
    const mixed = concatTables([sig, bkgPlus, bkgMinus]);
    // The negative-weight events estimate the background per pair category (docs/trainer.md). Here signal and
    // background share their kinematics, so the background fraction is the same in every category and one
    // category is exact; with the default 28-bin categories (~170 events each, background 57 % of the SC
    // events) the plug-in noise of the per-category background estimate biases ε up by ~10 % (2.5σ).
    const meanEps = async (t: typeof mixed) => {
      const m = await trainModel(t, { ...FAST, seed: 2, bins: { eta: [0, 2.5], pt: [25, 1e6] } });
      const { eps1, eps2 } = applyModel(m, sig);
      let s = 0;
      for (let i = 0; i < sig.n; i++) s += eps1[i]! + eps2[i]!;
      return s / (2 * sig.n);
    };
    let truth = 0;
    for (let i = 0; i < sig.n; i++) truth += sig.columns.truth_eps1![i]! + sig.columns.truth_eps2![i]!;
    truth /= 2 * sig.n;
    // σ of the mean ε: relative Poisson error of the weighted SC yield, sqrt(Σw²·sc)/Σw·sc, over the mixed sample.
    let sw = 0;
    let sw2 = 0;
    for (let i = 0; i < mixed.n; i++) {
      if (mixed.columns.sc![i]) {
        sw += mixed.columns.w![i]!;
        sw2 += mixed.columns.w![i]! ** 2;
      }
    }
    const relSigma = Math.sqrt(sw2) / sw;
    const subtracted = await meanEps(mixed);
    const ignored = await meanEps(filterTable(mixed, (i) => mixed.columns.w![i]! > 0));
    console.log(
      `negative weights: truth ${truth.toFixed(5)}, subtracted ${subtracted.toFixed(5)}, negatives dropped ${ignored.toFixed(5)}, rel σ ${relSigma.toFixed(3)}`,
    );
    expect(Math.abs(subtracted / truth - 1)).toBeLessThan(3 * relSigma);
    expect(ignored / truth - 1).toBeGreaterThan(3 * relSigma);
  });
});

describe('determinism and resources', () => {
  const small = toyPairs({ n: 12_000, seed: 'det' });
  const opts = { epochs: 2, batch: 1024, progress: false, hidden: [32, 32] } as const;

  it('same seed ⇒ the same weights bit for bit; another seed ⇒ different weights', async () => {
    const a = await trainModel(small, { ...opts, seed: 5 });
    const b = await trainModel(small, { ...opts, seed: 5 });
    const c = await trainModel(small, { ...opts, seed: 6 });
    const bytes = (m: typeof a) =>
      Buffer.concat(
        m.members[0]!.params.weights.concat(m.members[0]!.params.biases).map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength)),
      );
    expect(bytes(a).equals(bytes(b))).toBe(true);
    expect(bytes(a).equals(bytes(c))).toBe(false);
    expect(a.members[0]!.curves).toEqual(b.members[0]!.curves);
  });

  it('one thread and two threads (worker) compute the same training up to float32 summation order', async () => {
    const one = await trainModel(small, { ...opts, seed: 5, threads: 1 });
    const two = await trainModel(small, { ...opts, seed: 5, threads: 2 });
    expect(two.config.threads).toBe(2);
    const c1 = one.members[0]!.curves;
    const c2 = two.members[0]!.curves;
    // Same batches, same updates; only the order of two float32 partial sums differs (~1e-7 relative per
    // step, amplified mildly by Adam over ~20 steps).
    for (let e = 0; e < c1.val.length; e++) expect(Math.abs(c1.val[e]! - c2.val[e]!)).toBeLessThan(1e-4 * c1.val[e]!);
  });

  it('a thread budget below the part count changes nothing: 2 parts on 1 thread = 2 parts on 2 threads, bit for bit', async () => {
    // Studies share the cores among toys (study/threadBudget.ts): a toy may get 1 thread while its trainer
    // still cuts every batch into 2 parts. Records must not depend on it.
    const budget1 = await trainModel(small, { ...opts, seed: 5, threads: 2 }, { maxThreads: 1 });
    const budget2 = await trainModel(small, { ...opts, seed: 5, threads: 2 }, { maxThreads: 2 });
    const one = await trainModel(small, { ...opts, seed: 5, threads: 1 });
    const bytes = (m: typeof budget1) =>
      Buffer.concat(
        m.members[0]!.params.weights.concat(m.members[0]!.params.biases).map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength)),
      );
    expect(bytes(budget1).equals(bytes(budget2))).toBe(true);
    expect(budget1.members[0]!.curves).toEqual(budget2.members[0]!.curves);
    // Power: a different part count does change the bits (float32 summation order), so the equality above
    // is not trivially true.
    expect(bytes(budget1).equals(bytes(one))).toBe(false);
  });

  it('tf.memory().numTensors does not grow across trainings', async () => {
    await trainModel(small, { ...opts, epochs: 1, seed: 1 });
    const before = tf.memory().numTensors;
    await trainModel(small, { ...opts, epochs: 3, seed: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('early stopping restores the best epoch and records it', async () => {
    // lr far too large: the validation loss stops improving quickly.
    const m = await trainModel(small, { ...opts, epochs: 30, lr: 0.05, patience: 2, seed: 3 });
    const mem = m.members[0]!;
    expect(mem.stoppedEarly).toBe(true);
    expect(mem.epochsRun).toBe(mem.bestEpoch + 3);
    const bestVal = Math.min(...mem.curves.val);
    expect(mem.curves.val[mem.bestEpoch]).toBe(bestVal);
  });
});

describe('bootstrap members and the kept weights', () => {
  const t = toyPairs({ n: 20_000, seed: 'oob' });
  const opts = { epochs: 3, batch: 2048, lr: 3e-3, hidden: [16], progress: false, seed: 5 } as const;

  it('a bootstrap member trains on the events drawn ≥ 1 times and validates on the out-of-bag rest (≈ e^−1)', async () => {
    const m = await trainModel(t, { ...opts, ensemble: 2, bootstrap: true });
    const p0 = Math.exp(-1);
    for (const mem of m.members) {
      // Every event is either in the bag or out of it: no separate held-out split.
      expect(mem.trainEvents + mem.valEvents).toBe(t.n);
      // Out-of-bag fraction within 4 binomial standard errors of e^−1.
      expect(Math.abs(mem.valEvents / t.n - p0)).toBeLessThan(4 * Math.sqrt((p0 * (1 - p0)) / t.n));
    }
    // Members draw their multiplicities independently.
    expect(m.members[0]!.valEvents).not.toBe(m.members[1]!.valEvents);
  });

  it('restoreBest: false keeps the last epoch (the ε differs from the restored best when best is not last)', async () => {
    // lr far too large so the validation loss does not improve at the last epoch.
    const cfg = { ...opts, epochs: 8, lr: 0.05, patience: 8, seed: 3 } as const;
    const best = await trainModel(t, cfg);
    const last = await trainModel(t, { ...cfg, restoreBest: false });
    const mb = best.members[0]!;
    // Same seed: the same training; only the kept weights differ.
    expect(last.members[0]!.curves.val).toEqual(mb.curves.val);
    expect(mb.bestEpoch).toBeLessThan(mb.epochsRun - 1);
    const probe = toyPairs({ n: 200, seed: 'oob-probe' });
    const eb = applyModel(best, probe).eps1;
    const el = applyModel(last, probe).eps1;
    expect(Array.from(eb)).not.toEqual(Array.from(el));
  });
});

describe('branch', () => {
  const t = toyPairs({ n: 20_000, seed: 'branch' });
  const opts = { epochs: 4, batch: 2048, lr: 3e-3, hidden: [32, 32], progress: false, seed: 8 } as const;

  it('a solution started on the mirror side is reported as mirror; --flip-mirror negates it onto the physical branch', async () => {
    const physical = await trainModel(t, opts);
    const mirror = await trainModel(t, { ...opts, initBranch: 'mirror' });
    const flipped = await trainModel(t, { ...opts, initBranch: 'mirror', flipMirror: true });
    expect(physical.members[0]!.branch).toMatchObject({ branch: 'physical', flipped: false });
    expect(mirror.members[0]!.branch.branch).toBe('mirror');
    expect(mirror.members[0]!.branch.fracEpsAboveHalf).toBeGreaterThan(0.5);
    expect(flipped.members[0]!.branch).toMatchObject({ branch: 'mirror', flipped: true });
    expect(flipped.members[0]!.branch.medianPhi).toBeLessThan(0);
    // Mirror and flipped are the same training, so flipped ε = 1 − mirror ε exactly (up to float32 sigmoid).
    const em = applyModel(mirror, t).eps1;
    const ef = applyModel(flipped, t).eps1;
    for (let i = 0; i < 200; i++) expect(ef[i]!).toBeCloseTo(1 - em[i]!, 6);
    // And the flipped solution describes the data: its mean ε matches the truth mean within 3σ, σ the relative
    // Poisson error 1/sqrt(N_SC) of the same-charge count that sets the overall ε scale.
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    const nSc = Array.from(t.columns.sc!).reduce((s, v) => s + v, 0);
    const truth = mean(t.columns.truth_eps1!);
    console.log(
      `branch: truth ${truth}, physical ${mean(applyModel(physical, t).eps1)}, flipped ${mean(ef)}, 1/sqrt(N_SC) ${1 / Math.sqrt(nSc)}`,
    );
    expect(Math.abs(mean(ef) / truth - 1)).toBeLessThan(3 / Math.sqrt(nSc));
    expect(Math.abs(mean(applyModel(physical, t).eps1) / truth - 1)).toBeLessThan(3 / Math.sqrt(nSc));
  });
});
