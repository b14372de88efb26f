/**
 * Benchmark: the binned fit against the peer (../shared/peers/binned_fit.py) on the same events, default
 * 28-bin binning, ε per bin from the physics.md default truth function at the bin centre. Prints one JSON
 * object: sizes, our times (pair aggregation + fit; and including CSV parsing, to match the peer's
 * end-to-end figure), the peer's wall time, the ratio, and the agreement (max relative ε and error
 * differences, the latter with and without the peer's Hessian sign convention; see docs/estimators.md, "Agreement with the peer").
 *
 *   npm run bench   (all benchmarks)   or   node dist/bench/binned-fit.js [nEvents=1000000] [seed=1]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Binning } from '../src/binning/Binning.js';
import { Matrix, inverse } from 'ml-matrix';
import { binnedNllDerivatives } from '../src/fit/binnedLikelihood.js';
import { eps12 } from '../src/method/pairFunction.js';
import { fitBinned } from '../src/fit/fitBinned.js';
import { pairCounts } from '../src/fit/pairCounts.js';
import { createRng } from '../src/rng.js';
import { PYTHON, peerAvailable, peerPath } from './peers.js';

export function benchBinnedFit(nEvents = 1e6, seed: string | number = '1'): Record<string, unknown> {
  const binning = Binning.defaults();
  const K = binning.size;

  // Truth ε at the bin centre (physics.md default: brem term only; the curvature term is negligible < 1 TeV here).
  const eps = Array.from({ length: K }, (_, k) => {
    const { iEta, iPt } = binning.coordinates(k);
    const eta = (binning.etaEdges[iEta]! + binning.etaEdges[iEta + 1]!) / 2;
    const pt = Math.min((binning.ptEdges[iPt]! + binning.ptEdges[iPt + 1]!) / 2, 200);
    return Math.min(2.5e-5 * Math.exp(2.2 * eta) * (1 + pt / 50) * (eta > 1.37 && eta < 1.52 ? 2 : 1), 0.5);
  });
  // Occupancy: falling in pT, flat-ish in |η|.
  const occ = Array.from({ length: K }, (_, k) => [0.55, 0.25, 0.12, 0.08][binning.coordinates(k).iPt]!);
  const cum: number[] = [];
  occ.reduce((s, v, k) => (cum[k] = s + v), 0);
  const total = cum[K - 1]!;

  const rng = createRng(`bench/binned-fit/${seed}`);
  const draw = (): number => {
    const u = rng.uniform() * total;
    let k = 0;
    while (cum[k]! < u) k++;
    return k;
  };
  const bin1 = new Int32Array(nEvents);
  const bin2 = new Int32Array(nEvents);
  const sc = new Uint8Array(nEvents);
  for (let e = 0; e < nEvents; e++) {
    const a = draw();
    const b = draw();
    bin1[e] = a;
    bin2[e] = b;
    sc[e] = (rng.uniform() < eps[a]! ? 1 : 0) ^ (rng.uniform() < eps[b]! ? 1 : 0);
  }
  const dir = mkdtempSync(join(tmpdir(), 'qmisid-bench-'));
  const csv = join(dir, 'events.csv');
  const lines = ['bin1,bin2,sc,w'];
  for (let e = 0; e < nEvents; e++) lines.push(`${bin1[e]},${bin2[e]},${sc[e]},1`);
  writeFileSync(csv, `${lines.join('\n')}\n`);

  function time<T>(f: () => T): [T, number] {
    const t0 = performance.now();
    const r = f();
    return [r, (performance.now() - t0) / 1000];
  }

  const [ours, tFit] = time(() => fitBinned({ bin1, bin2, sc }, K));
  const [, tEndToEnd] = time(() => {
    const text = readFileSync(csv, 'utf8');
    const rows = text.split('\n');
    const n = rows.length - 2;
    const b1 = new Int32Array(n);
    const b2 = new Int32Array(n);
    const s = new Uint8Array(n);
    const w = new Float64Array(n);
    for (let e = 0; e < n; e++) {
      const [a, b, c, d] = rows[e + 1]!.split(',');
      b1[e] = Number(a);
      b2[e] = Number(b);
      s[e] = Number(c);
      w[e] = Number(d);
    }
    return fitBinned({ bin1: b1, bin2: b2, sc: s, w }, K);
  });
  if (!peerAvailable('binned_fit.py')) return { bench: 'binned-fit', error: `${peerPath('binned_fit.py')} or ${PYTHON} not found` };
  const [peerText, tPeer] = time(() => execFileSync(PYTHON, [peerPath('binned_fit.py'), csv, String(K)], { encoding: 'utf8' }));
  const peer = JSON.parse(peerText.replace(/\bNaN\b/g, 'null')) as { eps: number[]; err: number[]; converged: boolean; nll: number };
  rmSync(dir, { recursive: true, force: true });

  // Compare on the bins both fits treat as interior ('fitted'); a bin with no same-charge event is at ε = 0 for
  // us and at a tiny positive value where the peer's L-BFGS-B stopped.
  if (process.env.BENCH_VERBOSE)
    console.error(
      ours.binStatus
        .map(
          (s, k) =>
            `${k} ${s} truth=${eps[k]!.toExponential(2)} ours=${ours.eps[k]!.toExponential(4)} peer=${peer.eps[k]!.toExponential(4)} n1=${bin1.filter((b) => b === k).length}`,
        )
        .join('\n'),
    );
  const fitted = Array.from({ length: K }, (_, k) => k).filter((k) => ours.binStatus[k] === 'fitted');
  const polished = fitBinned({ bin1, bin2, sc }, K, { start: peer.eps });
  // The peer's errors with its sign of the r·∂²p term, recomputed from its ε (see docs/estimators.md, "Agreement with the peer").
  const pc = pairCounts({ bin1, bin2, sc }, K);
  const peerEps = Float64Array.from(peer.eps);
  const H = binnedNllDerivatives(peerEps, pc).hess;
  for (let q = 0; q < pc.n.length; q++) {
    const i = pc.i[q]!;
    const j = pc.j[q]!;
    const r = pc.n[q]! - pc.s[q]! / eps12(peerEps[i]!, peerEps[j]!);
    if (i === j) H[i * K + i] += 8 * r;
    else {
      H[i * K + j] += 4 * r;
      H[j * K + i] += 4 * r;
    }
  }
  // Over all K bins, as the peer inverts it (its boundary bin floats at ~1e-13 instead of being fixed at 0).
  const covPeerConv = inverse(Matrix.from1DArray(K, K, Array.from(H)));
  const rel = (a: number, b: number): number => Math.abs(a / b - 1);
  const maxOver = (f: (k: number) => number): number => Math.max(...fitted.map(f));
  const pulls = fitted.map((k) => (ours.eps[k]! - eps[k]!) / ours.err[k]!);
  return {
    bench: 'binned-fit',
    nEvents,
    K,
    pairs: ours.counts.pairs,
    ours: { status: ours.status, iterations: ours.iterations, fitSeconds: tFit, endToEndSeconds: tEndToEnd, nll: ours.nll },
    peer: { converged: peer.converged, endToEndSeconds: tPeer, nll: peer.nll },
    speedRatioEndToEnd: tPeer / tEndToEnd,
    agreement: {
      fittedBins: fitted.length,
      zeroBins: ours.binStatus.filter((x) => x === 'zero').length,
      maxRelEps: maxOver((k) => rel(ours.eps[k]!, peer.eps[k]!)),
      maxEpsDiffInSigma: maxOver((k) => Math.abs(ours.eps[k]! - peer.eps[k]!) / ours.err[k]!),
      peerNllMinusOurs: peer.nll - ours.nll,
      polishedFromPeerMaxRelEps: maxOver((k) => rel(polished.eps[k]!, ours.eps[k]!)),
      maxRelErr: maxOver((k) => rel(ours.err[k]!, peer.err[k]!)),
      maxRelErrPeerConvention: maxOver((k) => rel(Math.sqrt(covPeerConv.get(k, k)), peer.err[k]!)),
    },
    closure: { maxAbsPull: Math.max(...pulls.map(Math.abs)), meanPull: pulls.reduce((s, v) => s + v, 0) / pulls.length },
  };
}

// `node dist/bench/binned-fit.js [nEvents] [seed]` runs it alone.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'))) {
  process.stdout.write(`${JSON.stringify(benchBinnedFit(Number(process.argv[2] ?? 1e6), process.argv[3] ?? '1'), null, 1)}\n`);
}
