/**
 * Issue 11: where an estimate cannot be made (not identifiable, collapsed, …) the study counts it and the
 * report shows it in red. studyAlerts lists every non-ok status per point and estimator with its count and the
 * first message; the page renders each as a red ('fail') item and summary.md as a bold line.
 */
import { describe, expect, it } from 'vitest';
import { reportPage } from '../../src/report/reportPage.js';
import { summaryMarkdown } from '../../src/report/summaryMarkdown.js';
import { parseReport } from '../../src/report/report.js';
import { studyAlerts } from '../../src/study/writeStudyReport.js';
import type { StudyReportData } from '../../src/study/studyReportData.js';

const rec = (status: string, message?: string) => ({ status, ...(message ? { message } : {}) });

describe('report alerts', () => {
  it('lists non-ok statuses with counts and the first message, in red', () => {
    const data = {
      summary: {
        points: [
          { label: 'bipartite', estimators: { binned: { toys: 2, failures: { notIdentifiable: 2 } }, phi: { toys: 2, failures: {} } } },
          { label: 'connected', estimators: { binned: { toys: 2, failures: {} }, phi: { toys: 2, failures: { collapsed: 1 } } } },
        ],
      },
      records: [
        {
          toy: 0,
          points: [
            { label: 'bipartite', estimators: { binned: rec('notIdentifiable', 'not identifiable: bipartite pairing'), phi: rec('ok') } },
            { label: 'connected', estimators: { binned: rec('ok'), phi: rec('ok') } },
          ],
        },
        {
          toy: 1,
          points: [
            { label: 'bipartite', estimators: { binned: rec('notIdentifiable', 'second'), phi: rec('ok') } },
            { label: 'connected', estimators: { binned: rec('ok'), phi: rec('collapsed', 'training collapsed: loss below 0') } },
          ],
        },
      ],
    } as unknown as StudyReportData;
    const alerts = studyAlerts(data);
    expect(alerts).toEqual([
      'bipartite / binned: notIdentifiable in 2 of 2 toy(s) — not identifiable: bipartite pairing',
      'connected / phi: collapsed in 1 of 2 toy(s) — training collapsed: loss below 0',
    ]);
    const report = parseReport({
      title: 't',
      summary: { config: {}, seeds: {}, N: 1, backend: 'cpu', version: '0', gitCommit: 'x', criteria: [], headline: {}, alerts },
      plots: [],
    });
    const html = reportPage({ report, generatedAt: '2026-01-01T00:00:00Z', bundles: { vega: '', vegaLite: '', vegaEmbed: '' } });
    expect(html).toContain('<li class="fail">bipartite / binned: notIdentifiable in 2 of 2 toy(s)');
    expect(summaryMarkdown(report, 'now')).toContain('- **connected / phi: collapsed in 1 of 2 toy(s)');
    // No alerts, no section.
    const clean = parseReport({
      title: 't',
      summary: { config: {}, seeds: {}, N: 1, backend: 'cpu', criteria: [], headline: {} },
      plots: [],
    });
    expect(reportPage({ report: clean, generatedAt: 'x', bundles: { vega: '', vegaLite: '', vegaEmbed: '' } })).not.toContain(
      'did not succeed',
    );
  });
});
