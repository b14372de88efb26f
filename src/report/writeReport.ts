/**
 * Write a validation report directory, all or nothing:
 *   1. check the input (parseReport) and fill version / git commit if absent
 *   2. into a temporary directory: per plot, specs/<id>.vl.json, then plots/<id>.svg and .png rendered in Node
 *   3. index.html (self-contained, offline), summary.json, summary.md, report.json (the input, for rebuilds)
 *   4. swap the temporary directory in for DIR (writeDirAtomic): a failure anywhere leaves the previous
 *      report untouched.
 * Output is deterministic: the same input gives byte-identical files except the one timestamp, which is
 * `generatedAt` (summary.json), `<time id="generated-at">` (index.html) and the "Generated" line (summary.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeDirAtomic } from '../io/atomic.js';
import { version as packageVersion } from '../version.js';
import { parseReport, type Report, type ReportSummary } from './report.js';
import { renderPlot } from './renderPlot.js';
import { reportPage } from './reportPage.js';
import { summaryMarkdown } from './summaryMarkdown.js';
import { vegaBundles } from './vegaBundles.js';
import { gitCommit } from './gitCommit.js';
import { NumericalError } from '../errors.js';
import { withFormatVersion } from '../io/formatVersion.js';

export interface WriteReportOptions {
  /** ISO 8601 timestamp to stamp the report with; default SOURCE_DATE_EPOCH if set, else now. */
  generatedAt?: string;
  /** Directory whose git commit is recorded when summary.gitCommit is absent; default the cwd. */
  gitDir?: string;
}

export interface ReportManifest {
  dir: string;
  generatedAt: string;
  allPass: boolean;
  files: string[];
  /** Vega-Lite compiler warnings per plot id (only plots that had any). */
  warnings: Record<string, string[]>;
}

/** The one place a report's timestamp is made. SOURCE_DATE_EPOCH (seconds) gives reproducible builds. */
export function reportTimestamp(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch != null && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date().toISOString();
}

function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export async function writeReport(dir: string, input: Report | unknown, options: WriteReportOptions = {}): Promise<ReportManifest> {
  const parsed = parseReport(input);
  const summary: ReportSummary = {
    ...parsed.summary,
    version: parsed.summary.version ?? packageVersion,
    gitCommit: parsed.summary.gitCommit ?? gitCommit(options.gitDir),
  };
  const report: Report = { ...parsed, summary };
  const generatedAt = options.generatedAt ?? reportTimestamp();
  const bundles = vegaBundles();
  const files: string[] = [];
  const warnings: Record<string, string[]> = {};
  const allPass = summary.criteria.every((c) => c.pass);

  await writeDirAtomic(dir, async (tmp) => {
    const put = (rel: string, data: string | Uint8Array) => {
      writeFileSync(join(tmp, rel), data);
      files.push(rel);
    };
    mkdirSync(join(tmp, 'specs'));
    mkdirSync(join(tmp, 'plots'));
    for (const plot of report.plots) {
      put(`specs/${plot.id}.vl.json`, jsonText(plot.spec));
      let rendered;
      try {
        rendered = await renderPlot(plot.spec as TopLevelSpec);
      } catch (err) {
        throw new NumericalError(`report plot ${plot.id}`, `could not render the spec: ${(err as Error).message}`);
      }
      if (rendered.warnings.length) warnings[plot.id] = rendered.warnings;
      put(`plots/${plot.id}.svg`, rendered.svg);
      put(`plots/${plot.id}.png`, rendered.png);
    }
    put('index.html', reportPage({ report, generatedAt, bundles }));
    put(
      'summary.json',
      jsonText({
        title: report.title,
        generatedAt,
        allPass,
        summary,
        plots: report.plots.map((p) => ({
          id: p.id,
          title: p.title,
          caption: p.caption,
          facts: p.facts ?? {},
          ...(p.table ? { table: p.table } : {}),
          files: { spec: `specs/${p.id}.vl.json`, svg: `plots/${p.id}.svg`, png: `plots/${p.id}.png` },
          ...(warnings[p.id] ? { warnings: warnings[p.id] } : {}),
        })),
      }),
    );
    put('summary.md', summaryMarkdown(report, generatedAt));
    put('report.json', jsonText(withFormatVersion('report', report)));
  });
  return { dir, generatedAt, allPass, files, warnings };
}
