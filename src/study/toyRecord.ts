/**
 * One line of DIR/toys.jsonl: everything a toy produced, for every scan point and estimator. Records hold
 * no timings or host details, so the same (study, seed, toy) gives the same bytes whatever the worker count,
 * shard or machine (the resume/shard/merge tests compare records byte for byte).
 *
 * Non-finite numbers are written as null (JSON has no NaN) and read back as NaN by `finite()`.
 */
export type EstimatorStatus = 'ok' | 'notConverged' | 'unphysicalBranch' | 'failed';

export interface ClosureRecord {
  chi2: number;
  ndf: number;
}

export interface EstimatorRecord {
  status: EstimatorStatus;
  message?: string;
  /** Per-bin estimate and its reported error (Hessian for the fit, ensemble spread for the network). */
  eps: (number | null)[];
  err: (number | null)[];
  /** Per-electron comparison with the truth ε (signal electrons of the events the estimator used). */
  electron: { n: number; mse: number | null; meanRelBias: number | null; phiKappaMean: number | null; phiKappaRms: number | null };
  /** SC prediction from OC × ε12/(1−ε12) against observed SC. */
  closure: { pt: ClosureRecord; eta: ClosureRecord; m_ee: ClosureRecord };
  /** Estimator-specific numbers: identifiability flags, branch, ensemble trade-off spread. */
  diagnostics: Record<string, Diagnostic>;
}

/** A diagnostic value; arrays carry per-member numbers (e.g. the ensemble's points along eq. 5). */
export type Diagnostic = number | boolean | string | null | (number | null)[];

export interface PointRecord {
  label: string;
  /** Generated events that passed the generator's selection and the study's pairing topology. */
  events: number;
  /** Window events, and of those same-charge. */
  window: number;
  windowSC: number;
  /** Truth reference per bin: mean truth ε of the signal electrons in the window. */
  truth: (number | null)[];
  /** Signal electrons per bin in the window. */
  count: number[];
  estimators: Record<string, EstimatorRecord>;
}

export interface ToyRecord {
  toy: number;
  seed: string;
  status: 'ok' | 'failed';
  message?: string;
  points: PointRecord[];
}

/** null → NaN, for reading records back. */
export function finite(x: number | null | undefined): number {
  return x == null ? NaN : x;
}

/** NaN/±Infinity → null, so a record survives JSON unchanged. */
export function jsonNumber(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
