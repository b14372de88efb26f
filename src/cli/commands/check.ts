/**
 * `qmisid check (--estimator KIND [--options JSON] | --module FILE) [--quick] [--seed N] [--only a,b]
 *  [--replay PATH] [--flip-closure] [--junit FILE] [--json FILE] [--out DIR]`
 * Runs the estimator properties (src/check/) against one estimator; exit 0 when all pass, 1 when one fails
 * (the seed and a replay command are printed), 2 on bad input.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UsageError } from '../../errors.js';

interface CheckFlags {
  estimator?: string;
  module?: string;
  options?: string;
  quick?: boolean;
  seed?: string;
  only?: string;
  replay?: string;
  flipClosure?: boolean;
  junit?: string;
  json?: string;
  out?: string;
}

function parseOptions(v: string | undefined): Record<string, unknown> {
  if (v == null) return {};
  let text = v;
  if (v.startsWith('@')) {
    try {
      text = readFileSync(v.slice(1), 'utf8');
    } catch {
      throw new UsageError('--options', v, 'inline JSON or @FILE naming a readable JSON file');
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('--options', v, 'a JSON object (inline or @FILE)');
  }
  if (parsed == null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError('--options', v, 'a JSON object');
  return parsed as Record<string, unknown>;
}

function parseSeed(v: string | undefined): number | undefined {
  if (v == null) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 2 ** 31 - 1) throw new UsageError('--seed', v, 'an integer from 0 to 2147483647');
  return Number(v);
}

export function register(program: Command): void {
  program
    .command('check')
    .description(
      'run the estimator properties (recovery, branch, identifiability, invariance, pulls, flip-loss stress) against an estimator',
    )
    .option('--estimator <kind>', 'a built-in estimator kind (binned, binnedFolded, truthMatched, phi, oracle)')
    .option('--options <json>', 'the estimator options, inline JSON or @FILE (the same options as in a study file)')
    .option('--module <file>', 'a JavaScript module whose default export is an estimator function')
    .option('--quick', 'CI sizes (minutes); without it the full sizes for a release')
    .option('--seed <n>', 'root seed (printed; the same seed reproduces every sample and call)')
    .option('--only <names>', 'comma-separated property names to run')
    .option('--replay <path>', 'fast-check path of a failure to replay (with --seed and --only NAME)')
    .option('--flip-closure', 'judge the flip-loss stress case (for estimators that model the flip response)')
    .option('--junit <file>', 'write JUnit XML (GitLab CI, GitHub Actions)')
    .option('--json <file>', 'write the JSON summary')
    .option('--out <dir>', 'write a report directory (summary.json, junit.xml, index.html)')
    .action(async (o: CheckFlags) => {
      const { loadCheckTarget } = await import('../../check/loadCheckTarget.js');
      const { runCheck, replayCommand } = await import('../../check/runCheck.js');
      const { PROPERTY_NAMES } = await import('../../check/properties/index.js');
      const { junitXml } = await import('../../check/junit.js');
      const { writeCheckReport } = await import('../../check/checkReport.js');
      const { writeFileAtomic } = await import('../../io/atomic.js');
      const seed = parseSeed(o.seed);
      const only = o.only?.split(',').map((s) => s.trim());
      for (const n of only ?? [])
        if (!PROPERTY_NAMES.includes(n)) throw new UsageError('--only', o.only!, `property names from ${PROPERTY_NAMES.join(', ')}`);
      if (o.replay != null && (only?.length !== 1 || seed == null))
        throw new UsageError('--replay', o.replay, 'used with --seed N and --only NAME (one property), as printed by a failed check');
      const options = parseOptions(o.options);
      const target = await loadCheckTarget({
        ...(o.estimator != null ? { kind: o.estimator } : {}),
        ...(o.module != null ? { module: o.module } : {}),
        options,
      });
      const flags = [
        o.estimator != null ? `--estimator ${o.estimator}` : `--module ${o.module}`,
        o.options != null ? `--options '${o.options}'` : '',
        o.flipClosure ? '--flip-closure' : '',
      ]
        .filter((s) => s)
        .join(' ');
      const summary = await runCheck(target, {
        preset: o.quick ? 'quick' : 'full',
        ...(seed != null ? { seed } : {}),
        ...(only ? { only } : {}),
        ...(o.replay != null ? { path: o.replay } : {}),
        expectFlipClosure: o.flipClosure === true,
        log: (l) => process.stderr.write(`${l}\n`),
      });
      if (o.junit) writeFileAtomic(o.junit, junitXml(summary, flags));
      if (o.json) writeFileAtomic(o.json, `${JSON.stringify(summary, null, 2)}\n`);
      if (o.out) await writeCheckReport(o.out, summary, flags);
      const lines = [
        `qmisid check ${summary.estimator}: ${summary.passed ? 'PASSED' : 'FAILED'} (seed ${summary.seed}, ${summary.preset})`,
      ];
      for (const p of summary.properties) {
        lines.push(`  ${p.status.padEnd(7)} ${p.property}: ${p.summary}`);
        if (p.status === 'failed') {
          lines.push(`          ${p.message ?? ''}`);
          lines.push(`          replay: ${replayCommand(flags, summary, p)}`);
        }
      }
      lines.push(`false-alarm probability of a correct estimator (all properties): ${summary.falseAlarm.toExponential(1)}`);
      process.stdout.write(`${lines.join('\n')}\n`);
      if (!summary.passed) process.exitCode = 1;
    });
}
