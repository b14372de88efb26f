/**
 * The check as JUnit XML (GitLab CI and GitHub Actions show it as a test report): one test suite per check,
 * one test case per property; failures carry the failed comparison, seed and replay command.
 */
import { createRequire } from 'node:module';
import type { Builder } from 'junit-report-builder';
import type { CheckSummary } from './runCheck.js';
import { replayCommand } from './runCheck.js';

export function junitXml(summary: CheckSummary, estimatorFlags: string): string {
  // A CommonJS package whose typings declare an ES default export that Node's ESM loader does not provide:
  // load it with require, typed by its own declarations.
  const b = (createRequire(import.meta.url)('junit-report-builder') as Builder).newBuilder();
  const suite = b
    .testSuite()
    .name(`qmisid check ${summary.estimator}`)
    .property('seed', String(summary.seed))
    .property('preset', summary.preset);
  for (const o of summary.properties) {
    const tc = suite
      .testCase()
      .className(`qmisid.check.${summary.estimator.replace(/[^A-Za-z0-9_-]+/g, '_')}`)
      .name(o.property)
      .time(o.seconds)
      .standardOutput(`${o.summary}\nchecks: ${o.checks}, false-alarm budget: ${o.falseAlarm.toExponential(1)}, seed: ${o.seed}`);
    if (o.status === 'failed')
      tc.failure(`${o.message ?? o.summary}\nreplay: ${replayCommand(estimatorFlags, summary, o)}`, 'PropertyFailed');
    else if (o.status === 'skipped') tc.skipped();
  }
  return b.build();
}
