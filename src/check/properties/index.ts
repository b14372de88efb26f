/** Every estimator property, in the order `qmisid check` runs them (cheap and decisive ones first). */
import type { PropertyDefinition } from '../property.js';
import { flipLoss } from './flipLoss.js';
import { identifiability } from './identifiability.js';
import { invariance } from './invariance.js';
import { physicalBranch } from './physicalBranch.js';
import { pulls } from './pulls.js';
import { recovery } from './recovery.js';

export interface PropertyOptions {
  /** Judge the flip-loss stress case (closure expected) instead of only measuring it. */
  expectFlipClosure?: boolean;
}

export function allProperties(opts: PropertyOptions = {}): PropertyDefinition[] {
  return [physicalBranch, recovery, identifiability, invariance, pulls, flipLoss(opts.expectFlipClosure ?? false)];
}

export const PROPERTY_NAMES = allProperties().map((p) => p.name);
