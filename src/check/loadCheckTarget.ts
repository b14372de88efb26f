/**
 * What `qmisid check` tests: a built-in estimator kind with its options (the same kinds and options a study
 * uses), or a JavaScript module of the user's whose default export (or export `estimator`) is an estimator
 * function with the study's signature `(table, ctx) => Promise<EstimatorResult>` (src/study/estimators/Estimator.ts).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import { estimatorFor } from '../study/estimatorFor.js';
import type { Estimator } from '../study/estimators/Estimator.js';
import { ESTIMATOR_KINDS, type EstimatorKind } from '../study/studySchema.js';
import type { CheckTarget } from './property.js';

export interface TargetSpec {
  kind?: string;
  module?: string;
  options?: Record<string, unknown>;
}

export async function loadCheckTarget(spec: TargetSpec): Promise<CheckTarget> {
  const options = spec.options ?? {};
  if ((spec.kind == null) === (spec.module == null))
    throw new UsageError('--estimator/--module', spec.kind ?? spec.module ?? '', 'exactly one of --estimator KIND or --module FILE');
  if (spec.kind != null) {
    if (!(ESTIMATOR_KINDS as readonly string[]).includes(spec.kind))
      throw new UsageError('--estimator', spec.kind, `one of ${ESTIMATOR_KINDS.join(', ')}`);
    return { name: spec.kind, estimator: await estimatorFor(spec.kind as EstimatorKind), options };
  }
  const path = resolve(spec.module!);
  if (!existsSync(path)) throw new UsageError('--module', spec.module!, 'an existing JavaScript module file');
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(
      '--module',
      spec.module!,
      `a module that loads (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
    );
  }
  const fn = (typeof mod.default === 'function' ? mod.default : mod.estimator) as Estimator | undefined;
  if (typeof fn !== 'function')
    throw new UsageError(
      '--module',
      spec.module!,
      'a module whose default export (or export `estimator`) is an estimator function (table, ctx) => Promise<EstimatorResult>',
    );
  return { name: `module:${spec.module}`, estimator: fn, options };
}
