/**
 * Start a worker thread on a module that sits beside the caller.
 *
 * Installed, the bench runs compiled JavaScript from dist/ and the worker is a plain module. Under vitest
 * the caller is TypeScript source; Node 20 cannot load a .ts entry even with a loader flag, so the worker
 * boots from a one-line module that registers tsx first and then imports the source.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function startWorker(callerUrl: string, moduleBase: string, options: WorkerOptions = {}): Worker {
  const isSource = callerUrl.endsWith('.ts');
  const target = new URL(`./${moduleBase}${isSource ? '.ts' : '.js'}`, callerUrl);
  if (!isSource) return new Worker(target, options);
  const tsxApi = tsxEsmApi(callerUrl);
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(target.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

// The ESM entry of tsx's register API, read from its package exports (require.resolve would give the CJS one).
function tsxEsmApi(callerUrl: string): string {
  const pkgJson = createRequire(callerUrl).resolve('tsx/package.json');
  const exp = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports: Record<string, unknown> }).exports['./esm/api'];
  const rel = typeof exp === 'string' ? exp : ((exp as { import?: string | { default?: string } }).import ?? '');
  const file = typeof rel === 'string' ? rel : (rel.default ?? '');
  return pathToFileURL(join(dirname(pkgJson), file)).href;
}
