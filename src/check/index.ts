/**
 * Estimator checks as a library, for a user's own test runner (vitest, jest, node:test): each builder runs one
 * property against an estimator function and resolves to its outcome; `assertPassed` turns a failed outcome
 * into a thrown error whose message names the property, the failed comparison, the seed and the replay path.
 * The same properties run from the command line as `qmisid check`.
 */
import type { Estimator } from '../study/estimators/Estimator.js';
import type { CheckPreset, PropertyDefinition, PropertyOutcome } from './property.js';
import { checkProperty, DEFAULT_CHECK_SEED } from './runCheck.js';
import { flipLoss } from './properties/flipLoss.js';
import { identifiability } from './properties/identifiability.js';
import { invariance } from './properties/invariance.js';
import { physicalBranch } from './properties/physicalBranch.js';
import { pulls } from './properties/pulls.js';
import { recovery } from './properties/recovery.js';

export interface PropertyRunOptions {
  /** Options handed to the estimator in `ctx.options`. */
  options?: Record<string, unknown>;
  /** 'quick' (CI minutes) or 'full' (a release). Default 'quick'. */
  preset?: CheckPreset;
  seed?: number;
  /** fast-check path printed by a failure, to replay it first (with the same seed). */
  path?: string;
  /** A label for messages. */
  name?: string;
}

function builder(def: PropertyDefinition) {
  return (estimator: Estimator, o: PropertyRunOptions = {}): Promise<PropertyOutcome> =>
    checkProperty(def, {
      target: { name: o.name ?? 'estimator', estimator, options: o.options ?? {} },
      preset: o.preset ?? 'quick',
      seed: o.seed ?? DEFAULT_CHECK_SEED,
      log: () => {},
      ...(o.path ? { path: o.path } : {}),
    });
}

/** Property `recovery`: per-bin rates recover arbitrary smooth truth ε(pT, |η|) (src/check/properties/recovery.ts). */
export const recoversSmoothFamilies = builder(recovery);
/** Property `physicalBranch`: the estimate lies on ε < ½. */
export const staysOnPhysicalBranch = builder(physicalBranch);
/** Property `identifiability`: answers on a connected pairing, flags a bipartite one. */
export const flagsNonIdentifiablePairings = builder(identifiability);
/** Property `invariance`: e1 ↔ e2 relabelling and event order do not move the estimate. */
export const isInvariantUnderRelabelling = builder(invariance);
/** Property `pulls`: the estimator's own errors give pulls of mean 0 and width 1. */
export const hasCalibratedPulls = builder(pulls);
/** Property `flipLoss`: the flip-loss stress case; `expectClosure` judges it. */
export const closesUnderFlipLoss = (estimator: Estimator, o: PropertyRunOptions & { expectClosure?: boolean } = {}) =>
  builder(flipLoss(o.expectClosure ?? true))(estimator, o);

/** The error `assertPassed` throws: its message is what a CI log needs to reproduce the failure. */
export class PropertyFailure extends Error {
  readonly outcome: PropertyOutcome;
  constructor(outcome: PropertyOutcome) {
    super(
      `property ${outcome.property} failed: ${outcome.message ?? outcome.summary} (seed ${outcome.seed}${outcome.path ? `, replay path ${outcome.path}` : ''})`,
    );
    this.name = 'PropertyFailure';
    this.outcome = outcome;
  }
}

/** Throw a PropertyFailure unless the property passed (a skipped property passes, with its reason). */
export function assertPassed(outcome: PropertyOutcome): void {
  if (outcome.status === 'failed') throw new PropertyFailure(outcome);
}

export { runCheck, DEFAULT_CHECK_SEED, type CheckSummary, type CheckOptions } from './runCheck.js';
export type { PropertyOutcome, CheckPreset } from './property.js';
