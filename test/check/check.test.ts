/**
 * `qmisid check` as a user's CI runs it: a correct estimator passes every property at the default seed and
 * writes JUnit XML, a JSON summary and a report; each deliberately broken estimator (wrong label sign, mirror
 * branch, +20 % in one detector region: test/check/fixtures/) fails at least one property with a message that
 * names it, and the printed replay command reproduces the failure; the external-protocol Node example passes;
 * bad flags exit 2.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..', '..');
const bin = join(repo, 'bin', 'qmisid.js');
const fixture = (name: string) => join('test', 'check', 'fixtures', `${name}.js`);

function qmisid(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repo, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('qmisid check', () => {
  it('passes the binned fit on every property and writes JUnit, JSON and a report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-check-'));
    const r = qmisid([
      'check',
      '--estimator',
      'binned',
      '--quick',
      '--junit',
      join(dir, 'junit.xml'),
      '--json',
      join(dir, 's.json'),
      '--out',
      join(dir, 'report'),
    ]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^qmisid check binned: PASSED \(seed 20261130, quick\)/);
    const summary = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expect(summary.properties.map((p: { property: string }) => p.property)).toEqual([
      'physicalBranch',
      'recovery',
      'identifiability',
      'invariance',
      'pulls',
      'flipLoss',
    ]);
    expect(summary.properties.every((p: { status: string }) => p.status === 'passed')).toBe(true);
    // The budget is stated: the union of the per-property false-alarm rates.
    expect(summary.falseAlarm).toBeGreaterThan(0);
    expect(summary.falseAlarm).toBeLessThan(0.01);
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/<testsuites[^>]*tests="6"[^>]*failures="0"/);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(6);
    expect(readFileSync(join(dir, 'report', 'index.html'), 'utf8')).toContain('PASSED');
    expect(JSON.parse(readFileSync(join(dir, 'report', 'summary.json'), 'utf8')).passed).toBe(true);
  });

  it.each([
    ['wrongSign', 'recovery', /status 'notConverged'/],
    ['mirror', 'physicalBranch', /≥ ½ where the truth is .* \(mirror branch/],
    ['regionBias', 'recovery', /\|η\| row 1\.52–2(\.0)?: .* pull together/],
  ])('fails the broken estimator %s on property %s, and the replay command reproduces it', (name, property, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-check-'));
    const r = qmisid([
      'check',
      '--module',
      fixture(name),
      '--quick',
      '--only',
      'physicalBranch,recovery',
      '--junit',
      join(dir, 'junit.xml'),
    ]);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/FAILED \(seed 20261130, quick\)/);
    expect(r.stdout).toMatch(new RegExp(`failed\\s+${property}:`));
    expect(r.stdout).toMatch(message);
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(xml).toMatch(new RegExp(`<testcase [^>]*name="${property}"[^>]*>\\s*<failure`));
    // The printed replay command runs that property alone from the failing case, and fails the same way.
    const replay = new RegExp(`replay: qmisid check (--module \\S+ --seed \\d+ --quick --only ${property}(?: --replay \\S+)?)`).exec(
      r.stdout,
    );
    expect(replay, r.stdout).not.toBeNull();
    const again = qmisid(['check', ...replay![1]!.split(' ')]);
    expect(again.status, again.stdout + again.stderr).toBe(1);
    expect(again.stdout).toMatch(message);
  });

  it('passes the external-protocol Node example (studies/estimators/binned_fit.mjs) run as `--estimator external`', () => {
    const options = JSON.stringify({ command: ['node', join(repo, 'studies', 'estimators', 'binned_fit.mjs')], timeoutSeconds: 300 });
    const r = qmisid([
      'check',
      '--estimator',
      'external',
      '--options',
      options,
      '--quick',
      '--only',
      'physicalBranch,recovery,identifiability',
    ]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/passed\s+identifiability: connected: status ok, unflagged; bipartite: flagged/);
  });

  it.each([
    [['check', '--estimator', 'nope', '--quick'], /--estimator "nope"/],
    [['check', '--quick'], /exactly one of --estimator KIND or --module FILE/],
    [['check', '--module', 'missing.js'], /--module "missing\.js"/],
    [['check', '--estimator', 'binned', '--only', 'recovery', '--replay', '0'], /--replay "0": used with --seed N and --only NAME/],
    [['check', '--estimator', 'binned', '--only', 'recovry'], /--only "recovry"/],
    [['check', '--estimator', 'binned', '--seed', '-3'], /--seed "-3"/],
    [['check', '--estimator', 'binned', '--options', '{bad'], /--options "\{bad"/],
  ])('bad input %j exits 2 naming the flag and value, and writes nothing', (args, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'qmisid-check-'));
    const r = qmisid([...args, '--out', join(dir, 'report')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'report'))).toBe(false);
  });
});
