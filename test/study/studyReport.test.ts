/**
 * The study report end to end, on the real quick closure study (one toy, 3·10⁵ Z and a 3·10⁶-event reference
 * sample for the reachable targets, ≈ 15 s):
 *   - `qmisid study closure --quick` writes the report with the closure study's plots, none left out;
 *   - the toy record carries the compact report data (profiles, m_ee spectra, closure histograms, members'
 *     losses, the fit's graph), consistent with the record's own numbers;
 *   - `qmisid report DIR` rebuilds the report from study.json, toys.jsonl and summary.json only (toys.jsonl
 *     made read-only, nothing rerun) and equals the original except the timestamp;
 *   - the committed example reports/example/ is what this seed produces today: study outputs byte for byte,
 *     report files (index.html, summary.json/md, report.json, specs, SVG, PNG) equal after masking the
 *     timestamp and the git commit (the example was made at an earlier commit; both are recorded once per file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main.js';
import { closureChiSquare } from '../../src/report/index.js';
import { readToys } from '../../src/study/toyStore.js';
import { listFiles } from '../support/listFiles.js';

const EXAMPLE = resolve(import.meta.dirname, '../../reports/example');

/** Every file of a report directory, with the given strings replaced by placeholders. */
function snapshot(dir: string, masks: Record<string, string>): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of listFiles(dir)) {
    const buf = readFileSync(join(dir, f));
    let text = f.endsWith('.png') ? buf.toString('base64') : buf.toString('utf8');
    for (const [value, placeholder] of Object.entries(masks)) if (value) text = text.split(value).join(placeholder);
    m.set(f, text);
  }
  return m;
}

const reportMeta = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
    generatedAt: string;
    summary: { gitCommit: string };
    plots: { id: string }[];
  };
const masksOf = (dir: string) => {
  const s = reportMeta(dir);
  expect(s.summary.gitCommit, `${dir}/summary.json summary.gitCommit`).toMatch(/^([0-9a-f]{40}|unknown)$/);
  return { [s.generatedAt]: '<TIMESTAMP>', [s.summary.gitCommit]: '<COMMIT>' };
};

async function cli(...args: string[]): Promise<number> {
  const prev = process.exitCode;
  const code = await main(['node', 'qmisid', ...args]);
  process.exitCode = prev;
  return code;
}

let root: string;
let run: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'qmisid-study-report-'));
  run = join(root, 'closure');
  expect(await cli('study', 'closure', '--quick', '--out', run)).toBe(0);
}, 180_000);
afterAll(() => {
  if (root) {
    const toys = join(run, 'toys.jsonl');
    if (existsSync(toys)) chmodSync(toys, 0o644);
    rmSync(root, { recursive: true, force: true });
  }
});

describe('study report', () => {
  it('shows the closure study plots, none left out', () => {
    const meta = reportMeta(join(run, 'report'));
    expect(meta.plots.map((p) => p.id)).toEqual([
      'verdict-bias',
      'verdict-calibration',
      'eps-vs-pt',
      'eps-vs-abseta',
      'ratio-map-phi',
      'ratio-map-binned',
      'mass-spectra',
      'closure-phi-pt',
      'closure-phi-eta',
      'closure-phi-mee',
      'closure-binned-eta',
      'loss-phi',
      'identifiability',
    ]);
    const report = JSON.parse(readFileSync(join(run, 'report', 'report.json'), 'utf8'));
    expect(Object.keys(report.summary.headline).filter((k) => k.startsWith('plot left out'))).toEqual([]);
    expect(report.summary.gitCommit).toBe(JSON.parse(readFileSync(join(run, 'study.json'), 'utf8')).gitCommit);
    expect(report.summary.criteria.map((c: { pass: boolean }) => c.pass)).toEqual([true, true, true, true, true]); // the five quick criteria of studies/closure.json
  });

  it('stores compact report data in the toy record, consistent with the record itself', () => {
    const [rec] = readToys(join(run, 'toys.jsonl')).records;
    const point = rec!.points[0]!;
    // m_ee spectra: every window event is in 80–100 GeV, inside the stored 60–120 GeV range.
    const total = point.mass!.oc.reduce((a, b) => a + b, 0) + point.mass!.sc.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(point.window);
    expect(total).toBeLessThanOrEqual(point.events);
    const scInWindow = point.mass!.sc.slice(20, 40).reduce((a, b) => a + b, 0);
    expect(scInWindow).toBe(point.windowSC);
    // Profiles count the same window signal electrons as the per-bin truth reference (up to pT > 1000 GeV).
    const nBins = point.count.reduce((a, b) => a + b, 0);
    const nProf = point.profiles!.abseta!.count.reduce((a, b) => a + b, 0);
    expect(Math.abs(nProf - nBins)).toBeLessThanOrEqual(2);
    for (const name of ['binned', 'phi']) {
      const e = point.estimators[name]!;
      // The stored histograms give back the recorded χ² (6 significant digits per entry → 1e-4 relative).
      for (const v of ['pt', 'eta', 'm_ee'] as const) {
        const h = e.closureHist![v];
        const obs = h.observed.map(Number);
        const pred = h.predicted.map(Number);
        const { chi2 } = closureChiSquare(obs, pred, h.variance.map(Number));
        expect(chi2).toBeCloseTo(e.closure[v].chi2, 1);
        expect(Math.abs(chi2 - e.closure[v].chi2) / e.closure[v].chi2).toBeLessThan(1e-4);
      }
    }
    const phi = point.estimators.phi!;
    expect(phi.members).toHaveLength(4); // quick closure: 4-member ensemble
    for (const m of phi.members!) {
      expect(m.eps).toHaveLength(point.truth.length);
      expect(m.train.length).toBeGreaterThan(0);
      expect(m.val).toHaveLength(m.train.length);
    }
    const lo = phi.profiles!.pt!.lo!;
    const hi = phi.profiles!.pt!.hi!;
    phi.profiles!.pt!.eps.forEach((e, b) => {
      if (e != null) expect(lo[b]! <= e && e <= hi[b]!).toBe(true);
    });
    const g = point.estimators.binned!.graph!;
    expect(g.component).toHaveLength(point.truth.length);
    expect(g.bipartite).toEqual([]);
    expect(g.edges.length).toBeGreaterThan(point.truth.length);
    // No per-electron arrays: one toy of four estimators stays well under 64 kB.
    expect(readFileSync(join(run, 'toys.jsonl')).length).toBeLessThan(64_000);
  });

  it('qmisid report DIR rebuilds the report from the stored results alone, equal but for the timestamp', async () => {
    const before = snapshot(join(run, 'report'), masksOf(join(run, 'report')));
    chmodSync(join(run, 'toys.jsonl'), 0o444); // nothing may be rerun or appended
    expect(await cli('report', run)).toBe(0);
    chmodSync(join(run, 'toys.jsonl'), 0o644);
    const meta = reportMeta(join(run, 'report'));
    const after = snapshot(join(run, 'report'), masksOf(join(run, 'report')));
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [f, text] of before) expect(after.get(f), f).toBe(text);
    expect(meta.generatedAt).not.toBe('');
    // A directory that is neither a study nor a report is a usage error (exit 2), nothing written.
    expect(await cli('report', join(root, 'nothing-here'))).toBe(2);
    expect(existsSync(join(root, 'nothing-here'))).toBe(false);
  });

  it('the committed example reports/example is regenerated identically from its seed', () => {
    expect(existsSync(join(EXAMPLE, 'report', 'index.html')), 'reports/example is missing').toBe(true);
    for (const f of ['toys.jsonl', 'summary.json'])
      expect(readFileSync(join(run, f), 'utf8'), f).toBe(readFileSync(join(EXAMPLE, f), 'utf8'));
    const fresh = snapshot(join(run, 'report'), masksOf(join(run, 'report')));
    const committed = snapshot(join(EXAMPLE, 'report'), masksOf(join(EXAMPLE, 'report')));
    expect([...committed.keys()]).toEqual([...fresh.keys()]);
    for (const [f, text] of fresh) expect(committed.get(f), `reports/example/report/${f}`).toBe(text);
  });
});
