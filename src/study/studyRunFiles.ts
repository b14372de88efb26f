/**
 * A study run directory: the names of its files and the shape of its study.json. Read by the run itself,
 * by resuming, merging and calibrating, and by the report; kept apart from runStudy so that the report does
 * not import the runner that calls it.
 */
import type { ResolvedStudy } from './resolveStudy.js';
import type { Shard } from './shard.js';

/** DIR/study.json. */
export interface StudyRunInfo {
  study: ResolvedStudy;
  shard: Shard | { merged: Shard[] };
  /** Toy index → seed, for the toys of this run. */
  toySeeds: Record<string, string>;
  version: string;
  /** Git commit of the checkout the study ran from ("unknown" outside a checkout); absent in older runs. */
  gitCommit?: string;
  backend: string;
  node: string;
  source: string;
}

export const STUDY_FILE = 'study.json';
export const TOYS_FILE = 'toys.jsonl';
export const SUMMARY_FILE = 'summary.json';
