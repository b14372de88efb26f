/**
 * Everything a report needs from a study output directory, read back from its three files: the run info
 * (resolved study, seeds, version, backend), the per-toy records sorted by toy index, and the summary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFormatVersion } from '../io/formatVersion.js';
import { STUDY_FILE, SUMMARY_FILE, TOYS_FILE, type StudyRunInfo } from './runStudy.js';
import type { StudySummary } from './summarizeStudy.js';
import type { ToyRecord } from './toyRecord.js';
import { readToys } from './toyStore.js';

export interface StudyReportData {
  info: StudyRunInfo;
  summary: StudySummary;
  records: ToyRecord[];
}

export function studyReportData(dir: string): StudyReportData {
  const info = JSON.parse(readFileSync(join(dir, STUDY_FILE), 'utf8')) as StudyRunInfo;
  checkFormatVersion('study', join(dir, STUDY_FILE), info);
  const summary = JSON.parse(readFileSync(join(dir, SUMMARY_FILE), 'utf8')) as StudySummary;
  checkFormatVersion('summary', join(dir, SUMMARY_FILE), summary);
  const records = readToys(join(dir, TOYS_FILE)).records.sort((a, b) => a.toy - b.toy);
  return { info, summary, records };
}
