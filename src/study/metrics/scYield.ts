/**
 * The same-charge yield an estimator predicts for a sample, against the one observed (docs/studies.md,
 * "Paired studies"). Over the window events i of the sample (OC and SC alike, weights w_i):
 *
 *     P = Σ w_i·ε12_i,   ε12 = ε1 + ε2 − 2ε1ε2 (eq. 1),      S = Σ w_i·[SC_i],
 *     Var(S − P) = Σ w_i²·ε12_i(1 − ε12_i)  +  Var_train(P)
 *
 * Given the electrons' features, each event is SC with probability ε12 when ε is the reachable target
 * P(flip | features), so S − P has mean 0 and the Bernoulli variance above; Var_train(P) is the spread of P
 * over the ensemble members (the estimator's own statistical error, 0 without an ensemble). Unlike the
 * closure's OC × ε12/(1 − ε12) weighting this sum stays bounded when ε̂ → 1 on a strongly tagged electron.
 * The pull (S − P)/√Var is N(0, 1) for an estimator applied to a sample it was not fitted on; on its own
 * training sample the likelihood's sum rule pulls P onto S and the pull is narrower.
 */
import { REGION } from '../../selection/selection.js';
import type { EventTable } from '../../events/columns.js';

export interface ScYield {
  observed: number;
  predicted: number;
  /** Bernoulli variance Σ w²ε12(1 − ε12). */
  variance: number;
  /** Sample variance of P over ensemble members (0 without members). */
  trainVariance: number;
}

function predicted(table: EventTable, e1: ArrayLike<number>, e2: ArrayLike<number>): { p: number; v: number } {
  const w = table.columns.w!;
  const region = table.columns.region!;
  let p = 0;
  let v = 0;
  for (let i = 0; i < table.n; i++) {
    if (region[i] !== REGION.window) continue;
    const a = e1[i]!;
    const b = e2[i]!;
    const q = a + b - 2 * a * b;
    p += w[i]! * q;
    v += w[i]! * w[i]! * q * (1 - q);
  }
  return { p, v };
}

export function scYield(
  table: EventTable,
  eps1: ArrayLike<number>,
  eps2: ArrayLike<number>,
  members?: readonly { eps1: ArrayLike<number>; eps2: ArrayLike<number> }[],
): ScYield {
  const w = table.columns.w!;
  const region = table.columns.region!;
  const sc = table.columns.sc!;
  let observed = 0;
  for (let i = 0; i < table.n; i++) if (region[i] === REGION.window) observed += w[i]! * sc[i]!;
  const { p, v } = predicted(table, eps1, eps2);
  let trainVariance = 0;
  if (members && members.length > 1) {
    const ps = members.map((m) => predicted(table, m.eps1, m.eps2).p);
    const mean = ps.reduce((a, b) => a + b, 0) / ps.length;
    trainVariance = ps.reduce((a, b) => a + (b - mean) ** 2, 0) / (ps.length - 1);
  }
  return { observed, predicted: p, variance: v, trainVariance };
}
