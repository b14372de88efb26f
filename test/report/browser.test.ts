/**
 * index.html opened from disk in headless Chromium with the network cut: every plot must render (an <svg>
 * with marks in each plot's view), no request may leave file://, and the page must log no console error.
 *
 * Chromium comes from Debian (/usr/bin/chromium). If it is missing the test fails under CI=true (CI installs
 * it, so absence is a broken setup) and is skipped locally with a message saying how to install it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { writeReport } from '../../src/report/index.js';
import { sampleReport } from './sampleReport.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true' || process.env.CI === '1';

if (!haveChromium && !inCi) {
  console.warn(`report browser test skipped: ${CHROMIUM} not found (install it with: apt-get install chromium)`);
}

describe.skipIf(!haveChromium && !inCi)('report page in Chromium', () => {
  let root: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package`);
    root = mkdtempSync(join(tmpdir(), 'qmisid-report-browser-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** Open a report page offline and collect what it rendered, what it tried to fetch and what it logged. */
  async function openPage(indexHtml: string, screenshot?: string) {
    const context = await browser!.newContext({ offline: true, viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const external: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) external.push(req.url());
    });
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(String(err)));
    await page.goto(pathToFileURL(indexHtml).href);
    await page.waitForFunction(() => document.body.dataset.done === 'true', undefined, { timeout: 30_000 });
    const state = await page.evaluate(() => ({
      rendered: Number(document.body.dataset.rendered),
      failed: document.body.dataset.failed,
      views: [...document.querySelectorAll<HTMLElement>('.view')].map((v) => ({
        id: v.dataset.plot,
        svgs: v.querySelectorAll('svg.marks, canvas.marks').length,
        marks: v.querySelectorAll('svg.marks [class^="mark-"]').length,
        text: v.querySelectorAll('svg.marks text').length,
      })),
    }));
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    await context.close();
    return { state, external: [...new Set(external)], consoleErrors };
  }

  /** Every plot drew one chart with marks and text, in order, with nothing fetched off file:// and no console error. */
  function expectRenderedOffline({ state, external, consoleErrors }: Awaited<ReturnType<typeof openPage>>, ids: string[]): void {
    expect(state.failed).toBe('');
    expect(state.rendered).toBe(ids.length);
    expect(state.views.map((v) => v.id)).toEqual(ids);
    for (const v of state.views) {
      expect(v.svgs, v.id).toBe(1);
      expect(v.marks, v.id).toBeGreaterThan(3);
      expect(v.text, v.id).toBeGreaterThan(5);
    }
    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }

  it('renders every plot offline with no console error', async () => {
    const report = sampleReport();
    const dir = join(root, 'report');
    await writeReport(dir, report, { generatedAt: '2030-01-01T00:00:00.000Z' });
    expectRenderedOffline(
      await openPage(join(dir, 'index.html'), process.env.REPORT_SCREENSHOT),
      report.plots.map((p) => p.id),
    );
  });

  it('has a sticky table of contents, one verdict card per estimator, full-width plots and the configuration collapsed', async () => {
    const report = sampleReport();
    const dir = join(root, 'layout');
    await writeReport(dir, report, { generatedAt: '2030-01-01T00:00:00.000Z' });
    const context = await browser!.newContext({ offline: true, viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    await page.waitForFunction(() => document.body.dataset.done === 'true', undefined, { timeout: 30_000 });
    const before = await page.evaluate(() => {
      const toc = document.querySelector<HTMLElement>('nav#toc')!;
      const main = document.querySelector<HTMLElement>('main')!.getBoundingClientRect();
      const mainStyle = getComputedStyle(document.querySelector('main')!);
      const inner = main.width - parseFloat(mainStyle.paddingLeft) - parseFloat(mainStyle.paddingRight);
      return {
        tocPosition: getComputedStyle(toc).position,
        tocLinks: [...toc.querySelectorAll('a')].map((a) => a.getAttribute('href')),
        brokenLinks: [...toc.querySelectorAll('a')].map((a) => a.getAttribute('href')!).filter((h) => !document.getElementById(h.slice(1))),
        cards: [...document.querySelectorAll<HTMLElement>('.card')].map((c) => ({
          estimator: c.dataset.estimator,
          state: c.dataset.state,
          text: c.textContent ?? '',
        })),
        figureWidths: [...document.querySelectorAll('figure.plot')].map((f) => f.getBoundingClientRect().width / inner),
        chartWidths: [...document.querySelectorAll('.view svg.marks')].map((s) => s.getBoundingClientRect().width / Math.min(inner, 1200)),
        configOpen: document.querySelector<HTMLDetailsElement>('details#resolved-config')!.open,
        // A closed <details> hides its content from rendering (checkVisibility is false), though it stays in the DOM.
        configVisible: document.querySelector<HTMLElement>('details#resolved-config pre')!.checkVisibility(),
        configShownWhenOpened: (() => {
          const d = document.querySelector<HTMLDetailsElement>('details#resolved-config')!;
          d.open = true;
          const shown = d.querySelector<HTMLElement>('pre')!.checkVisibility();
          d.open = false;
          return shown;
        })(),
      };
    });
    // Scroll to the end: the table of contents stays in view.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const tocTop = await page.evaluate(() => document.querySelector('nav#toc')!.getBoundingClientRect().top);
    await context.close();

    expect(before.tocPosition).toBe('sticky');
    expect(tocTop).toBeGreaterThanOrEqual(0);
    expect(tocTop).toBeLessThan(5);
    expect(before.brokenLinks).toEqual([]);
    for (const id of ['#summary', '#verdicts', '#criteria', '#plots', '#configuration', ...report.plots.map((p) => `#plot-${p.id}`)])
      expect(before.tocLinks).toContain(id);
    expect(before.cards.map((c) => [c.estimator, c.state])).toEqual([
      ['binned', 'pass'],
      ['phi', 'fail'],
      ['oracle', 'none'],
    ]);
    const [binned, phi] = before.cards;
    expect(binned!.text).toContain('|η| 1.52–1.80, pT 25–60 GeV');
    expect(binned!.text).toContain('-2.31');
    expect(binned!.text).toContain('falseAlarmRate 0.003');
    expect(binned!.text).toContain('power 0.92');
    expect(phi!.text).toContain('FAIL');
    expect(phi!.text).toContain('closureChi2NdfMee');
    expect(phi!.text).toContain('collapsed × 1');
    // Full width: every figure spans the content column (the old layout put two side by side, ≤ 0.5 each).
    for (const w of before.figureWidths) expect(w).toBeGreaterThan(0.95);
    // …and so does the chart itself (up to 1200 px), not only its frame.
    expect(before.chartWidths.length).toBe(report.plots.length);
    for (const w of before.chartWidths) expect(w).toBeGreaterThan(0.9);
    expect(before.configOpen).toBe(false);
    expect(before.configVisible).toBe(false);
    expect(before.configShownWhenOpened).toBe(true);
  });

  it('the committed study report (reports/example, qmisid study closure --quick) renders every plot offline with no console error', async () => {
    const dir = join(import.meta.dirname, '../../reports/example/report');
    const ids = (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { plots: { id: string }[] }).plots.map((p) => p.id);
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expectRenderedOffline(await openPage(join(dir, 'index.html')), ids);
  });

  it('the checks see a remote fetch, a console error and a plot that fails to draw', async () => {
    const report = sampleReport();
    report.plots = report.plots.slice(0, 2);
    const dir = join(root, 'tampered');
    await writeReport(dir, report, { generatedAt: '2030-01-01T00:00:00.000Z' });
    const file = join(dir, 'index.html');
    const html = readFileSync(file, 'utf8')
      .replace('</header>', '</header><img src="https://example.invalid/pixel.png" alt="">')
      // Break the second plot's spec in the embedded JSON so vega-embed rejects it in the page.
      .replace(/("id":"eps-vs-pt","spec":\{)/, '$1"vconcat":"not-an-array",');
    writeFileSync(file, html);
    const { state, external, consoleErrors } = await openPage(file);
    expect(external).toEqual(['https://example.invalid/pixel.png']);
    expect(state.rendered).toBe(1);
    expect(state.failed).toBe('eps-vs-pt');
    expect(consoleErrors.some((e) => e.includes('eps-vs-pt'))).toBe(true);
  });
});
