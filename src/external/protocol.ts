/**
 * The external-estimator protocol (docs/open-bench.md, "The external protocol"): how the bench hands one
 * toy's sample to a program written in any language and what it reads back. One definition here; the study
 * adapter (src/study/estimators/external.ts) and, later, `qmisid check` use it.
 *
 * Bench → program: a directory holding
 *   sample.parquet     the toy's events, one row per event, the columns of SAMPLE_COLUMNS (float64 / int8 /
 *                      uint8 as listed), no truth columns (an estimator must not see the answer);
 *   columns/<c>.f64    the same columns as raw little-endian float64 arrays, for readers without a Parquet
 *                      library (numpy.fromfile(path, '<f8'));
 *   manifest.json      a Manifest (below), whose path is the program's last argument and QMISID_MANIFEST.
 * Program → bench: a JSON file at manifest.output (OutputSchema): per-electron ε for electrons 1 and 2, row
 * aligned with the sample, optionally their standard deviations or the ensemble members' ε, a status, a
 * message and numeric diagnostics. Exit code 0 means "read my output"; anything else is a failed toy whose
 * message carries the program's stderr.
 */
import { z } from 'zod';
import { RESAMPLINGS } from '../study/toyRecord.js';

export const PROTOCOL = 'qmisid-external/1';

/** Columns written to the sample, in order. */
export const SAMPLE_COLUMNS = ['pt1', 'eta1', 'phi1', 'q1', 'pt2', 'eta2', 'phi2', 'q2', 'm_ee', 'sc', 'w', 'region'] as const;

export interface Manifest {
  protocol: typeof PROTOCOL;
  /** Events in the sample. */
  n: number;
  /** Parquet file, relative to the manifest's directory. */
  sample: string;
  /** Raw little-endian float64 copy of every column, relative paths. */
  raw: Record<string, string>;
  columns: { name: string; type: string; doc: string }[];
  /** Name of the event-weight column (negative for sideband events under sideband subtraction). */
  weights: 'w';
  /** Values of the `region` column. */
  regions: { window: 0; lowSideband: 1; highSideband: 2 };
  /** Whether sideband rows (region 1, 2) with negative weights are part of the sample. */
  sidebandSubtraction: boolean;
  /** Bench binning (|η| and pT edges, half-open bins) — the binning the per-bin metrics are computed in. */
  binning: { eta: number[]; pt: number[] };
  /** Seed for anything random the program does, as given and as an unsigned 32-bit integer. */
  seed: string;
  seed32: number;
  /** Threads the program may use. */
  threads: number;
  /** Absolute path where the program writes its JSON answer. */
  output: string;
  /** The estimator's `config` option from the study file, passed through untouched. */
  config: Record<string, unknown>;
  /** Study, toy, scan point and estimator, for the program's log messages. */
  source: string;
}

const probs = z.array(z.number().min(0).max(1).nullable());
const sds = z.array(z.number().min(0).nullable());

export const OutputSchema = z.strictObject({
  eps1: probs,
  eps2: probs,
  eps1_sd: sds.optional(),
  eps2_sd: sds.optional(),
  /** Ensemble members' per-electron ε: the per-bin error is then the spread of the members' bin means. */
  members: z
    .array(z.strictObject({ eps1: probs, eps2: probs, train: z.array(z.number()).optional(), val: z.array(z.number()).optional() }))
    .optional(),
  /**
   * How the members were made, when there are members: 'bootstrap' (each on a resample of the events) or
   * 'none'. Optional: the report then does not say why an ensemble error over- or under-covers. Read only with
   * two or more members (an ensemble error); ignored otherwise.
   */
  resampling: z.enum(RESAMPLINGS).optional(),
  status: z.enum(['ok', 'notConverged', 'unphysicalBranch', 'failed']).default('ok'),
  message: z.string().optional(),
  diagnostics: z.record(z.string(), z.union([z.number(), z.boolean(), z.string(), z.null()])).default({}),
});
export type ExternalOutput = z.output<typeof OutputSchema>;
