/**
 * Apply a trained model to events: ε1, ε2 per event (ε = sigmoid(φ), the note's step 3), the ensemble mean
 * over members, and with K > 1 members the sample standard deviation over members. No clipping: sigmoid of a
 * float32 φ already lies in [0, 1].
 */
import type { EventTable } from '../events/columns.js';
import { meanAndSpread } from './ensemble.js';
import { electronInputs, parseFeatures } from './features.js';
import type { PhiModel } from './model.js';
import { normalise } from './normalisation.js';
import { predictPhi, sigmoid } from './predict.js';

export interface AppliedEps {
  eps1: Float64Array;
  eps2: Float64Array;
  /** Present when the model has more than one member. */
  eps1_sd?: Float64Array;
  eps2_sd?: Float64Array;
}

/** ε of every electron k ∈ {1, 2} of the table, one array per member. */
export function memberEps(model: PhiModel, table: EventTable, k: 1 | 2, source?: string): Float64Array[] {
  const specs = parseFeatures(model.features);
  const x = normalise(electronInputs(table, specs, k, source), model.normalisation);
  // A plain loop: Float64Array.from with a mapper goes through the iterator protocol, ~10x slower, and a
  // 16-member ensemble applies it to every electron of a toy (closure: 16 × 2 × 3·10^5).
  return model.members.map((m) => {
    const phi = predictPhi(model.arch, m.params, x, table.n);
    const eps = new Float64Array(table.n);
    for (let i = 0; i < table.n; i++) eps[i] = sigmoid(phi[i]!);
    return eps;
  });
}

export function applyModel(model: PhiModel, table: EventTable, source?: string): AppliedEps {
  const e1 = meanAndSpread(memberEps(model, table, 1, source));
  const e2 = meanAndSpread(memberEps(model, table, 2, source));
  if (model.members.length > 1) return { eps1: e1.mean, eps2: e2.mean, eps1_sd: e1.sd, eps2_sd: e2.sd };
  return { eps1: e1.mean, eps2: e2.mean };
}
