/**
 * Regenerate studies/study.schema.json from the zod schema: `npx tsx src/study/writeStudySchema.ts`.
 * test/study/studySchema.test.ts fails when the file on disk and the schema differ.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { studiesDir } from './loadStudy.js';
import { exportStudyJsonSchema } from './studySchema.js';

export function writeStudySchema(): string {
  const file = join(studiesDir(), 'study.schema.json');
  writeFileAtomic(file, `${JSON.stringify(exportStudyJsonSchema(), null, 2)}\n`);
  return file;
}

if (process.argv[1] != null && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) writeStudySchema();
