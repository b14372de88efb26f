/**
 * The study file's `plots` key decides the report's plots: a study naming a plot gets it (for the points and
 * estimators it names), one that omits it does not, the default applies when the key is absent, and the plots
 * are drawn from the summary alone (toys.jsonl removed before `qmisid report`). Bad plot entries are covered
 * by the bad-input suite (test/badInput/cases.ts, "plot …": exit 2 naming the key path and the value).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { defaultPlots } from '../../src/study/plots/defaultPlots.js';
import { resolvePlots } from '../../src/study/plots/resolvePlots.js';

const BASE = {
  name: 'plots',
  description: 'plots key fixture',
  seed: 11,
  toys: 1,
  events: 8000,
  binning: { eta: [0, 1.37, 2.47], pt: [25, 60, 1000] },
  reference: { scale: 1 },
  estimators: [
    { name: 'binned', kind: 'binned' },
    { name: 'truth', kind: 'truthMatched' },
  ],
};

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'qmisid-plots-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<number> {
  const code = await main(['node', 'qmisid', ...args]);
  process.exitCode = undefined;
  return code;
}

/** Run a study with the given `plots` key (undefined: none) and return its report's study-plot ids. */
async function plotIds(tag: string, plots: unknown): Promise<string[]> {
  const file = join(root, `${tag}.json`);
  writeFileSync(file, JSON.stringify({ ...BASE, ...(plots !== undefined ? { plots } : {}) }));
  const out = join(root, tag);
  expect(await cli('study', file, '--out', out)).toBe(0);
  const report = JSON.parse(readFileSync(join(out, 'report', 'summary.json'), 'utf8')) as { plots: { id: string }[] };
  return report.plots.map((p) => p.id).filter((id) => !id.startsWith('verdict-'));
}

describe('the plots key', () => {
  it('a study naming a plot gets it, for the estimators it names; one that omits it does not', async () => {
    const named = await plotIds('named', ['massSpectra', { plot: 'ratioMap', estimators: ['truth'] }]);
    expect(named).toEqual(['mass-spectra', 'ratio-map-truth']);
    const other = await plotIds('other', ['identifiability', { plot: 'closure', estimators: ['binned'], variables: ['m_ee'] }]);
    expect(other).toEqual(['identifiability', 'closure-binned-mee']);
    expect(other).not.toContain('mass-spectra');
  }, 120_000);

  it('without the key a one-point study gets the default closure plots, drawn from the summary alone', async () => {
    const ids = await plotIds('default', undefined);
    // The default for one point and one toy (defaultPlots): no network, so no loss curves.
    expect(ids).toEqual([
      'eps-vs-pt',
      'eps-vs-abseta',
      'ratio-map-binned',
      'ratio-map-truth',
      'mass-spectra',
      'closure-binned-pt',
      'closure-binned-eta',
      'closure-binned-mee',
      'closure-truth-pt',
      'closure-truth-eta',
      'closure-truth-mee',
      'identifiability',
    ]);
    // The report rebuilt with the toy records emptied: the same plots (they read study.json and summary.json only).
    const run = join(root, 'default');
    writeFileSync(join(run, 'toys.jsonl'), '');
    rmSync(join(run, 'report'), { recursive: true });
    expect(await cli('report', run)).toBe(0);
    const again = JSON.parse(readFileSync(join(run, 'report', 'summary.json'), 'utf8')) as { plots: { id: string }[] };
    expect(again.plots.map((p) => p.id).filter((id) => !id.startsWith('verdict-'))).toEqual(ids);
  }, 120_000);
});

describe('defaultPlots and resolvePlots', () => {
  const points = (...labels: string[]) => labels.map((label) => ({ label }));
  it('picks by shape: closure plots for one point, scans for several, pulls and coverage from five toys', () => {
    expect(defaultPlots(points('a'), 1)).toEqual([
      'epsVsPt',
      'epsVsAbsEta',
      'ratioMap',
      'massSpectra',
      'closure',
      'loss',
      'identifiability',
    ]);
    expect(defaultPlots(points('a', 'b', 'c'), 5)).toEqual([
      'biasScan',
      'biasOverSigmaScan',
      { plot: 'massSpectra', points: ['a', 'c'] },
      'pulls',
      'coverage',
    ]);
  });
  it('resolves each entry to the points that run (a point --quick drops is dropped)', () => {
    expect(resolvePlots(['pulls', { plot: 'massSpectra', points: ['b', 'z'], estimators: ['x'] }], points('a', 'b'), 1)).toEqual([
      { plot: 'pulls', points: ['a', 'b'] },
      { plot: 'massSpectra', points: ['b'], estimators: ['x'] },
    ]);
  });
});
