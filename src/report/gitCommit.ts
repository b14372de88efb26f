/**
 * The commit of the checkout a report was made from, so a reader can rebuild the exact code. Anything that
 * goes wrong (no git binary, not a checkout, no commits yet) gives "unknown" rather than failing the report.
 */
import { execFileSync } from 'node:child_process';

export function gitCommit(cwd: string = process.cwd()): string {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    return /^[0-9a-f]{40,64}$/.test(out) ? out : 'unknown';
  } catch {
    return 'unknown';
  }
}
