/**
 * The format version of every file qmisid-bench writes and reads back, in one place (pyhf-style: a reader
 * refuses a version it does not know, naming the file, instead of misreading it).
 *
 * A file records `formatVersion` as its first key (JSON files, each toys.jsonl record, the event-file
 * metadata and its sidecar). Raise a kind's number when its layout changes incompatibly. A file without the key
 * was written before versioning and is read as version 1 (the layout these numbers describe). The trained
 * model directory keeps its own `format` string (src/train/model.ts, MODEL_FORMAT).
 */
import { DataError } from '../errors.js';

/** Every versioned file kind and the version this build writes and reads. */
export const FORMAT_VERSIONS = {
  /** DIR/study.json: the resolved study, shard, toy seeds and provenance of a study run. */
  study: 1,
  /** DIR/toys.jsonl: one record per line (the version is in every record, so resumed and merged files stay byte-identical). */
  toys: 1,
  /** DIR/summary.json: the study summary. */
  summary: 1,
  /** report directory: report.json, the input that `qmisid report` rebuilds a report from. */
  report: 1,
  /** Event files (Parquet/Arrow key-value metadata, CSV sidecar): the generator's metadata. */
  events: 1,
} as const;

export type FileKind = keyof typeof FORMAT_VERSIONS;

/** A file carries a format version this build does not read. */
export class FormatVersionError extends DataError {
  constructor(
    file: string,
    readonly kind: FileKind,
    readonly found: unknown,
  ) {
    super(file, 'formatVersion', `unknown ${kind} file format version: this build reads version ${FORMAT_VERSIONS[kind]}`, found);
  }
}

/** `value` with the current `formatVersion` of `kind` as its first key. */
export function withFormatVersion<T extends object>(kind: FileKind, value: T): { formatVersion: number } & T {
  return { formatVersion: FORMAT_VERSIONS[kind], ...value };
}

/** Throw FormatVersionError naming `file` unless `value` is of the current version of `kind` (or unversioned). */
export function checkFormatVersion(kind: FileKind, file: string, value: unknown): void {
  if (value == null || typeof value !== 'object') return;
  const v = (value as { formatVersion?: unknown }).formatVersion;
  if (v === undefined || v === FORMAT_VERSIONS[kind]) return;
  throw new FormatVersionError(file, kind, v);
}
