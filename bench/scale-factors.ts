/**
 * Scale-factor toys (docs/electrons.md, "Scale factors"): per toy an "MC" and a "data" sample of the latent
 * electron model that differ in material (data: material.scale = 1.1) and in a shower-shape shift, generated
 * with independent seeds; the binned fit (window, inverse-Hessian errors) measures ε per (pT, |η|) bin in both;
 * SF = ε(data)/ε(MC) against the true SF (ratio of the truth references). Reported: per bin the mean pull and
 * its width over the toys, pooled 68 % / 95 % coverage (binomial errors), and the systematic shift of the SF when
 * the fit window changes to 75–105 GeV (the same events). Run: `node dist/bench/scale-factors.js [toys] [events]`.
 */
import { Binning } from '../src/binning/Binning.js';
import { assignBins } from '../src/binning/assignBins.js';
import { fitBinnedTable } from '../src/fit/fitBinned.js';
import { binMeans } from '../src/study/metrics/binMeans.js';
import { scaleFactors } from '../src/study/metrics/scaleFactors.js';
import { windowTable } from '../src/study/prepareTable.js';
import { generateEvents } from '../generators/zee/generateEvents.js';
import { filterTable, type EventTable } from '../src/events/columns.js';
import type { GeneratorConfigInput } from '../src/config/generatorConfig.js';

const ETA = [0, 0.6, 1.37, 1.52, 2.0, 2.47];
const PT = [25, 45, 1000];
const MC: GeneratorConfigInput = { electron: { model: 'latent' } };
const DATA: GeneratorConfigInput = { electron: { model: 'latent', material: { scale: 1.1 }, features: { reta: { mu: -2.9 } } } };

function truthRef(t: EventTable, binning: Binning): number[] {
  return binMeans(assignBins(t, binning), binning.size, t.columns.truth_eps1!, t.columns.truth_eps2!, t.columns.is_background).mean;
}

export async function benchScaleFactors(toys = 50, events = 400000): Promise<Record<string, unknown>> {
  const binning = Binning.fromEdges(ETA, PT);
  const K = binning.size;
  const pulls: number[][] = Array.from({ length: K }, () => []);
  const windowShift: number[][] = Array.from({ length: K }, () => []);
  let missing = 0;
  let failed = 0;
  const t0 = performance.now();
  for (let toy = 0; toy < toys; toy++) {
    const samples = await Promise.all(
      [MC, DATA].map(
        async (config, s) => (await generateEvents({ config, events, count: 'selected', seed: `sf/${toy}/${s}`, workers: 2 })).table!,
      ),
    );
    const fits = samples.map((t) => fitBinnedTable(windowTable(t), binning, { region: 'all' }));
    if (fits.some((f) => f.status !== 'converged')) {
      failed++;
      continue;
    }
    const truth = samples.map((t) => truthRef(windowTable(t), binning));
    const sf = scaleFactors({ eps: fits[1]!.eps, err: fits[1]!.err }, { eps: fits[0]!.eps, err: fits[0]!.err });
    missing += sf.missing;
    // Systematic: a 75–105 GeV window on the same events.
    const wide = samples.map((t) =>
      fitBinnedTable(
        filterTable(t, (i) => t.columns.m_ee![i]! >= 75 && t.columns.m_ee![i]! < 105),
        binning,
        { region: 'all' },
      ),
    );
    const sfWide = scaleFactors({ eps: wide[1]!.eps, err: wide[1]!.err }, { eps: wide[0]!.eps, err: wide[0]!.err });
    for (let k = 0; k < K; k++) {
      const trueSf = truth[1]![k]! / truth[0]![k]!;
      if (Number.isFinite(sf.sf[k]!) && Number.isFinite(trueSf)) pulls[k]!.push((sf.sf[k]! - trueSf) / sf.err[k]!);
      if (Number.isFinite(sf.sf[k]!) && Number.isFinite(sfWide.sf[k]!)) windowShift[k]!.push(sfWide.sf[k]! - sf.sf[k]!);
    }
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = (xs: number[]): number => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
  const all = pulls.flat();
  const cov = (z: number): { value: number; err: number } => {
    const p = all.filter((x) => Math.abs(x) < z).length / all.length;
    return { value: Number(p.toFixed(4)), err: Number(Math.sqrt((p * (1 - p)) / all.length).toFixed(4)) };
  };
  return {
    bench: 'scale-factors',
    toys,
    eventsPerSample: events,
    failedToys: failed,
    missingBins: missing,
    binning: { eta: ETA, pt: PT },
    perBin: pulls.map((p, k) => ({
      bin: binning.label(k),
      n: p.length,
      pullMean: Number(mean(p).toFixed(3)),
      pullWidth: Number(sd(p).toFixed(3)),
      windowSyst: Number(mean(windowShift[k]!).toFixed(4)),
    })),
    coverage68: cov(1),
    coverage95: cov(1.959964),
    seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'))) {
  const toys = Number(process.argv[2] ?? 50);
  const events = Number(process.argv[3] ?? 400000);
  benchScaleFactors(toys, events).then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`));
}
