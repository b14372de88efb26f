/**
 * The report as one self-contained HTML page: a sticky table of contents beside the run summary, one verdict
 * card per estimator (src/report/verdictCards.ts), the criteria, the headline numbers (collapsed), then each
 * plot full width with its caption and facts, and the resolved configuration (collapsed). vega, vega-lite and vega-embed are inlined, and every spec carries its data, so the
 * page opens from disk with no network. Charts render as SVG; the page sets data-done / data-rendered /
 * data-failed on <body> when it has finished, so a test (or a person in the console) can tell.
 */
import type { Report } from './report.js';
import type { Plot } from './plot.js';
import type { VegaBundles } from './vegaBundles.js';
import { cardHtml, cardId, verdictCards } from './verdictCards.js';

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
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
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
body { font-family: 'DejaVu Sans', system-ui, sans-serif; margin: 0; color: #222; }
.layout { display: grid; grid-template-columns: 15em minmax(0, 1fr); max-width: 1640px; margin: 0 auto; }
nav#toc { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow-y: auto; padding: 1.5em 0.8em; font-size: 0.85em; border-right: 1px solid #e3e3e3; box-sizing: border-box; }
nav#toc ul { list-style: none; margin: 0; padding-left: 0.8em; } nav#toc > ul { padding-left: 0; }
nav#toc li { margin: 0.25em 0; } nav#toc a { color: #1a4f8b; text-decoration: none; } nav#toc a:hover { text-decoration: underline; }
nav#toc .dot { display: inline-block; width: 0.6em; height: 0.6em; border-radius: 50%; margin-right: 0.3em; background: #999; }
nav#toc .dot.pass { background: #2e7d32; } nav#toc .dot.fail { background: #c62828; }
main { padding: 1.5em; min-width: 0; }
h1 { margin-bottom: 0.2em; } .meta { color: #555; margin-top: 0; }
section { scroll-margin-top: 0.5em; } h2 { border-bottom: 1px solid #e3e3e3; padding-bottom: 0.2em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f6f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #fff; background: #2e7d32; font-weight: bold; } .fail { color: #fff; background: #c62828; font-weight: bold; }
.verdict { display: inline-block; padding: 4px 12px; border-radius: 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(22em, 1fr)); gap: 1em; }
.card { border: 1px solid #ddd; border-left: 6px solid #999; border-radius: 6px; padding: 0.6em 0.9em; background: #fff; color: #222; font-weight: normal; }
.card.pass { border-left-color: #2e7d32; } .card.fail { border-left-color: #c62828; }
.card h3 { margin: 0 0 0.4em; } .badge { font-size: 0.75em; padding: 2px 8px; border-radius: 3px; vertical-align: middle; }
.badge.none { background: #eee; color: #555; }
.card ul.checks { list-style: none; padding: 0; margin: 0.3em 0; font-size: 0.88em; } .card li { margin: 0.35em 0; }
.card li.ok .mark { color: #2e7d32; } .card li.bad .mark { color: #c62828; font-weight: bold; } .card li.bad { color: #8e1b1b; }
.card .why { color: #666; font-size: 0.9em; } .card .detail { background: #f1f1f1; border-radius: 3px; padding: 0 4px; font-size: 0.9em; }
.card .worst, .card .failures { font-size: 0.88em; margin: 0.4em 0; } .card .failures { color: #c62828; }
.card table.numbers { font-size: 0.8em; margin: 0.3em 0 0; }
.plots { display: flex; flex-direction: column; gap: 1.5em; }
figure.plot { margin: 0; padding: 0.8em; border: 1px solid #e3e3e3; border-radius: 6px; width: 100%; box-sizing: border-box; }
figure.plot h3 { margin: 0 0 0.4em; font-size: 1.05em; }
/* vega-embed makes the view an inline-block sized to the spec; stretch it and the SVG (it has a viewBox) to the column. */
figure.plot .view { display: block; width: 100%; max-width: 1200px; box-sizing: border-box; }
.view .chart-wrapper { width: 100%; }
.view svg.marks { width: 100%; height: auto; }
figcaption { max-width: 900px; margin: 0.5em 0; font-style: italic; }
table.facts { font-size: 0.82em; } table.facts th { font-weight: normal; }
.files { font-size: 0.8em; color: #666; } pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
details > summary { cursor: pointer; font-weight: bold; margin: 0.5em 0; }
.render-error { color: #c62828; }
@media (max-width: 800px) { .layout { grid-template-columns: 1fr; } nav#toc { position: static; max-height: none; border-right: 0; } }
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
  const nText =
    typeof s.N === 'number'
      ? String(s.N)
      : Object.entries(s.N)
          .map(([k, v]) => `${k} = ${v}`)
          .join(', ');
  const withCal = s.criteria.some((c) => c.calibration != null);
  const cards = verdictCards(s);
  const criteria = s.criteria.length
    ? `<table class="criteria"><thead><tr><th>criterion</th><th>value</th><th>threshold</th><th>result</th>${withCal ? '<th>false alarms (budget, measured) and power</th>' : ''}</tr></thead><tbody>${s.criteria
        .map(
          (c) =>
            `<tr><td>${esc(c.name)}</td><td class="num">${esc(c.value)}</td><td class="num">${esc(c.threshold)}</td><td class="${c.pass ? 'pass' : 'fail'}">${c.pass ? 'pass' : 'FAIL'}</td>${withCal ? `<td>${esc(c.calibration ?? '')}</td>` : ''}</tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>No criteria were set for this study.</p>';
  const nHeadline = Object.keys(s.headline).length;
  const headline = nHeadline
    ? `<details id="headline-table"><summary>All ${nHeadline} headline numbers</summary><table class="headline">${Object.entries(s.headline)
        .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td class="num">${esc(v)}</td></tr>`)
        .join('')}</table></details>`
    : '';
  const toc = `<nav id="toc" aria-label="Contents"><ul>
<li><a href="#summary">Summary</a></li>
<li><a href="#verdicts">Verdicts</a><ul>${cards.map((c) => `<li><a href="#${esc(cardId(c.estimator))}"><span class="dot ${c.state}"></span>${esc(c.estimator)}</a></li>`).join('')}</ul></li>
<li><a href="#criteria">Criteria</a></li>
${headline ? '<li><a href="#headline">Headline numbers</a></li>\n' : ''}<li><a href="#plots">Plots</a><ul>${report.plots.map((p) => `<li><a href="#plot-${esc(p.id)}">${esc(p.title)}</a></li>`).join('')}</ul></li>
<li><a href="#configuration">Configuration</a></li>
</ul></nav>`;
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
<div class="layout">
${toc}
<main>
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
</section>
<section id="verdicts">
<h2>Verdicts</h2>
${cards.length ? `<div class="cards">\n${cards.map(cardHtml).join('\n')}\n</div>` : '<p>No estimator is judged by this report.</p>'}
</section>
<section id="criteria">
<h2>Criteria</h2>
${criteria}
${s.alerts?.length ? `<h3 id="alerts">Estimates that did not succeed</h3>\n<ul class="alerts">${s.alerts.map((a) => `<li class="fail">${esc(a)}</li>`).join('')}</ul>` : ''}
</section>
${headline ? `<section id="headline">\n<h2>Headline numbers</h2>\n${headline}\n</section>\n` : ''}<section id="plots">
<h2>Plots</h2>
<div class="plots">
${report.plots.map(figure).join('\n')}
</div>
</section>
<section id="configuration">
<h2>Configuration</h2>
<details id="resolved-config"><summary>Resolved configuration</summary><pre>${json(s.config)}</pre></details>
</section>
</main>
</div>
<script type="application/json" id="report-specs">${scriptJson(specs)}</script>
<script>${scriptText(bundles.vega)}</script>
<script>${scriptText(bundles.vegaLite)}</script>
<script>${scriptText(bundles.vegaEmbed)}</script>
<script>${EMBED}</script>
</body>
</html>
`;
}
