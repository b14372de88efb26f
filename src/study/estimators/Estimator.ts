/**
 * The common face of every estimator the study runs. An adapter (one per kind, in this directory) turns a
 * component of the bench — the binned fit, the truth-matched rates, the φ-trainer, the oracle — into a
 * function from an event table to per-bin rates, and where it has them, per-electron rates.
 */
import type { Binning } from '../../binning/Binning.js';
import type { EventTable } from '../../events/columns.js';
import type { Diagnostic, EstimatorStatus, GraphRecord, Resampling } from '../toyRecord.js';

export interface EstimatorContext {
  binning: Binning;
  /** Seed for anything random the estimator does (trainer initialisation, subsampling). */
  seed: string;
  options: Record<string, unknown>;
  /** The source of the table, for error messages. */
  source: string;
  /**
   * At most this many gradient threads (the toy's share of the cores, study/threadBudget.ts). Results do not
   * depend on it: the trainer's batch parts are fixed by its own `threads` option (train/parallelEngine.ts).
   */
  threads?: number;
}

export interface EstimatorResult {
  status: EstimatorStatus;
  message?: string;
  /** Per-bin rates and errors (length K). Per-electron estimators may omit them: the runner bin-averages. */
  bins?: {
    eps: ArrayLike<number>;
    err?: ArrayLike<number>;
    errDof?: number;
    errLo?: ArrayLike<number>;
    errHi?: ArrayLike<number>;
    interval?: string;
    /** How the members behind an ensemble error were made (see EstimatorRecord.errResampling). */
    resampling?: Resampling;
  };
  /** Per-electron rates, rows aligned with the table. Binned estimators may omit them: the runner looks up bins. */
  electrons?: { eps1: ArrayLike<number>; eps2: ArrayLike<number> };
  diagnostics?: Record<string, Diagnostic>;
  /** Ensemble members (networks): per-electron rates and loss curves, reduced to per-bin arrays by the runner. */
  members?: { eps1: ArrayLike<number>; eps2: ArrayLike<number>; train: readonly number[]; val: readonly number[] }[];
  /** The binned fit's pairing graph, for the report's identifiability view. */
  graph?: GraphRecord;
}

/**
 * `table`: the events the estimator must use, with their weights in `w` — the mass window, or window and
 * sidebands with sideband-subtraction weights (negative for sideband events) when the study asks for it.
 */
export type Estimator = (table: EventTable, ctx: EstimatorContext) => Promise<EstimatorResult>;

/** The status message of a not-identifiable binned estimate: its identifiability notes, empty bins left out. */
export function notIdentifiableMessage(notes: readonly string[]): string {
  return `not identifiable: ${notes.filter((n) => !n.startsWith('empty:')).join('; ')}`;
}
