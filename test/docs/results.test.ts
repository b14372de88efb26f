/**
 * docs/results.md carries no hand-typed figures: its generated block must equal what src/docs/renderResults.ts
 * renders from the committed JSON (regenerate: npx tsx scripts/render-docs.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESULTS_BEGIN, RESULTS_END, renderBench, renderResultsPage, renderStudy } from '../../src/docs/renderResults.js';

const root = join(import.meta.dirname, '..', '..');

describe('docs/results.md', () => {
  it('is up to date with reports/bench/*.json and reports/example/summary.json', () => {
    const page = readFileSync(join(root, 'docs', 'results.md'), 'utf8');
    expect(page).toContain(RESULTS_BEGIN);
    expect(page).toContain(RESULTS_END);
    expect(renderResultsPage(page, root)).toBe(page);
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
