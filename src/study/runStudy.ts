/**
 * The study pipeline, in order:
 *   1. load the study file (name or path) and validate it against the schema,
 *   2. resolve it (quick overrides, --toys/--seed, scan points merged over the generator config),
 *   3. open DIR (checked writable first, then locked against a second writer, src/io/dirLock.ts): write
 *      DIR/study.json, or on resume check it holds the same resolved study and shard,
 *   4. list this shard's toys, drop those already in DIR/toys.jsonl,
 *   5. run the rest on the worker pool, appending each record as it finishes,
 *   6. summarise every record in DIR/toys.jsonl and check the criteria (not on a shard: criteria are judged
 *      on the merged result) → DIR/summary.json, and with `report` DIR/report/.
 * Steps 1–2 validate everything, every estimator's options included, before step 3 writes a byte.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UsageError } from '../errors.js';
import { makeParents, writeFileAtomic } from '../io/atomic.js';
import { acquireDirLock } from '../io/dirLock.js';
import { checkOutputDir } from '../io/outputPath.js';
import { readRunJson } from './readRunFile.js';
import { validateEstimators } from './validateEstimators.js';
import { checkFormatVersion, withFormatVersion } from '../io/formatVersion.js';
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
import { generate } from './runToy.js';
import { ensureReference, studyExtras } from './verdict/studyExtras.js';
import type { Study } from './studySchema.js';
import { STUDY_FILE, SUMMARY_FILE, TOYS_FILE, type StudyRunInfo } from './studyRunFiles.js';

export interface RunStudyOptions {
  out: string;
  toys?: number;
  workers?: number;
  shard?: Shard;
  quick?: boolean;
  seed?: Seed;
  /** Threads per toy (default: the cores shared among the workers, threadBudget.ts). */
  threads?: number;
  /** Also write DIR/report/ (while the directory is still locked). */
  report?: boolean;
  /** Progress lines (toy k of n done). */
  log?: (line: string) => void;
  /** Rewrite the validated study before resolving it (the calibration's null run). */
  patch?: (study: Study) => Study;
  /** Skip attaching the stored calibration (the calibration's own null run). */
  noCalibration?: boolean;
}

async function backendName(study: ResolvedStudy): Promise<string> {
  const needsTf = study.points.some((p) => p.estimators.some((e) => e.kind === 'phi' || e.kind === 'oracle'));
  if (!needsTf) return 'none (no network estimator)';
  const { selectBackend } = await import('../train/backend.js');
  return `tfjs-${await selectBackend('auto')}`;
}

export async function runStudy(nameOrFile: string, opts: RunStudyOptions): Promise<{ summary: StudySummary; info: StudyRunInfo }> {
  const log = opts.log ?? (() => {});
  // 1–2. Load, resolve and validate everything — every estimator's options at every point, for the quick
  // and the full study alike — before the output directory is touched.
  const loaded = loadStudy(nameOrFile);
  const source = loaded.source;
  const raw = opts.patch ? opts.patch(loaded.study) : loaded.study;
  const study = resolveStudy(raw, {
    source,
    ...(opts.quick != null ? { quick: opts.quick } : {}),
    ...(opts.toys != null ? { toys: opts.toys } : {}),
    ...(opts.seed != null ? { seed: opts.seed } : {}),
  });
  await validateEstimators(raw, study, source);
  // The other mode too: a typo in the quick block must not wait for the first --quick run, nor one in the
  // full study for the first full run.
  if (opts.quick) await validateEstimators(raw, resolveStudy(raw, { source }), source);
  else if (raw.quick) await validateEstimators(raw, resolveStudy(raw, { source, quick: true }), source);
  // A user sample is read (and its mapping checked) once, up front: a bad file stops the study with exit 2
  // instead of failing every toy.
  if (study.sample) await (await import('./userSample.js')).loadSample(study.sample);
  const shard = opts.shard ?? NO_SHARD;
  if (shard.count > study.toys)
    throw new UsageError('--shard', `${shard.index}/${shard.count}`, `at most as many shards as toys (${study.toys})`);
  const toys = shardToys(study.toys, shard);
  const dir = opts.out;
  checkOutputDir('--out', dir, 'a study output directory', (names) => names.includes(STUDY_FILE));
  const backend = await backendName(study);

  // 3. Take the directory: create it, lock it (one writer at a time), then compare with what it holds.
  const parents = makeParents(dir, dir);
  const lock = acquireDirLock(dir);
  try {
    const studyFile = join(dir, STUDY_FILE);
    let fresh = true;
    try {
      if (existsSync(studyFile)) {
        fresh = false;
        const prev = readRunJson<StudyRunInfo>(studyFile, 'study.json', ['study', 'shard']);
        checkFormatVersion('study', studyFile, prev);
        if (JSON.stringify(prev.study) !== JSON.stringify(study) || JSON.stringify(prev.shard) !== JSON.stringify(shard)) {
          throw new UsageError(
            '--out',
            dir,
            `a new directory, or one holding this same study and shard (it holds ${prev.study?.name}, shard ${JSON.stringify(prev.shard)})`,
          );
        }
      }
    } catch (err) {
      lock.release();
      if (fresh) parents.undo();
      throw err;
    }
    const info: StudyRunInfo = {
      study,
      shard,
      toySeeds: Object.fromEntries(toys.map((t) => [String(t), toySeed(study, t)])),
      version,
      gitCommit: gitCommit(),
      backend,
      node: process.version,
      // Relative to the working directory, so a committed run does not carry one machine's absolute path.
      source: relative(process.cwd(), source) || source,
    };
    writeFileAtomic(studyFile, `${JSON.stringify(withFormatVersion('study', info), null, 2)}\n`);

    // Reachable targets from a large independent sample (same for every shard: seeded from the study seed).
    // It runs alone, before the toys: all of the cores (or --threads) are its budget.
    const reference = await ensureReference(dir, study, generate, log, threadBudget(0, opts.threads));

    // 4–5. Run what is missing, appending each record as it finishes.
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
    // 6. Summary; a shard's criteria wait for the merge.
    const records = readToys(toysFile).records.filter((r) => toys.includes(r.toy));
    const summary = summarizeStudy(study, records, toys, studyExtras(study, reference, opts.noCalibration ? undefined : source), {
      judgeCriteria: shard.count === 1,
    });
    writeFileAtomic(join(dir, SUMMARY_FILE), `${JSON.stringify(withFormatVersion('summary', summary), null, 2)}\n`);
    if (opts.report) {
      const { writeStudyReport } = await import('./writeStudyReport.js');
      await writeStudyReport(dir);
    }
    return { summary, info };
  } finally {
    lock.release();
  }
}
