/**
 * Every estimator's options of a resolved study, checked BEFORE the study writes anything: a typo in the
 * options of the third estimator (`epochz`) is an input error naming the study file and the key where the
 * value was written — `estimators.2.options.epochz`, or `scan.1.estimators.phi.epochz` /
 * `quick.estimators.phi.epochz` when a scan point or the quick block set it — not a failure of every toy
 * after the output directory was set up. Each kind's options are checked by the schema its adapter uses.
 */
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { zodConfigError } from '../config/zodConfigError.js';
import type { ResolvedStudy } from './resolveStudy.js';
import type { EstimatorKind, Study } from './studySchema.js';

/** Check one estimator's merged options; a ConfigError's path is relative to the options object. */
async function checkOptions(kind: EstimatorKind, options: Record<string, unknown>): Promise<void> {
  const zodCheck = (schema: z.ZodType, input: unknown): void => {
    const r = schema.safeParse(input);
    if (!r.success) throw zodConfigError(r.error, input);
  };
  switch (kind) {
    case 'binned':
      zodCheck((await import('./estimators/binned.js')).BinnedOptionsSchema, options);
      return;
    case 'binnedFolded':
      zodCheck((await import('./estimators/binnedFolded.js')).FoldedOptionsSchema, options);
      return;
    case 'truthMatched': {
      const keys = Object.keys(options);
      if (keys.length > 0) throw new ConfigError(keys[0]!, options[keys[0]!], 'unknown key: the truthMatched estimator takes no options');
      return;
    }
    case 'phi':
    case 'oracle': {
      const { tradeoffEtaSplit, ...trainer } = options;
      if (tradeoffEtaSplit !== undefined && !(typeof tradeoffEtaSplit === 'number' && tradeoffEtaSplit > 0)) {
        throw new ConfigError('tradeoffEtaSplit', tradeoffEtaSplit, 'a positive |eta|');
      }
      if ('seed' in trainer) throw new ConfigError('seed', trainer.seed, 'no seed: each toy derives the trainer seed from the study seed');
      zodCheck((await import('../train/config.js')).TrainConfigSchema, trainer);
      return;
    }
  }
}

function has(obj: unknown, key: string): boolean {
  return obj != null && typeof obj === 'object' && key in (obj as object);
}

/** Throws a ConfigError naming `source` and the study key path of the first bad option. */
export async function validateEstimators(raw: Study, study: ResolvedStudy, source: string): Promise<void> {
  for (const point of study.points) {
    const j = raw.scan.findIndex((s) => s.label === point.label);
    for (const e of point.estimators) {
      const i = raw.estimators.findIndex((x) => x.name === e.name);
      try {
        await checkOptions(e.kind, e.options);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        const key = err.path.split('.')[0] ?? '';
        // The last layer that set the key is where the user must fix it (quick > scan point > estimator).
        const where = has(raw.quick?.estimators?.[e.name], key)
          ? `quick.estimators.${e.name}`
          : has(raw.scan[j]?.estimators[e.name], key)
            ? `scan.${j}.estimators.${e.name}`
            : `estimators.${i}.options`;
        throw new ConfigError(
          `${where}${err.path ? `.${err.path}` : ''}`,
          err.value,
          `${err.expected} (estimator ${e.name}, kind ${e.kind})`,
          source,
        );
      }
    }
  }
}
