/**
 * Regenerates the measured-figures block of docs/results.md from committed JSON.
 *   npx tsx scripts/render-docs.ts           rewrite docs/results.md
 *   npx tsx scripts/render-docs.ts --check   exit 1 when docs/results.md is stale (nothing written)
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderResultsPage } from '../src/docs/renderResults.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const page = join(root, 'docs', 'results.md');
const before = readFileSync(page, 'utf8');
const after = renderResultsPage(before, root);
if (process.argv.includes('--check')) {
  if (after !== before) {
    process.stderr.write('docs/results.md is stale: run npx tsx scripts/render-docs.ts\n');
    process.exit(1);
  }
  process.stdout.write('docs/results.md is up to date\n');
} else if (after !== before) {
  writeFileSync(`${page}.tmp-render`, after);
  renameSync(`${page}.tmp-render`, page);
  process.stdout.write('docs/results.md rewritten\n');
}
