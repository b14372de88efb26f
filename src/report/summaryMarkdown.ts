/**
 * summary.md: the report's verdict, criteria, headline numbers and each plot's caption and facts in plain
 * Markdown, with the PNGs linked, for reading in a terminal, a merge request or a notebook.
 */
import type { Report } from './report.js';
import { verdictCards } from './verdictCards.js';

function cell(v: unknown): string {
  return String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function summaryMarkdown(report: Report, generatedAt: string): string {
  const s = report.summary;
  const failing = s.criteria.filter((c) => !c.pass).length;
  const lines: string[] = [
    `# ${report.title}`,
    '',
    `Generated ${generatedAt} by qmisid-bench ${s.version} at commit \`${s.gitCommit}\`; backend ${s.backend}.`,
    '',
    `**Verdict: ${failing === 0 ? 'all criteria pass' : `${failing} of ${s.criteria.length} criteria fail`}.**`,
    '',
    `- N: ${
      typeof s.N === 'number'
        ? s.N
        : Object.entries(s.N)
            .map(([k, v]) => `${k} = ${v}`)
            .join(', ')
    }`,
    `- seeds: \`${JSON.stringify(s.seeds)}\``,
    '',
  ];
  const cards = verdictCards(s);
  if (cards.length) {
    lines.push('## Verdicts', '');
    for (const c of cards) {
      const failed = c.criteria.filter((x) => !x.pass).map((x) => x.metric ?? x.name);
      const w = c.verdict?.worst;
      lines.push(
        `- **${c.estimator}**: ${c.state === 'pass' ? 'pass' : c.state === 'fail' ? '**FAIL**' : 'no criteria'}` +
          (failed.length ? ` (failed: ${failed.join(', ')})` : '') +
          (w ? `; worst bin ${w.bin}${w.point ? ` @ ${w.point}` : ''}: ${w.metric} = ${w.value}` : ''),
      );
    }
    lines.push('');
  }
  lines.push('## Criteria', '');
  if (s.criteria.length) {
    const withCal = s.criteria.some((c) => c.calibration != null);
    lines.push(
      `| criterion | value | threshold | result |${withCal ? ' false alarms and power |' : ''}`,
      `|---|---:|---:|---|${withCal ? '---|' : ''}`,
    );
    for (const c of s.criteria)
      lines.push(
        `| ${cell(c.name)} | ${cell(c.value)} | ${cell(c.threshold)} | ${c.pass ? 'pass' : '**FAIL**'} |${withCal ? ` ${cell(c.calibration ?? '')} |` : ''}`,
      );
  } else lines.push('No criteria were set for this study.');
  if (s.alerts?.length) {
    lines.push('', '## Estimates that did not succeed', '');
    for (const a of s.alerts) lines.push(`- **${a}**`);
  }
  if (Object.keys(s.headline).length) {
    lines.push('', '## Headline numbers', '', '| quantity | value |', '|---|---:|');
    for (const [k, v] of Object.entries(s.headline)) lines.push(`| ${cell(k)} | ${cell(v)} |`);
  }
  lines.push('', '## Plots');
  for (const p of report.plots) {
    lines.push('', `### ${p.title}`, '', `![${p.title}](plots/${p.id}.png)`, '', `*${p.caption}*`);
    if (p.facts && Object.keys(p.facts).length) {
      lines.push('');
      for (const [k, v] of Object.entries(p.facts)) lines.push(`- ${k}: ${v}`);
    }
    if (p.table) {
      lines.push('', `| ${p.table.columns.map(cell).join(' | ')} |`, `|${p.table.columns.map(() => '---').join('|')}|`);
      for (const r of p.table.rows) lines.push(`| ${r.map(cell).join(' | ')} |`);
    }
  }
  lines.push('');
  return lines.join('\n');
}
