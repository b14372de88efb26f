/**
 * The check's report directory for reviewers: summary.json (the CheckSummary), junit.xml and index.html (one
 * table: property, verdict, what came out, false-alarm budget, replay command), written atomically.
 */
import { join } from 'node:path';
import { writeDirAtomic } from '../io/atomic.js';
import { writeFileSync } from 'node:fs';
import { junitXml } from './junit.js';
import { replayCommand, type CheckSummary } from './runCheck.js';

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function checkHtml(summary: CheckSummary, estimatorFlags: string): string {
  const rows = summary.properties
    .map((o) => {
      const colour = o.status === 'failed' ? '#b00020' : o.status === 'skipped' ? '#8a6d00' : '#1b5e20';
      const detail = o.message
        ? `${esc(o.summary)}<br><code>${esc(o.message)}</code><br>replay: <code>${esc(replayCommand(estimatorFlags, summary, o))}</code>`
        : esc(o.summary);
      return `<tr><td>${esc(o.property)}</td><td style="color:${colour};font-weight:bold">${o.status}</td><td>${detail}</td><td>${o.falseAlarm.toExponential(1)}</td><td>${o.seconds}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>qmisid check: ${esc(summary.estimator)}</title>
<style>body{font-family:'DejaVu Sans',sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:6px;vertical-align:top;text-align:left}code{font-size:90%}</style></head>
<body><h1>qmisid check: ${esc(summary.estimator)}</h1>
<p><b style="color:${summary.passed ? '#1b5e20' : '#b00020'}">${summary.passed ? 'PASSED' : 'FAILED'}</b> — preset ${summary.preset}, seed ${summary.seed}; a correct estimator fails at least one property with probability ${summary.falseAlarm.toExponential(1)} (the union of the budgets below).</p>
<table><thead><tr><th>property</th><th>verdict</th><th>result</th><th>false-alarm budget</th><th>seconds</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}

export async function writeCheckReport(dir: string, summary: CheckSummary, estimatorFlags: string): Promise<void> {
  await writeDirAtomic(dir, (tmp) => {
    writeFileSync(join(tmp, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(join(tmp, 'junit.xml'), junitXml(summary, estimatorFlags));
    writeFileSync(join(tmp, 'index.html'), checkHtml(summary, estimatorFlags));
  });
}
