/**
 * `qmisid check`: run the estimator properties against one estimator with a fixed seed and a size preset, and
 * say for each whether it passed, with its false-alarm budget; a failure carries the comparison that failed,
 * the seed and fast-check's replay path, so one command reproduces it.
 */
import { QmisidError } from '../errors.js';
import type { CheckContext, CheckPreset, CheckTarget, PropertyDefinition, PropertyOutcome } from './property.js';
import { allProperties, type PropertyOptions } from './properties/index.js';

export interface CheckOptions extends PropertyOptions {
  preset?: CheckPreset;
  seed?: number;
  /** Run only these properties (names). */
  only?: readonly string[];
  /** Replay a failure: fast-check path for the (single) property named in `only`. */
  path?: string;
  log?: (line: string) => void;
}

export interface CheckSummary {
  estimator: string;
  preset: CheckPreset;
  seed: number;
  passed: boolean;
  /** Probability that a correct estimator fails at least one property (the union of the budgets). */
  falseAlarm: number;
  properties: PropertyOutcome[];
}

export const DEFAULT_CHECK_SEED = 20261130;

/** One property against one estimator. An estimator that throws fails the property with its message. */
export async function checkProperty(def: PropertyDefinition, ctx: CheckContext): Promise<PropertyOutcome> {
  const started = performance.now();
  let out: Omit<PropertyOutcome, 'property' | 'seconds' | 'seed'>;
  try {
    out = await def.run(ctx);
  } catch (err) {
    // Bad options are the user's to fix: stop. Anything else the estimator throws fails the property.
    if (err instanceof QmisidError && err.name === 'ConfigError') throw err;
    out = {
      status: 'failed',
      summary: 'the estimator threw',
      message: err instanceof Error ? err.message : String(err),
      checks: 0,
      falseAlarm: 0,
    };
  }
  return { property: def.name, ...out, seed: ctx.seed, seconds: Number(((performance.now() - started) / 1000).toFixed(2)) };
}

export async function runCheck(target: CheckTarget, opts: CheckOptions = {}): Promise<CheckSummary> {
  const preset = opts.preset ?? 'full';
  const seed = opts.seed ?? DEFAULT_CHECK_SEED;
  const log = opts.log ?? (() => {});
  const defs = allProperties(opts).filter((d) => !opts.only || opts.only.includes(d.name));
  const properties: PropertyOutcome[] = [];
  for (const def of defs) {
    log(`${def.name}: ${def.title}`);
    const ctx: CheckContext = { target, preset, seed, log, ...(opts.path ? { path: opts.path } : {}) };
    const o = await checkProperty(def, ctx);
    properties.push(o);
    log(`  ${o.status.toUpperCase()} ${o.summary} (${o.seconds} s)${o.message ? `\n  ${o.message}` : ''}`);
  }
  const falseAlarm = 1 - properties.reduce((p, o) => p * (1 - o.falseAlarm), 1);
  return { estimator: target.name, preset, seed, passed: properties.every((o) => o.status !== 'failed'), falseAlarm, properties };
}

/** The command that replays one failed property: same estimator flags, seed, preset and fast-check path. */
export function replayCommand(estimatorFlags: string, summary: CheckSummary, o: PropertyOutcome): string {
  const parts = [
    'qmisid check',
    estimatorFlags,
    `--seed ${summary.seed}`,
    summary.preset === 'quick' ? '--quick' : '',
    `--only ${o.property}`,
  ];
  if (o.path) parts.push(`--replay ${o.path}`);
  return parts.filter((p) => p !== '').join(' ');
}
