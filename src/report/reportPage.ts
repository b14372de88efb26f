/**
 * The report as one self-contained HTML page: run summary, criteria, headline numbers, then each plot with
 * its caption and facts. vega, vega-lite and vega-embed are inlined, and every spec carries its data, so the
 * page opens from disk with no network. Charts render as SVG; the page sets data-done / data-rendered /
 * data-failed on <body> when it has finished, so a test (or a person in the console) can tell.
 */
import type { Report } from './report.js';
import type { Plot } from './plot.js';
import type { VegaBundles } from './vegaBundles.js';

export interface PageInput {
  report: Report;
  /** The single timestamp of the report (ISO 8601). */
  generatedAt: string;
  bundles: VegaBundles;
}

function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside <script>: '<' escaped so no "</script>" or "<!--" can end the block early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Inline a library: a "</script" inside its text would close the tag, so it is split. */
function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1');
}

function json(value: unknown): string {
  return esc(JSON.stringify(value, null, 2));
}

function factsTable(facts: Record<string, number | string> | undefined): string {
  if (!facts || Object.keys(facts).length === 0) return '';
  const rows = Object.entries(facts)
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('');
  return `<table class="facts">${rows}</table>`;
}

function plotTable(plot: Plot): string {
  if (!plot.table) return '';
  const head = plot.table.columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = plot.table.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<table class="data"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function figure(plot: Plot): string {
  return `<figure class="plot" id="plot-${esc(plot.id)}">
<h3>${esc(plot.title)}</h3>
<div class="view" id="view-${esc(plot.id)}" data-plot="${esc(plot.id)}"></div>
<figcaption>${esc(plot.caption)}</figcaption>
${factsTable(plot.facts)}${plotTable(plot)}
<p class="files">files: <a href="specs/${esc(plot.id)}.vl.json">spec</a> · <a href="plots/${esc(plot.id)}.svg">SVG</a> · <a href="plots/${esc(plot.id)}.png">PNG</a></p>
</figure>`;
}

const CSS = `
body { font-family: 'DejaVu Sans', system-ui, sans-serif; margin: 0 auto; padding: 1.5em; max-width: 1640px; color: #222; }
h1 { margin-bottom: 0.2em; } .meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f6f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #fff; background: #2e7d32; font-weight: bold; } .fail { color: #fff; background: #c62828; font-weight: bold; }
.verdict { display: inline-block; padding: 4px 12px; border-radius: 4px; }
.plots { display: flex; flex-wrap: wrap; gap: 1.5em; }
figure.plot { margin: 0; padding: 0.8em; border: 1px solid #e3e3e3; border-radius: 6px; flex: 0 1 auto; max-width: 100%; }
figure.plot h3 { margin: 0 0 0.4em; font-size: 1.05em; }
figcaption { max-width: 640px; margin: 0.5em 0; font-style: italic; }
table.facts { font-size: 0.82em; } table.facts th { font-weight: normal; }
.files { font-size: 0.8em; color: #666; } pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
.render-error { color: #c62828; }
`;

const EMBED = `
(async function () {
  var specs = JSON.parse(document.getElementById('report-specs').textContent);
  var rendered = 0, failed = [];
  for (var i = 0; i < specs.length; i++) {
    var el = document.getElementById('view-' + specs[i].id);
    try {
      await vegaEmbed(el, specs[i].spec, { renderer: 'svg', actions: { export: true, source: true, compiled: false, editor: false } });
      rendered++;
    } catch (err) {
      failed.push(specs[i].id);
      el.innerHTML = '<p class="render-error"></p>';
      el.firstChild.textContent = 'This plot could not be drawn: ' + (err && err.message);
      console.error('plot ' + specs[i].id + ': ' + (err && err.message));
    }
  }
  document.body.dataset.rendered = String(rendered);
  document.body.dataset.failed = failed.join(',');
  document.body.dataset.done = 'true';
})();
`;

export function reportPage({ report, generatedAt, bundles }: PageInput): string {
  const s = report.summary;
  const allPass = s.criteria.every((c) => c.pass);
  const nText = typeof s.N === 'number' ? String(s.N) : Object.entries(s.N).map(([k, v]) => `${k} = ${v}`).join(', ');
  const criteria = s.criteria.length
    ? `<table class="criteria"><thead><tr><th>criterion</th><th>value</th><th>threshold</th><th>result</th></tr></thead><tbody>${s.criteria
        .map((c) => `<tr><td>${esc(c.name)}</td><td class="num">${esc(c.value)}</td><td class="num">${esc(c.threshold)}</td><td class="${c.pass ? 'pass' : 'fail'}">${c.pass ? 'pass' : 'FAIL'}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p>No criteria were set for this study.</p>';
  const headline = Object.keys(s.headline).length
    ? `<table class="headline">${Object.entries(s.headline)
        .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td class="num">${esc(v)}</td></tr>`)
        .join('')}</table>`
    : '';
  const specs = report.plots.map((p) => ({ id: p.id, spec: p.spec }));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(report.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(report.title)}</h1>
<p class="meta">generated <time id="generated-at">${esc(generatedAt)}</time> · qmisid-bench ${esc(s.version)} · commit <code>${esc(s.gitCommit)}</code></p>
</header>
<section id="summary">
<h2>Summary <span class="verdict ${allPass ? 'pass' : 'fail'}">${allPass ? 'all criteria pass' : `${s.criteria.filter((c) => !c.pass).length} of ${s.criteria.length} criteria fail`}</span></h2>
<table class="run">
<tr><th scope="row">sample size N</th><td>${esc(nText)}</td></tr>
<tr><th scope="row">backend</th><td>${esc(s.backend)}</td></tr>
<tr><th scope="row">seeds</th><td><code>${esc(JSON.stringify(s.seeds))}</code></td></tr>
</table>
<h3>Criteria</h3>
${criteria}
${s.alerts?.length ? `<h3>Estimates that did not succeed</h3>\n<ul class="alerts">${s.alerts.map((a) => `<li class="fail">${esc(a)}</li>`).join('')}</ul>` : ''}
${headline ? `<h3>Headline numbers</h3>\n${headline}` : ''}
<details><summary>Resolved configuration</summary><pre>${json(s.config)}</pre></details>
</section>
<section id="plots">
<h2>Plots</h2>
<div class="plots">
${report.plots.map(figure).join('\n')}
</div>
</section>
<script type="application/json" id="report-specs">${scriptJson(specs)}</script>
<script>${scriptText(bundles.vega)}</script>
<script>${scriptText(bundles.vegaLite)}</script>
<script>${scriptText(bundles.vegaEmbed)}</script>
<script>${EMBED}</script>
</body>
</html>
`;
}
