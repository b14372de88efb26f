/**
 * `qmisid merge DIR… --out DIR`: put the shards of one study back together. Every input must hold the same
 * resolved study; records are pooled, a toy present in two inputs must be byte-identical there (it is, when
 * both ran it from the same seed), and the output holds them sorted by toy index with a fresh summary — the
 * same records and summary as the unsharded run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { checkFormatVersion, withFormatVersion } from '../io/formatVersion.js';
import { STUDY_FILE, SUMMARY_FILE, TOYS_FILE, type StudyRunInfo } from './runStudy.js';
import type { Shard } from './shard.js';
import { summarizeStudy, type StudySummary } from './summarizeStudy.js';
import type { ToyRecord } from './toyRecord.js';
import { readToys, toysJsonl } from './toyStore.js';

export function mergeRuns(dirs: readonly string[], out: string): StudySummary {
  if (dirs.length === 0) throw new UsageError('DIR', dirs, 'at least one study output directory');
  let first: StudyRunInfo | undefined;
  const shards: Shard[] = [];
  const byToy = new Map<number, { rec: ToyRecord; line: string; dir: string }>();
  for (const dir of dirs) {
    const file = join(dir, STUDY_FILE);
    if (!existsSync(file)) throw new UsageError('DIR', dir, `a study output directory (no ${STUDY_FILE})`);
    const info = JSON.parse(readFileSync(file, 'utf8')) as StudyRunInfo;
    checkFormatVersion('study', file, info);
    if (!first) first = info;
    else if (JSON.stringify(info.study) !== JSON.stringify(first.study)) {
      throw new DataError(file, 'study', `holds a different resolved study from ${dirs[0]} (name ${info.study.name}, seed ${info.study.seed})`);
    }
    if ('merged' in info.shard) shards.push(...info.shard.merged);
    else shards.push(info.shard);
    for (const rec of readToys(join(dir, TOYS_FILE)).records) {
      const line = JSON.stringify(rec);
      const prev = byToy.get(rec.toy);
      if (prev && prev.line !== line) throw new DataError(join(dir, TOYS_FILE), 'toy', `toy ${rec.toy} differs from the copy in ${prev.dir}`, rec.toy);
      if (!prev) byToy.set(rec.toy, { rec, line, dir });
    }
  }
  const records = [...byToy.values()].map((v) => v.rec).sort((a, b) => a.toy - b.toy);
  const study = first!.study;
  const toySeeds: Record<string, string> = {};
  for (const r of records) toySeeds[String(r.toy)] = r.seed;
  const info: StudyRunInfo = { ...first!, shard: { merged: shards }, toySeeds };
  const summary = summarizeStudy(study, records);
  writeFileAtomic(join(out, STUDY_FILE), `${JSON.stringify(withFormatVersion('study', info), null, 2)}\n`);
  writeFileAtomic(join(out, TOYS_FILE), toysJsonl(records));
  writeFileAtomic(join(out, SUMMARY_FILE), `${JSON.stringify(withFormatVersion('summary', summary), null, 2)}\n`);
  return summary;
}
