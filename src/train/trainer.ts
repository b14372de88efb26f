/**
 * Training one network: split → (bootstrap) → OC subsampling → Adam over shuffled batches with a learning-rate
 * schedule → validation loss per epoch → early stopping with the best weights restored → branch check.
 *
 * Loss normalisation. The batch loss is Σ_batch w·ℓ / (W · b / n), where W = Σw over the whole training split
 * and n its size: an unbiased estimate of the full-split loss Σwℓ/W. Normalising by the batch's own Σw would
 * be undefined (or flip sign) when negative sideband weights cancel inside a batch. W must be positive.
 *
 * Determinism: every random choice (split, bootstrap, subsampling, initial weights, shuffles) comes from
 * seeds derived from the member seed, and the parameter update runs in JavaScript; on one backend the same
 * seed gives the same weights bit for bit.
 */
import { DataError, NumericalError } from '../errors.js';
import { createRng, deriveSeed } from '../rng.js';
import { adamStep, createAdam } from './adam.js';
import { assessBranch } from './branch.js';
import type { TrainConfig } from './config.js';
import type { Batch, Head } from './gradEngine.js';
import type { BatchEngine } from './parallelEngine.js';
import { cloneParams, flatParams, initParams, negateOutput, type MlpArch, type MlpParams } from './mlp.js';
import type { Member } from './model.js';
import { bceValue, pairLossBkgValue, pairLossValue } from './pairLoss.js';
import { epsCollapse, lossBelowMinimum } from './collapseGuard.js';
import { sidebandBackground } from './sidebandBackground.js';
import { predictPhi } from './predict.js';
import type { Progress } from './progress.js';
import { learningRate } from './schedule.js';
import { ocKeepKey, ocSubsample } from './subsample.js';
import type { TrainingSet } from './trainingSet.js';
import { mapTyped } from '../util/mapTyped.js';

export interface MemberPlan {
  index: number;
  seed: string;
  bootstrap: boolean;
}

/** Fisher–Yates; `b`, when given, gets the same swaps as `a`. */
function shuffle(a: Uint32Array, uniform: () => number, b?: Float64Array): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
    if (b) {
      const u = b[i]!;
      b[i] = b[j]!;
      b[j] = u;
    }
  }
}

/**
 * Rows e1 of every listed event, then rows e2, as one [2·len, d] block. Copied value by value: a
 * `set(subarray(…))` per row allocates two views per event and cost ~25 % of a small network's step
 * (closure's [32, 32] at batch 4096, measured with --cpu-prof; docs/trainer.md "Time to accuracy").
 */
function gatherRows(set: TrainingSet, idx: ArrayLike<number>, start: number, len: number): Float32Array {
  const d = set.d;
  const x = new Float32Array(2 * len * d);
  const x1 = set.x1;
  const x2 = set.x2;
  const off2 = len * d;
  for (let j = 0; j < len; j++) {
    const src = idx[start + j]! * d;
    const dst = j * d;
    for (let c = 0; c < d; c++) {
      x[dst + c] = x1[src + c]!;
      x[off2 + dst + c] = x2[src + c]!;
    }
  }
  return x;
}

/** a[order[start + j]] for j < len, as float32 (labels and per-pair factors of a batch part). */
function gather32(a: ArrayLike<number>, order: Uint32Array, start: number, len: number): Float32Array {
  const out = new Float32Array(len);
  for (let j = 0; j < len; j++) out[j] = a[order[start + j]!]!;
  return out;
}

/** Σwℓ/Σw over the listed events, in double precision from float32 φ. */
export function weightedLoss(
  set: TrainingSet,
  arch: MlpArch,
  params: MlpParams,
  head: Head,
  idx: Uint32Array,
  w: Float64Array,
  bkg?: { oc: Float32Array; sc: Float32Array },
): number {
  const len = idx.length;
  if (len === 0) return NaN;
  const phi = predictPhi(arch, params, gatherRows(set, idx, 0, len), 2 * len);
  let sum = 0;
  let sw = 0;
  for (let j = 0; j < len; j++) {
    const i = idx[j]!;
    const a = phi[j]!;
    const b = phi[len + j]!;
    if (head === 'pair') {
      const fo = set.fold;
      sum +=
        w[j]! *
        (bkg
          ? pairLossBkgValue(a, b, set.y1[i]!, bkg.oc[i]!, bkg.sc[i]!)
          : fo
            ? pairLossValue(a, b, set.y1[i]!, fo.rho1[i]!, fo.rho2[i]!)
            : pairLossValue(a, b, set.y1[i]!));
      sw += w[j]!;
    } else {
      sum += w[j]! * (bceValue(a, set.y1[i]!) + bceValue(b, set.y2[i]!));
      sw += 2 * w[j]!;
    }
  }
  return sum / sw;
}

/** One batch cut into `threads` contiguous parts, each with the batch-wide normaliser. */
export function batchParts(
  set: TrainingSet,
  head: Head,
  order: Uint32Array,
  wOrder: Float64Array,
  s: number,
  b: number,
  norm: number,
  threads: number,
  bkg?: { oc: Float32Array; sc: Float32Array },
): Batch[] {
  const parts: Batch[] = [];
  const per = Math.ceil(b / threads);
  for (let off = 0; off < b; off += per) {
    const len = Math.min(per, b - off);
    const x = gatherRows(set, order, s + off, len);
    let y: Float32Array;
    let w: Float32Array;
    if (head === 'pair') {
      y = gather32(set.y1, order, s + off, len);
      w = new Float32Array(len);
      for (let j = 0; j < len; j++) w[j] = wOrder[s + off + j]!;
    } else {
      y = new Float32Array(2 * len);
      w = new Float32Array(2 * len);
      for (let j = 0; j < len; j++) {
        const i = order[s + off + j]!;
        y[j] = set.y1[i]!;
        y[len + j] = set.y2[i]!;
        w[j] = w[len + j] = wOrder[s + off + j]!;
      }
    }
    const part: Batch = { x, rows: 2 * len, y, w, norm };
    if (set.fold && head === 'pair') {
      const fo = set.fold;
      part.fold = { rho1: gather32(fo.rho1, order, s + off, len), rho2: gather32(fo.rho2, order, s + off, len) };
    }
    if (bkg && head === 'pair') {
      part.bkg = { oc: gather32(bkg.oc, order, s + off, len), sc: gather32(bkg.sc, order, s + off, len) };
    }
    parts.push(part);
  }
  return parts;
}

/**
 * Steps 0–2b of a member: its events, split (or bootstrap) and background model. Synchronous on purpose: the
 * intermediate index arrays die with this frame instead of staying in the registers of trainMember's async
 * frame for the whole training (memory, docs/event-input.md).
 */
function memberEvents(
  set: TrainingSet,
  cfg: TrainConfig,
  head: Head,
  plan: MemberPlan,
): {
  trainIdx: Uint32Array;
  trainW: Float64Array;
  valIdx: Uint32Array;
  valW: Float64Array;
  bkgRates: ReturnType<typeof sidebandBackground> | undefined;
} {
  const seedOf = (...p: (string | number)[]) => deriveSeed(plan.seed, ...p);
  // 0. The member's events: every SC event and the OC events its subsample keeps, weighted 1/r (pair head
  //    only: the oracle has no OC/SC imbalance). Decided per row by subsample.ts before anything else reads
  //    the events, so training, validation and the background model all see the member's subsample, and an
  //    event no member keeps can be dropped while reading with the same result (train --oc-keep).
  const mine = ocSubsample(set.n, set.sc, set.w, head === 'pair' ? cfg.ocKeep : 1, ocKeepKey(plan.seed), set.row);
  const nMine = mine.index.length;
  // 1–2. Held-out split and bootstrap, by event (both electrons of an event stay together), over the member's events.
  //   Without bootstrap: a random valFrac of the events is held out.
  //   With bootstrap: every event gets a Poisson(1) multiplicity m (on top of its weight); the member trains
  //   on the events with m ≥ 1, weighted by m, and validates on the out-of-bag events (m = 0, e^−1 ≈ 37 %),
  //   so every member is a bootstrap replicate of the whole sample and the spread of the members estimates
  //   the sampling variance of a fit to all events. (A fixed held-out split before the bootstrap would train
  //   each member on 1 − valFrac of the data and add the split's own variation to the spread.) With
  //   valFrac = 0 the out-of-bag events are simply left out and nothing is validated.
  let valPos: Uint32Array; // positions in `mine`
  let trainIdx: Uint32Array;
  let trainW: Float64Array;
  if (plan.bootstrap) {
    const rng = createRng(seedOf('bootstrap'));
    const tr: number[] = [];
    const trW: number[] = [];
    const oob: number[] = [];
    for (let j = 0; j < nMine; j++) {
      const m = rng.poisson(1);
      if (m > 0) {
        tr.push(mine.index[j]!);
        trW.push(mine.w[j]! * m);
      } else oob.push(j);
    }
    valPos = cfg.valFrac > 0 ? Uint32Array.from(oob) : new Uint32Array(0);
    trainIdx = Uint32Array.from(tr);
    trainW = Float64Array.from(trW);
  } else if (Math.round(cfg.valFrac * nMine) === 0) {
    // Nothing held out: the member trains on its events in row order (what the sorted positions of a shuffle
    // with nothing held out would give), on the subsample's own arrays, without copying them.
    valPos = new Uint32Array(0);
    trainIdx = mine.index;
    trainW = mine.w;
  } else {
    const all = new Uint32Array(nMine);
    for (let j = 0; j < nMine; j++) all[j] = j;
    shuffle(all, createRng(seedOf('split')).uniform);
    const nHeld = Math.round(cfg.valFrac * nMine);
    valPos = all.slice(0, nHeld).sort();
    const trPos = all.slice(nHeld).sort();
    trainIdx = mapTyped(Uint32Array, trPos, (j) => mine.index[j]!);
    trainW = mapTyped(Float64Array, trPos, (j) => mine.w[j]!);
  }
  // 2b. Sideband subtraction (negative weights) with the modelled background (sidebandBackground.ts): the
  //     negative-weight events of this member's sample fix each category's background probabilities and leave
  //     the loss; only window events (w ≥ 0) are trained and validated on, so the loss stays ≥ 0.
  let bkgRates: ReturnType<typeof sidebandBackground> | undefined;
  if (head === 'pair' && set.hasNegative && cfg.negativeWeights === 'background') {
    bkgRates = sidebandBackground(set, trainIdx, trainW);
    trainIdx = bkgRates.index;
    trainW = bkgRates.w;
    valPos = valPos.filter((j) => mine.w[j]! >= 0);
  }
  const valIdx = mapTyped(Uint32Array, valPos, (j) => mine.index[j]!);
  const valW = mapTyped(Float64Array, valPos, (j) => mine.w[j]!);
  return { trainIdx, trainW, valIdx, valW, bkgRates };
}

export async function trainMember(
  set: TrainingSet,
  arch: MlpArch,
  cfg: TrainConfig,
  head: Head,
  plan: MemberPlan,
  progress: Progress,
  engine: BatchEngine,
): Promise<Member> {
  const t0 = performance.now();
  const seedOf = (...p: (string | number)[]) => deriveSeed(plan.seed, ...p);

  // 1–2. Held-out split and bootstrap, by event (both electrons of an event stay together).
  //   Without bootstrap: a random valFrac of the events is held out.
  //   With bootstrap: every event gets a Poisson(1) multiplicity m (on top of its weight); the member trains
  //   on the events with m ≥ 1, weighted by m, and validates on the out-of-bag events (m = 0, e^−1 ≈ 37 %),
  //   so every member is a bootstrap replicate of the whole sample and the spread of the members estimates
  //   the sampling variance of a fit to all events. (A fixed held-out split before the bootstrap would train
  //   each member on 1 − valFrac of the data and add the split's own variation to the spread.) With
  //   valFrac = 0 the out-of-bag events are simply left out and nothing is validated.
  const { trainIdx, trainW, valIdx, valW, bkgRates } = memberEvents(set, cfg, head, plan);
  const bkg = bkgRates ? { oc: bkgRates.oc, sc: bkgRates.sc } : undefined;
  const nVal = valIdx.length;
  const nTrain = trainIdx.length;
  let W = 0;
  let Wsc = 0;
  for (let k = 0; k < nTrain; k++) {
    W += trainW[k]!;
    if (set.sc[trainIdx[k]!]) Wsc += trainW[k]!;
  }
  if (!(W > 0)) throw new DataError('<training split>', 'w', 'sum of event weights must be positive', W);
  const Wval = valW.reduce((s, v) => s + v, 0);
  if (nVal > 0 && !(Wval > 0))
    throw new DataError('<validation split>', 'w', 'sum of event weights must be positive (raise --val-frac)', Wval);

  // 4. Start on the physical branch: output bias = logit(ε0) with ε0 = ½ · (weighted SC fraction), since
  //    P(SC) ≈ 2ε for small ε (eq. 1). The oracle starts from the mean flip rate instead.
  let eps0: number;
  // With the modelled background: half the subtracted SC fraction Σ(S − B)/Σ(N − A − B).
  if (head === 'pair' && set.fold) {
    // Folded: SC odds ≈ ε(r1 + r2) for small ε, so ε0 = Σw·sc / Σw(r1 + r2) over the training events.
    let den = 0;
    for (let k = 0; k < nTrain; k++) {
      const i = trainIdx[k]!;
      den += trainW[k]! * (Math.exp(set.fold.rho1[i]!) + Math.exp(set.fold.rho2[i]!));
    }
    eps0 = den > 0 ? Wsc / den : Wsc / W / 2;
  } else if (head === 'pair') eps0 = bkgRates && bkgRates.signalW > 0 ? bkgRates.signalSC / bkgRates.signalW / 2 : Wsc / W / 2;
  else {
    let f = 0;
    for (let k = 0; k < nTrain; k++) f += trainW[k]! * (set.y1[trainIdx[k]!]! + set.y2[trainIdx[k]!]!);
    eps0 = f / (2 * W);
  }
  eps0 = Math.min(Math.max(eps0, 1e-6), 0.45);
  const bias0 = Math.log(eps0 / (1 - eps0));
  let params = initParams(arch, seedOf('init'), cfg.initBranch === 'mirror' ? -bias0 : bias0);

  const adam = createAdam(flatParams(params).map((a) => a.length));
  const shuffleRng = createRng(seedOf('shuffle'));
  const order = new Uint32Array(nTrain);
  const wOrder = new Float64Array(nTrain);
  const stepsPerEpoch = Math.ceil(nTrain / cfg.batch);
  const curves = { train: [] as number[], val: [] as number[], lr: [] as number[] };
  let best = { loss: Infinity, epoch: -1, params: cloneParams(params) };
  let sinceBest = 0;
  let steps = 0;
  let stoppedEarly = false;
  const problems: string[] = [];
  const plannedSteps = cfg.epochs * stepsPerEpoch;
  const schedule = { kind: cfg.schedule, floor: cfg.lrFloor, every: cfg.stepEvery, gamma: cfg.stepGamma };
  progress.start(plannedSteps, `member ${plan.index}`);
  try {
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      // The epoch's first step's rate, recorded in the curves; the cosine moves on with every step.
      const lrAt = (step: number) => learningRate(schedule, cfg.lr, epoch, cfg.epochs, step, plannedSteps);
      const lr = lrAt(steps);
      // The epoch's order: the swaps of a shuffle of the identity, applied to (event, weight) together.
      order.set(trainIdx);
      wOrder.set(trainW);
      shuffle(order, shuffleRng.uniform, wOrder);
      let epochLoss = 0;
      for (let s = 0; s < nTrain; s += cfg.batch) {
        const b = Math.min(cfg.batch, nTrain - s);
        const norm = ((head === 'pair' ? 1 : 2) * W * b) / nTrain;
        const { loss, grads } = await engine.lossAndGrads(params, batchParts(set, head, order, wOrder, s, b, norm, engine.threads, bkg));
        if (!Number.isFinite(loss)) throw new NumericalError('train', `member ${plan.index} epoch ${epoch} step ${steps}: loss is ${loss}`);
        adamStep(adam, flatParams(params), flatParams(grads), lrAt(steps));
        epochLoss += (loss * b) / nTrain;
        steps++;
        progress.update(steps, { loss });
      }
      const valLoss = nVal > 0 ? weightedLoss(set, arch, params, head, valIdx, valW, bkg) : NaN;
      curves.train.push(epochLoss);
      curves.val.push(valLoss);
      curves.lr.push(lr);
      progress.update(steps, { loss: epochLoss, ...(nVal > 0 ? { val: valLoss } : {}) });
      // Guard: a loss below its attainable minimum is no model (collapseGuard.ts); stop and say so.
      const below = [
        lossBelowMinimum(epochLoss, `training loss at epoch ${epoch}`),
        lossBelowMinimum(valLoss, `validation loss at epoch ${epoch}`),
      ].filter((x): x is string => x != null);
      if (below.length > 0) {
        problems.push(...below);
        break;
      }
      // Early stopping monitors the validation loss; without a split it falls back to the training loss.
      const monitor = nVal > 0 ? valLoss : epochLoss;
      if (monitor < best.loss - cfg.minDelta) {
        best = { loss: monitor, epoch, params: cloneParams(params) };
        sinceBest = 0;
      } else if (++sinceBest >= cfg.patience) {
        stoppedEarly = epoch < cfg.epochs - 1;
        break;
      }
    }
  } finally {
    progress.stop();
  }
  if (cfg.restoreBest) params = best.params;

  // 5. Branch: φ over every electron of the table; optionally negate a mirror solution (exact symmetry).
  const phi = allElectronPhi(set, arch, params);
  // Guard: ε collapsing to ~0 for many electrons (of the events the loss describes: w ≥ 0) where SC events
  // contradict it (pair head; collapseGuard.ts).
  const collapse = epsCollapse(phi, (e) => set.w[e < set.n ? e : e - set.n]! >= 0, head === 'pair' ? set.sc : undefined);
  if (collapse.problem) problems.push(collapse.problem);
  let branch = assessBranch(phi);
  if (head === 'pair' && branch.branch === 'mirror' && cfg.flipMirror) {
    params = negateOutput(params);
    for (let i = 0; i < phi.length; i++) phi[i] = -phi[i]!;
    branch = { ...assessBranch(phi, true), branch: 'mirror' };
  }
  return {
    index: plan.index,
    seed: plan.seed,
    bootstrap: plan.bootstrap,
    curves,
    bestEpoch: best.epoch,
    epochsRun: curves.train.length,
    stoppedEarly,
    steps,
    trainEvents: nTrain,
    valEvents: nVal,
    branch,
    status: problems.length > 0 ? 'collapsed' : 'ok',
    problems,
    collapsedFraction: collapse.fraction,
    ...(bkgRates ? { background: bkgRates.summary } : {}),
    seconds: (performance.now() - t0) / 1000,
    params,
  };
}

export function allElectronPhi(set: TrainingSet, arch: MlpArch, params: MlpParams): Float32Array {
  const phi = new Float32Array(2 * set.n);
  predictPhi(arch, params, set.x1, set.n, undefined, phi.subarray(0, set.n));
  predictPhi(arch, params, set.x2, set.n, undefined, phi.subarray(set.n));
  return phi;
}
