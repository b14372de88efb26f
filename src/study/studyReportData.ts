/**
 * Everything a report needs from a study output directory, read back from its three files: the run info
 * (resolved study, seeds, version, backend), the per-toy records sorted by toy index, and the summary.
 */
import { join } from 'node:path';
import { readRunJson } from './readRunFile.js';
import { checkFormatVersion } from '../io/formatVersion.js';
import { STUDY_FILE, SUMMARY_FILE, TOYS_FILE, type StudyRunInfo } from './studyRunFiles.js';
import type { StudySummary } from './summarizeStudy.js';
import type { ToyRecord } from './toyRecord.js';
import { readToys } from './toyStore.js';

export interface StudyReportData {
  info: StudyRunInfo;
  summary: StudySummary;
  records: ToyRecord[];
}

export function studyReportData(dir: string): StudyReportData {
  const info = readRunJson<StudyRunInfo>(join(dir, STUDY_FILE), 'study.json', ['study', 'shard', 'toySeeds']);
  const summary = readRunJson<StudySummary>(join(dir, SUMMARY_FILE), 'summary.json', ['study', 'toys', 'points', 'criteria']);
  checkFormatVersion('study', join(dir, STUDY_FILE), info);
  checkFormatVersion('summary', join(dir, SUMMARY_FILE), summary);
  const records = readToys(join(dir, TOYS_FILE)).records.sort((a, b) => a.toy - b.toy);
  return { info, summary, records };
}
