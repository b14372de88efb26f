/**
 * Rebuild a report directory from the report.json it holds (the input writeReport stored), e.g. after the
 * toolkit changed or the HTML was deleted: what `qmisid report DIR` calls. The recorded version and git
 * commit are those of the original run and are kept.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../errors.js';
import { checkFormatVersion } from '../io/formatVersion.js';
import { writeReport, type ReportManifest, type WriteReportOptions } from './writeReport.js';

export async function rebuildReport(dir: string, options: WriteReportOptions & { outDir?: string } = {}): Promise<ReportManifest> {
  const file = join(dir, 'report.json');
  if (!existsSync(file)) throw new DataError(file, undefined, 'no report.json: not a report directory written by qmisid-bench');
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DataError(file, undefined, `not valid JSON: ${(err as Error).message}`);
  }
  checkFormatVersion('report', file, value);
  // The version belongs to the file, not to the report schema (strict): drop it before parsing.
  const { formatVersion: _version, ...report } =
    value != null && typeof value === 'object' ? (value as Record<string, unknown>) : { formatVersion: undefined };
  const { outDir, ...rest } = options;
  return writeReport(outDir ?? dir, value != null && typeof value === 'object' ? report : value, rest);
}
