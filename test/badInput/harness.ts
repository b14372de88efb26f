/**
 * Run the CLI in-process: `main(argv)` from src/cli/main.ts with stdout and stderr captured, so two hundred
 * bad inputs cost milliseconds each instead of a node start-up each. A handful of cases in
 * spawned.test.ts run the real bin/qmisid.js to prove the process exit codes.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: readonly string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: unknown) => {
    out.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => {
    err.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(['node', 'qmisid', ...args]);
  } catch (e) {
    // A non-input error escaping main is what bin/qmisid.js prints with its stack: record it as such.
    code = -1;
    err.push(`UNCAUGHT ${(e as Error)?.stack ?? String(e)}`);
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    process.exitCode = undefined;
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Every entry below `dir` (files and directories, hidden ones included), relative, sorted; [] if absent. */
export function snapshot(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = statSync(p);
      out.push(`${r}${st.isDirectory() ? '/' : ` ${st.size}`}`);
      if (st.isDirectory()) walk(p, r);
    }
  };
  walk(dir, '');
  return out;
}

/** The value as the CLI's messages show it (errors.ts `show`): strings JSON-quoted. */
export const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));
