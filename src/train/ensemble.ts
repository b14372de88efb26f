/**
 * Ensembles: K members that differ by seed (initial weights, split, OC subsample, shuffles) and, with
 * `bootstrap`, by Poisson(1) multiplicities of every event (out-of-bag events validate). Every random choice
 * is drawn per member, so the members are independent replicates: their spread of ε per electron estimates
 * the statistical (bootstrap) plus training uncertainty of one trained φ. It is a sample standard deviation
 * with K − 1 degrees of freedom; intervals built on it should use Student-t quantiles (src/stats: studentTQuantile).
 */
import { deriveSeed, type Seed } from '../rng.js';
import type { TrainConfig } from './config.js';
import type { Head } from './gradEngine.js';
import type { MlpArch } from './mlp.js';
import type { Member } from './model.js';
import type { Progress } from './progress.js';
import { trainMember } from './trainer.js';
import { createBatchEngine, type BatchEngine } from './parallelEngine.js';
import type { BackendName } from './backend.js';
import type { TrainingSet } from './trainingSet.js';
import { ocKeepKey, ocReadFilter } from './subsample.js';

export function memberSeed(root: Seed, k: number): string {
  return deriveSeed(root, 'member', k);
}

/** The events an ensemble uses under its OC subsampling (subsample.ts): every SC event and any OC event a member keeps. */
export function ensembleOcFilter(cfg: Pick<TrainConfig, 'seed' | 'ensemble' | 'ocKeep'>): (row: number, sc: number) => boolean {
  return ocReadFilter(
    Array.from({ length: cfg.ensemble }, (_, k) => ocKeepKey(memberSeed(cfg.seed, k))),
    cfg.ocKeep,
  );
}

export async function trainEnsemble(
  set: TrainingSet,
  arch: MlpArch,
  cfg: TrainConfig,
  head: Head,
  progress: Progress,
  backend: BackendName,
  maxThreads?: number,
  /** An engine already starting (trainModel.ts starts it before preparing the data); disposed here. */
  started?: Promise<BatchEngine>,
): Promise<Member[]> {
  const engine = await (started ?? createBatchEngine(arch, head, cfg.gradient, cfg.threads ?? 1, backend, maxThreads ?? cfg.threads ?? 1));
  const members: Member[] = [];
  try {
    for (let k = 0; k < cfg.ensemble; k++) {
      members.push(
        await trainMember(set, arch, cfg, head, { index: k, seed: memberSeed(cfg.seed, k), bootstrap: cfg.bootstrap }, progress, engine),
      );
    }
  } finally {
    await engine.dispose();
  }
  return members;
}

/** Per-electron mean and sample standard deviation (K − 1) of ε over members; sd is 0 for K = 1. */
export function meanAndSpread(perMember: readonly Float64Array[]): { mean: Float64Array; sd: Float64Array } {
  const K = perMember.length;
  const n = perMember[0]?.length ?? 0;
  const mean = new Float64Array(n);
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += perMember[k]![i]!;
    const m = s / K;
    let v = 0;
    for (let k = 0; k < K; k++) v += (perMember[k]![i]! - m) ** 2;
    mean[i] = m;
    sd[i] = K > 1 ? Math.sqrt(v / (K - 1)) : 0;
  }
  return { mean, sd };
}
