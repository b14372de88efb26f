/**
 * The Slurm recipe of docs/studies.md, run for real: a one-node Slurm cluster on localhost (scripts/slurm/local-cluster.sh),
 * a study's shards as a job array and the merge as a dependent job (scripts/slurm/submit-study.sh), and the
 * merged result compared byte for byte with the serial run.
 *
 * Needs root and Debian's slurm-wlm + munge; .ci/run installs them, so in CI their absence is a failure. Elsewhere
 * the test is skipped with a message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runStudy } from '../../src/study/runStudy.js';

const repo = resolve(import.meta.dirname, '..', '..');
const scripts = join(repo, 'scripts', 'slurm');
const haveSlurm = existsSync('/usr/sbin/slurmctld') && existsSync('/usr/sbin/munged') && process.getuid?.() === 0;
const inCi = process.env.CI === 'true';

if (!haveSlurm && !inCi) {
  console.warn('slurm.test.ts: skipped (needs root and Debian slurm-wlm + munge; .ci/run installs them)');
}

describe.skipIf(!haveSlurm && !inCi)('Slurm job array + dependent merge (one-node cluster on localhost)', () => {
  const root = mkdtempSync(join(tmpdir(), 'qmisid-slurm-'));
  const state = join(root, 'cluster');
  let env: NodeJS.ProcessEnv = process.env;

  beforeAll(() => {
    expect(haveSlurm, 'CI must install slurm-wlm and munge (see .ci/run) and run as root').toBe(true);
    const out = execFileSync(join(scripts, 'local-cluster.sh'), ['start', state], { encoding: 'utf8' });
    const conf = /SLURM_CONF=(\S+)/.exec(out)?.[1];
    expect(conf).toBeTruthy();
    env = { ...process.env, SLURM_CONF: conf, QMISID: `${process.execPath} ${join(repo, 'bin', 'qmisid.js')}` };
  });

  afterAll(() => {
    spawnSync(join(scripts, 'local-cluster.sh'), ['stop', state], { stdio: 'ignore' });
  });

  it('merges the shards into exactly the serial run, and a shard failure stops the merge', async () => {
    const study = join(root, 'tiny.json');
    writeFileSync(
      study,
      JSON.stringify({
        name: 'tiny',
        description: 'Slurm recipe test',
        seed: 11,
        toys: 5,
        events: 20000,
        binning: { eta: [0, 1.37, 2.47], pt: [25, 60, 1000] },
        estimators: [
          { name: 'binned', kind: 'binned' },
          { name: 'truth', kind: 'truthMatched' },
        ],
        criteria: [{ metric: 'failureRate', estimator: 'binned', op: '<=', threshold: 0 }],
      }),
    );
    const serial = join(root, 'serial');
    await runStudy(study, { out: serial });

    const batch = join(root, 'batch');
    const r = spawnSync(join(scripts, 'submit-study.sh'), ['--wait', study, batch, '3'], { cwd: root, env, encoding: 'utf8' });
    expect(r.status, `${r.stdout}\n${r.stderr}\n${readLog(join(batch, 'log', 'merge.out'))}`).toBe(0);
    expect(r.stdout).toMatch(/array job \d+ \(3 shards\)/);
    for (const f of ['toys.jsonl', 'summary.json']) {
      expect(readFileSync(join(batch, 'merged', f), 'utf8'), f).toBe(readFileSync(join(serial, f), 'utf8'));
    }
    expect(existsSync(join(batch, 'merged', 'report', 'index.html'))).toBe(true);

    // A shard that fails (an unreadable study) must keep the merge from running (afterok), and --wait says so.
    const broken = join(root, 'broken');
    const b = spawnSync(join(scripts, 'submit-study.sh'), ['--wait', join(root, 'missing.json'), broken, '2'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(b.status, `${b.stdout}\n${b.stderr}`).toBe(3);
    expect(b.stderr).toMatch(/merge job \d+ ended as 'CANCELLED' \(a shard failed/);
    expect(existsSync(join(broken, 'merged'))).toBe(false);
  });
});

function readLog(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '(no merge log)';
}
