/**
 * Run an external estimator's command: argv as given plus the manifest path, in `cwd`, with QMISID_MANIFEST
 * set, a timeout (SIGKILL of the process group when it expires) and stderr captured (the last 4 kB are kept
 * for the failure message). Never throws for the program's own failures: the caller decides.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  stderr: string;
  /** Could not start at all (ENOENT, EACCES). */
  spawnError?: string;
}

const KEEP = 4096;

export function runCommand(
  argv: readonly string[],
  opts: { cwd: string; manifestPath: string; timeoutMs: number; env?: Record<string, string> },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv;
    let stderr = '';
    let timedOut = false;
    const child = spawn(cmd!, [...args, opts.manifestPath], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env, QMISID_MANIFEST: opts.manifestPath },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr = (stderr + d).slice(-KEEP);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        // The whole group: a shell wrapper's children die with it.
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, timedOut: false, stderr, spawnError: err.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stderr });
    });
  });
}
