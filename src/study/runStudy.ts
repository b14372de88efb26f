/**
 * The study pipeline, in order:
 *   1. load the study file (name or path) and validate it against the schema,
 *   2. resolve it (quick overrides, --toys/--seed, scan points merged over the generator config),
 *   3. open DIR: write DIR/study.json, or on resume check it holds the same resolved study and shard,
 *   4. list this shard's toys, drop those already in DIR/toys.jsonl,
 *   5. run the rest on the worker pool, appending each record as it finishes,
 *   6. summarise every record in DIR/toys.jsonl and check the criteria → DIR/summary.json.
 * The report (DIR/report/) is written by the caller from `studyReportData(DIR)`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { Seed } from '../rng.js';
import { gitCommit } from '../report/gitCommit.js';
import { version } from '../version.js';
import { loadStudy } from './loadStudy.js';
import { resolveStudy, type ResolvedStudy } from './resolveStudy.js';
import { NO_SHARD, shardToys, type Shard } from './shard.js';
import { summarizeStudy, type StudySummary } from './summarizeStudy.js';
import { runToysInPool } from './toyPool.js';
import { threadBudget } from './threadBudget.js';
import { toySeed } from './runToy.js';
import { openToyStore, readToys } from './toyStore.js';

export interface RunStudyOptions {
  out: string;
  toys?: number;
  workers?: number;
  shard?: Shard;
  quick?: boolean;
  seed?: Seed;
  /** Threads per toy (default: the cores shared among the workers, threadBudget.ts). */
  threads?: number;
  /** Progress lines (toy k of n done). */
  log?: (line: string) => void;
}

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

async function backendName(study: ResolvedStudy): Promise<string> {
  const needsTf = study.points.some((p) => p.estimators.some((e) => e.kind === 'phi' || e.kind === 'oracle'));
  if (!needsTf) return 'none (no network estimator)';
  const { selectBackend } = await import('../train/backend.js');
  return `tfjs-${await selectBackend('auto')}`;
}

export async function runStudy(nameOrFile: string, opts: RunStudyOptions): Promise<{ summary: StudySummary; info: StudyRunInfo }> {
  const log = opts.log ?? (() => {});
  const { study: raw, source } = loadStudy(nameOrFile);
  const study = resolveStudy(raw, {
    source,
    ...(opts.quick != null ? { quick: opts.quick } : {}),
    ...(opts.toys != null ? { toys: opts.toys } : {}),
    ...(opts.seed != null ? { seed: opts.seed } : {}),
  });
  const shard = opts.shard ?? NO_SHARD;
  const toys = shardToys(study.toys, shard);
  const dir = opts.out;
  mkdirSync(dir, { recursive: true });
  const studyFile = join(dir, STUDY_FILE);
  if (existsSync(studyFile)) {
    const prev = JSON.parse(readFileSync(studyFile, 'utf8')) as StudyRunInfo;
    if (JSON.stringify(prev.study) !== JSON.stringify(study) || JSON.stringify(prev.shard) !== JSON.stringify(shard)) {
      throw new UsageError('--out', dir, `a new directory, or one holding this same study and shard (it holds ${prev.study.name}, shard ${JSON.stringify(prev.shard)})`);
    }
  }
  const info: StudyRunInfo = {
    study,
    shard,
    toySeeds: Object.fromEntries(toys.map((t) => [String(t), toySeed(study, t)])),
    version,
    gitCommit: gitCommit(),
    backend: await backendName(study),
    node: process.version,
    // Relative to the working directory, so a committed run does not carry one machine's absolute path.
    source: relative(process.cwd(), source) || source,
  };
  writeFileAtomic(studyFile, `${JSON.stringify(info, null, 2)}\n`);

  const toysFile = join(dir, TOYS_FILE);
  const done = new Set(readToys(toysFile).records.map((r) => r.toy));
  const todo = toys.filter((t) => !done.has(t));
  if (done.size > 0) log(`resuming: ${done.size} toys already in ${toysFile}, ${todo.length} to run`);
  const store = openToyStore(toysFile);
  let finished = done.size;
  try {
    await runToysInPool(study, todo, { workers: opts.workers ?? 0, threads: threadBudget(opts.workers ?? 0, opts.threads) }, (rec) => {
      store.append(rec);
      finished++;
      log(`toy ${rec.toy} ${rec.status} (${finished}/${toys.length})`);
    });
  } finally {
    store.close();
  }
  const records = readToys(toysFile).records.filter((r) => toys.includes(r.toy));
  const summary = summarizeStudy(study, records, toys);
  writeFileAtomic(join(dir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  return { summary, info };
}
