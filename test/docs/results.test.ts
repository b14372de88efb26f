/**
 * docs/results.md carries no hand-typed figures: its generated block must equal what src/docs/renderResults.ts
 * renders from the committed JSON (regenerate: npx tsx scripts/render-docs.ts).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  RESULTS_BEGIN,
  RESULTS_END,
  renderBench,
  renderCalibrations,
  renderResultsPage,
  renderStudy,
} from '../../src/docs/renderResults.js';

const root = join(import.meta.dirname, '..', '..');

describe('docs/results.md', () => {
  it('is up to date with reports/bench/*.json and reports/example/summary.json', () => {
    const page = readFileSync(join(root, 'docs', 'results.md'), 'utf8');
    expect(page).toContain(RESULTS_BEGIN);
    expect(page).toContain(RESULTS_END);
    expect(renderResultsPage(page, root)).toBe(page);
  });

  it('the calibration overview reads each file against its study file now: weak, FAILED, missing and stale criteria show', () => {
    // A copy of the shipped verdicts study with its quick calibration edited: one criterion weak (3 verdicts),
    // one failed, one removed (no rate), one key no criterion has (stale).
    const tmp = mkdtempSync(join(tmpdir(), 'qmisid-calrender-'));
    try {
      mkdirSync(join(tmp, 'studies', 'calibration'), { recursive: true });
      cpSync(join(root, 'studies', 'verdicts.json'), join(tmp, 'studies', 'verdicts.json'));
      const cal = JSON.parse(readFileSync(join(root, 'studies', 'calibration', 'verdicts.quick.json'), 'utf8'));
      const clean = renderCalibrations(join(root));
      expect(clean).toMatch(/\| `verdicts` \| quick \| 150 \(30 × 5\) \| 5 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \|/);
      cal.criteria[1].calibration = { ...cal.criteria[1].calibration, failures: 0, groups: 3, rate: 0, rateLo: 0, rateHi: 0.459 };
      cal.criteria[2].calibration = { ...cal.criteria[2].calibration, failures: 20, groups: 30, rate: 0.67, rateLo: 0.57, rateHi: 0.75 };
      cal.criteria.splice(3, 1);
      cal.criteria.push({ ...cal.criteria[0], key: 'biasP(binned)@default > 0.05' });
      // The file's other sizes are left out of this copy: only the edited one is rendered.
      writeFileSync(join(tmp, 'studies', 'calibration', 'verdicts.quick.json'), JSON.stringify(cal));
      const md = renderCalibrations(tmp);
      expect(md).toMatch(/\| `verdicts` \| quick \| 150 \(30 × 5\) \| 2 \| 0 \| 1 \| \*\*1\*\* \| 0 \| 1 \| \*\*1\*\* \|/);
      expect(md).toContain('| `verdicts` quick | biasP(binned)@default > 0.01 | calibrated, weakly (3 verdicts: 68 % upper bound 46 %) |');
      expect(md).toContain('| `verdicts` quick | biasP(truth)@default > 0.01 | FAILED CALIBRATION |');
      expect(md).toContain('| `verdicts` quick | pooledBiasP(binned)@default > 0.01 | no rate: added since the calibration |');
      expect(md).toContain('| `verdicts` quick | biasP(binned)@default > 0.05 | stale: no criterion of the study file has this key now |');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('the rendered figures come from the JSON: changing a value changes the page', () => {
    const doc = JSON.parse(readFileSync(join(root, 'reports', 'bench', '2026-11-22.json'), 'utf8'));
    const a = renderBench('x.json', doc);
    doc.results['binned-fit'].speedRatioEndToEnd = 2.5;
    const b = renderBench('x.json', doc);
    expect(a).toContain('5.17×');
    expect(b).toContain('2.5×');
    expect(b).not.toContain('5.17×');
  });

  it('whole commands are judged against their floors: a peak above 300 MB or a time above 1/3 of the peer is FAIL', () => {
    const doc = JSON.parse(readFileSync(join(root, 'reports', 'bench', '2026-12-01-read-thread-commands.json'), 'utf8'));
    const a = renderBench('x.json', doc);
    expect(a).toContain('train 8.66 s / 230 MB');
    expect(a).not.toContain('FAIL');
    expect(a).not.toContain('not tabulated');
    doc.results.commands.rows[2].apply.peak_rss_mb = 300.5;
    doc.results['time-to-accuracy'].rows[0].reached.wall_s = 14;
    const b = renderBench('x.json', doc);
    expect(b).toMatch(/from csv .*peak ≤ 300 MB \(FAIL\)/);
    expect(b).toMatch(/from parquet .*peak ≤ 300 MB \(pass\)/);
    expect(b).toMatch(/OC keep 1, .*0\.342× \| ≤ 0\.333× the peer \(FAIL\)/);
  });

  it('a failing criterion and extra criterion fields (false-alarm rate, power) show in the study table', () => {
    const summary = JSON.parse(readFileSync(join(root, 'reports', 'example', 'summary.json'), 'utf8'));
    summary.criteria[0].pass = false;
    summary.criteria[0].falseAlarmRate = 0.003;
    summary.pass = false;
    const md = renderStudy('d', summary);
    expect(md).toContain('**FAIL**');
    expect(md).toContain('falseAlarmRate 0.003');
    expect(md).toContain('a criterion fails');
  });

  it('each criterion shows its measured false alarms against its budget, a failed calibration in bold, or NOT MEASURED', () => {
    const summary = JSON.parse(readFileSync(join(root, 'reports', 'example', 'summary.json'), 'utf8'));
    summary.criteria[0].budget = 0.01;
    summary.criteria[0].calibration = {
      failures: 9,
      groups: 100,
      rate: 0.09,
      rateLo: 0.06,
      rateHi: 0.12,
      status: 'failed',
      power: { 'scale +5 %': 0.5 },
    };
    delete summary.criteria[1].calibration;
    summary.criteria[1].notMeasured = 'its estimator is not in the null run: too expensive';
    const md = renderStudy('d', summary);
    expect(md).toContain('9/100 = 9 % [6 %, 12 %] (budget 1 %: **FAILED CALIBRATION**)');
    expect(md).toContain('scale +5 %: 50 %');
    expect(md).toContain('NOT MEASURED (budget');
    expect(md).toContain('too expensive');
  });

  it('a calibrated SC-yield systematic shows with its fit and its check', () => {
    const summary = JSON.parse(readFileSync(join(root, 'reports', 'example', 'summary.json'), 'utf8'));
    expect(renderStudy('d', summary)).not.toContain('SC-yield systematics');
    summary.yieldSystematics = [
      {
        point: 'null',
        estimator: 'phiRaw',
        bias: 0.0084,
        biasErr: 0.009,
        relative: 0.0123,
        fitToys: 96,
        fitToyRange: [0, 95],
        check: { toys: 96, bias: 0.0327, biasErr: 0.009 },
      },
    ];
    const md = renderStudy('d', summary);
    expect(md).toContain('Calibrated SC-yield systematics');
    expect(md).toMatch(/\| null \| phiRaw \| 96 \+ 96 \| 0\.84 ± 0\.9\d* % \| ±1\.23 % \| 3\.27 ± 0\.9\d* % \|/);
  });

  it('a page without the markers is refused', () => {
    expect(() => renderResultsPage('# no markers\n', root)).toThrow(/markers/);
  });
});
