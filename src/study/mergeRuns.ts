/**
 * `qmisid merge DIR… --out DIR`: put the shards of one study back together. Every input must hold the same
 * resolved study; records are pooled, a toy present in two inputs must be byte-identical there (it is, when
 * both ran it from the same seed), and the output holds them sorted by toy index with a fresh summary — the
 * same records and summary as the unsharded run.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError, UsageError } from '../errors.js';
import { makeParents, writeFileAtomic } from '../io/atomic.js';
import { acquireDirLock } from '../io/dirLock.js';
import { checkOutputDir } from '../io/outputPath.js';
import { readRunJson } from './readRunFile.js';
import { checkFormatVersion, withFormatVersion } from '../io/formatVersion.js';
import { STUDY_FILE, SUMMARY_FILE, TOYS_FILE, type StudyRunInfo } from './studyRunFiles.js';
import type { Shard } from './shard.js';
import { summarizeStudy, type StudySummary } from './summarizeStudy.js';
import type { ToyRecord } from './toyRecord.js';
import { readToys, toysJsonl } from './toyStore.js';
import { readReference, REFERENCE_FILE, studyExtras } from './verdict/studyExtras.js';

/**
 * Everything is read and checked first; only then is `out` created (checked writable up front), locked, and
 * its three files written atomically. Criteria are judged here, on the merged records.
 */
export function mergeRuns(dirs: readonly string[], out: string): StudySummary {
  if (dirs.length === 0) throw new UsageError('DIR', dirs, 'at least one study output directory');
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError('DIR', dir, 'an existing study output directory');
    if (resolve(dir) === resolve(out)) throw new UsageError('--out', out, 'a directory other than the inputs');
  }
  checkOutputDir('--out', out, 'a study output directory', (names) => names.includes(STUDY_FILE));
  let first: StudyRunInfo | undefined;
  const shards: Shard[] = [];
  const byToy = new Map<number, { rec: ToyRecord; line: string; dir: string }>();
  for (const dir of dirs) {
    const file = join(dir, STUDY_FILE);
    if (!existsSync(file)) throw new UsageError('DIR', dir, `a study output directory (no ${STUDY_FILE})`);
    const info = readRunJson<StudyRunInfo>(file, 'study.json', ['study', 'shard']);
    checkFormatVersion('study', file, info);
    if (!first) first = info;
    else if (JSON.stringify(info.study) !== JSON.stringify(first.study)) {
      throw new DataError(
        file,
        'study',
        `holds a different resolved study from ${dirs[0]} (name ${info.study.name}, seed ${info.study.seed})`,
      );
    }
    if ('merged' in info.shard) shards.push(...info.shard.merged);
    else shards.push(info.shard);
    for (const rec of readToys(join(dir, TOYS_FILE)).records) {
      const line = JSON.stringify(rec);
      const prev = byToy.get(rec.toy);
      if (prev && prev.line !== line)
        throw new DataError(join(dir, TOYS_FILE), 'toy', `toy ${rec.toy} differs from the copy in ${prev.dir}`, rec.toy);
      if (!prev) byToy.set(rec.toy, { rec, line, dir });
    }
  }
  const records = [...byToy.values()].map((v) => v.rec).sort((a, b) => a.toy - b.toy);
  const study = first!.study;
  const toySeeds: Record<string, string> = {};
  for (const r of records) toySeeds[String(r.toy)] = r.seed;
  const info: StudyRunInfo = { ...first!, shard: { merged: shards }, toySeeds };
  // Every shard made the same reference (seeded from the study seed); take the first one that matches.
  const reference = dirs.map((d) => readReference(d, study)).find((r) => r != null);
  const summary = summarizeStudy(
    study,
    records,
    undefined,
    studyExtras(study, reference, existsSync(resolve(first!.source)) ? resolve(first!.source) : undefined),
  );
  const parents = makeParents(out, out);
  let lock;
  try {
    lock = acquireDirLock(out);
  } catch (err) {
    parents.undo();
    throw err;
  }
  try {
    if (reference) writeFileAtomic(join(out, REFERENCE_FILE), `${JSON.stringify(reference)}\n`);
    writeFileAtomic(join(out, STUDY_FILE), `${JSON.stringify(withFormatVersion('study', info), null, 2)}\n`);
    writeFileAtomic(join(out, TOYS_FILE), toysJsonl(records));
    writeFileAtomic(join(out, SUMMARY_FILE), `${JSON.stringify(withFormatVersion('summary', summary), null, 2)}\n`);
  } finally {
    lock.release();
  }
  return summary;
}
