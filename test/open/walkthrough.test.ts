/**
 * docs/open-bench.md's walkthroughs, run as documented: every ```sh block preceded by
 * `<!-- walkthrough: NAME -->` is executed in order with bash (set -euo pipefail) in a scratch directory that
 * sees this repository's docs/ and studies/, `qmisid` being the built CLI. Then the outputs are checked: the
 * foreign-named sample went through fit, train, apply, a study, both exports and the ONNX apply with one
 * mapping file; the Node estimator's study passed its criteria.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEvents } from '../../src/io/eventsFile.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DOC = readFileSync(join(ROOT, 'docs/open-bench.md'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'qmisid-walk-'));
symlinkSync(join(ROOT, 'docs'), join(work, 'docs'));
symlinkSync(join(ROOT, 'studies'), join(work, 'studies'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function blocks(name: string): string[] {
  const re = new RegExp(`<!-- walkthrough: ${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\``, 'g');
  return [...DOC.matchAll(re)].map((m) => m[1]!);
}

function run(name: string): void {
  const script = [`set -euo pipefail`, `qmisid() { node ${JSON.stringify(join(ROOT, 'bin/qmisid.js'))} "$@"; }`, ...blocks(name)].join(
    '\n',
  );
  execFileSync('bash', ['-c', script], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], timeout: 540_000 });
}

describe('docs/open-bench.md walkthroughs', () => {
  it('has both walkthroughs', () => {
    expect(blocks('sample').length).toBe(3);
    expect(blocks('trainer').length).toBe(1);
  });

  it('use the bench on your own sample: fit, train, apply, study, exports, ONNX apply on the foreign ntuple', async () => {
    run('sample');
    const header = readFileSync(join(work, 'ntuple.csv'), 'utf8').split('\n')[0]!;
    expect(header).toBe('el1_pt,el1_eta,el1_phi,el1_charge,el2_pt,el2_eta,el2_phi,el2_charge,mll,weight,el1_truth_flip,el2_truth_flip');
    const fit = JSON.parse(readFileSync(join(work, 'fit.json'), 'utf8'));
    expect(fit.status).toBe('converged');
    expect(fit.columnMap.derived).toEqual(['sc', 'region']);
    // The fit on the mapped ntuple is the fit on the generated file it came from.
    execFileSync(
      'node',
      [
        join(ROOT, 'bin/qmisid.js'),
        'fit',
        '--input',
        'mc.csv',
        '--out',
        'fit-mc.json',
        '--bins-eta',
        '0,1.37,2.47',
        '--bins-pt',
        '25,60,1000',
      ],
      { cwd: work, stdio: 'ignore' },
    );
    expect(fit.eps).toEqual(JSON.parse(readFileSync(join(work, 'fit-mc.json'), 'utf8')).eps);
    const summary = JSON.parse(readFileSync(join(work, 'my-mc', 'summary.json'), 'utf8'));
    expect(summary.pass).toBe(true);
    for (const f of ['eps-fit.corr.json', 'eps-fit.csv', 'eps-phi.corr.json', 'eps-phi.csv', 'phi.onnx'])
      expect(existsSync(join(work, f)), f).toBe(true);
    const a = (await readEvents(join(work, 'applied.parquet'))).table.columns;
    const b = (await readEvents(join(work, 'applied-onnx.parquet'))).table.columns;
    for (let i = 0; i < a.eps1!.length; i += 97) expect(Math.abs(b.eps1![i]! - a.eps1![i]!) / a.eps1![i]!).toBeLessThan(2e-5);
  }, 600_000);

  it('test your own trainer: the Node estimator study runs and passes', () => {
    run('trainer');
    const summary = JSON.parse(readFileSync(join(work, 'node-run', 'summary.json'), 'utf8'));
    expect(summary.pass).toBe(true);
    expect(summary.points[0].estimators.nodeFit.metrics.failureRate).toBe(0);
  }, 300_000);
});
