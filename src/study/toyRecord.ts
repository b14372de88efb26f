/**
 * One line of DIR/toys.jsonl: everything a toy produced, for every scan point and estimator. Records hold
 * no timings or host details, so the same (study, seed, toy) gives the same bytes whatever the worker count,
 * shard or machine (the resume/shard/merge tests compare records byte for byte).
 *
 * Non-finite numbers are written as null (JSON has no NaN) and read back as NaN by `finite()`.
 */
import type { ProfileVariable } from './metrics/profiles.js';

/**
 * Anything but 'ok' is counted by the summary as a failure of that kind (summarizeEstimator `failures`) and
 * left out of the accuracy metrics; the report lists the counts in red.
 *   notIdentifiable  the data do not fix the answer: a populated bipartite component of the pairing graph or a
 *                    flat Hessian direction (binned fits), or a bipartite pairing of the training sample (φ)
 *   collapsed        a training whose loss went below its attainable minimum or whose ε collapsed to ~0
 */
export type EstimatorStatus = 'ok' | 'notConverged' | 'unphysicalBranch' | 'notIdentifiable' | 'collapsed' | 'failed';

export interface ClosureRecord {
  chi2: number;
  ndf: number;
}

/** How the members behind an ensemble error were made (EstimatorRecord.errResampling). */
export const RESAMPLINGS = ['bootstrap', 'none'] as const;
export type Resampling = (typeof RESAMPLINGS)[number];

export interface EstimatorRecord {
  status: EstimatorStatus;
  message?: string;
  /** Per-bin estimate and its reported error (Hessian for the fit, ensemble spread for the network). */
  eps: (number | null)[];
  err: (number | null)[];
  /**
   * Degrees of freedom of `err` when it is a sample standard deviation (a K-member ensemble: K − 1); absent
   * for asymptotic errors (Hessian, binomial). Pulls of a K-member spread follow Student's t with K − 1
   * degrees of freedom, so coverage is counted with t quantiles (metrics/pullStats.ts, src/stats).
   */
  errDof?: number;
  /**
   * How the members behind an ensemble error (errDof set) were made. 'bootstrap': each on a Poisson(1)
   * resample of the events, so their spread holds the sampling variance and each member's own training noise;
   * 'none': not resampled (the built-in trainer's members then differ by their training noise and by which
   * events their random split holds out), so their spread misses most of the sampling variance. Absent: not
   * stated (an external estimator that does not say). The report reads it when an ensemble's variance claim misses its floor
   * (verdict/pullFloors.ts).
   */
  errResampling?: Resampling;
  /**
   * Asymmetric interval (68.27 %): the distances from the estimate down and up (Wilson for truth-matched
   * rates, so a bin with zero flips has [0, hi] instead of a zero error). Pulls use the side facing the target.
   */
  errLo?: (number | null)[];
  errHi?: (number | null)[];
  /** Which interval `err` / `errLo`/`errHi` are (e.g. "Wilson 68.27 %", "Hessian"). */
  interval?: string;
  /**
   * Set only in memory, on a network whose errors a calibration scaled (verdict/errorScales.ts): the per-bin
   * factor applied, so that the variance claim of the bare ensemble sd can still be judged (pullFloors.ts).
   */
  errFactors?: number[];
  /** Predicted same-charge electrons per fine (|η|, pT) cell for the binning-free closure scan (verdict/closureScan.ts). */
  scan?: (number | null)[];
  /** Per-electron comparison with the truth ε (signal electrons of the events the estimator used). */
  electron: {
    n: number;
    mse: number | null;
    meanRelBias: number | null;
    phiKappaMean: number | null;
    phiKappaRms: number | null;
    mseReach?: number | null;
  };
  /** SC prediction from OC × ε12/(1−ε12) against observed SC. */
  closure: { pt: ClosureRecord; eta: ClosureRecord; m_ee: ClosureRecord };
  /**
   * The same closure in each latent-model feature present in the table (metrics/featureClosure.ts), with its
   * p-value from the exact null (metrics/closureNull.ts; null when the feature has no bins).
   */
  featureClosure?: Record<string, ClosureRecord & { p: number | null }>;
  /** Family-wise p-value of the feature closures over the features (min-p over the exact null's replicas). */
  featureClosureP?: number | null;
  /**
   * Paired studies only: the SC yield the estimator predicts for this sample against the observed one
   * (metrics/scYield.ts; 6 significant digits).
   */
  scYield?: {
    observed: number;
    predicted: number;
    variance: number;
    trainVariance: number;
    /**
     * Set only in memory, on a network a calibration gave an SC-yield systematic (verdict/yieldSystematics.ts):
     * its sd relative to |predicted|, the same error in every toy (fully correlated over toys).
     */
    systematicRel?: number;
  };
  /** Estimator-specific numbers: identifiability flags, branch, ensemble trade-off spread. */
  diagnostics: Record<string, Diagnostic>;
  /**
   * For the report (all optional: absent in failed records). Per-bin arrays and histograms only.
   *   profiles: mean ε̂ of the window's signal electrons in the point's fine profile bins (band = min/max over
   *     ensemble members, networks only);
   *   closureHist: the SC closure histograms behind `closure` (edges in CLOSURE_EDGES, 6 significant digits);
   *   members: per ensemble member the per-bin ε̂ and the training / validation loss per epoch;
   *   graph: the binned fit's pairing graph (populated bin pairs, component of each bin, which components are
   *     bipartite) and its number of flat Hessian directions.
   */
  profiles?: Partial<Record<ProfileVariable, ProfileRecord>>;
  closureHist?: { pt: ClosureHistRecord; eta: ClosureHistRecord; m_ee: ClosureHistRecord };
  members?: MemberRecord[];
  graph?: GraphRecord;
}

export interface ProfileRecord {
  eps: (number | null)[];
  lo?: (number | null)[];
  hi?: (number | null)[];
}

export interface ClosureHistRecord {
  edges: number[];
  observed: (number | null)[];
  predicted: (number | null)[];
  variance: (number | null)[];
  /** The prediction's statistical part of `variance` (absent in records written before it was stored). */
  predictedVariance?: (number | null)[];
}

export interface MemberRecord {
  eps: (number | null)[];
  train: (number | null)[];
  val: (number | null)[];
}

export interface GraphRecord {
  /** Populated bin pairs (i ≤ j; i == j is a self-loop). */
  edges: [number, number][];
  /** Component index of every bin. */
  component: number[];
  /** Indices of the bipartite components that hold events (the ones that leave a flat direction). */
  bipartite: number[];
  flatDirections: number;
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
  /** Of those, electrons whose charge was flipped (the generator's bookkeeping; absent in older records). */
  flips?: number[];
  /** Observed same-charge electrons per fine (|η|, pT) cell of the closure scan (absent in older records). */
  scanObs?: number[];
  /** For the report: truth-ε profiles (mean truth ε and electron count per fine bin) and OC/SC m_ee spectra. */
  profiles?: Partial<Record<ProfileVariable, { edges: number[]; truth: (number | null)[]; count: number[] }>>;
  mass?: { edges: number[]; oc: number[]; sc: number[] };
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
