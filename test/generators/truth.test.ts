import { describe, expect, it } from 'vitest';
import { resolveGeneratorConfig } from '../../src/config/generatorConfig.js';
import { buildTruthSamplers, breitWignerCdf, breitWignerM2, zPtCdf } from '../../generators/zee/truthSamplers.js';
import { allocateTruthBuffers, generateTruth } from '../../generators/zee/truthKinematics.js';
import { UniformStream } from '../../generators/zee/uniformStream.js';
import { TabulatedSampler } from '../../generators/zee/tabulatedSampler.js';
import { sinCosOut, turnSinCos } from '../../generators/zee/turnSinCos.js';
import { ksOneSample } from '../../src/stats/index.js';

function truthSample(n: number, input: object = {}, seed = 'truth-test') {
  const cfg = resolveGeneratorConfig(input);
  const s = buildTruthSamplers(cfg);
  const T = allocateTruthBuffers(n);
  generateTruth(new UniformStream(seed), s, n, T);
  return { cfg, s, T };
}

describe('truth Z → ee kinematics', () => {
  const N = 100000;
  const { cfg, s, T } = truthSample(N);

  it('conserves four-momentum: e− + e+ equals the Z built from (m, pT, y, φ), electrons are massless', () => {
    let worst = 0;
    for (let i = 0; i < N; i++) {
      const m = T.m[i]!;
      const pt = T.zPt[i]!;
      const mt = Math.sqrt(m * m + pt * pt);
      const Z = [mt * Math.cosh(T.zY[i]!), pt * Math.cos(T.zPhi[i]!), pt * Math.sin(T.zPhi[i]!), mt * Math.sinh(T.zY[i]!)];
      const sum = [T.e1[i]! + T.e2[i]!, T.px1[i]! + T.px2[i]!, T.py1[i]! + T.py2[i]!, T.pz1[i]! + T.pz2[i]!];
      // Relative to the Z energy: double rounding through the boost is ~1e-16 per operation.
      for (let k = 0; k < 4; k++) worst = Math.max(worst, Math.abs(sum[k]! - Z[k]!) / Z[0]!);
      const m2 = sum[0]! ** 2 - sum[1]! ** 2 - sum[2]! ** 2 - sum[3]! ** 2;
      worst = Math.max(worst, Math.abs(Math.sqrt(m2) - m) / Z[0]!);
      for (const [e, x, y, z] of [
        [T.e1[i]!, T.px1[i]!, T.py1[i]!, T.pz1[i]!],
        [T.e2[i]!, T.px2[i]!, T.py2[i]!, T.pz2[i]!],
      ] as const)
        worst = Math.max(worst, Math.abs(e - Math.hypot(x, y, z)) / Z[0]!);
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('follows the relativistic Breit–Wigner in m² (KS against the exact CDF) and the test has power', () => {
    expect(ksOneSample(T.m, (m) => breitWignerCdf(s, m)).pValue).toBeGreaterThan(1e-3);
    // The same sample against a 5 % wider lineshape must be rejected.
    const wider = buildTruthSamplers(resolveGeneratorConfig({ truth: { gammaZ: 1.05 * cfg.truth.gammaZ } }));
    expect(ksOneSample(T.m, (m) => breitWignerCdf(wider, m)).pValue).toBeLessThan(1e-6);
    for (const m of T.m) {
      expect(m).toBeGreaterThanOrEqual(60);
      expect(m).toBeLessThanOrEqual(120);
    }
  });

  it('tabulates the Z pT and rapidity spectra to a CDF accuracy better than 1e-7 and samples them (KS)', () => {
    expect(s.zSqrtPt.maxCdfError()).toBeLessThan(1e-7);
    expect(s.absY.maxCdfError()).toBeLessThan(1e-7);
    expect(ksOneSample(T.zPt, (x) => zPtCdf(s, x)).pValue).toBeGreaterThan(1e-3);
    const absY = T.zY.map(Math.abs);
    // |y| is bounded event by event (x1,2 ≤ 1); at 13 TeV that removes < 1 % near |y| ≈ 5, so compare below 4.
    const inner = absY.filter((y) => y < 4);
    const c4 = s.absY.cdfAt(4);
    expect(ksOneSample(inner, (y) => s.absY.cdfAt(y) / c4).pValue).toBeGreaterThan(1e-3);
    // Mean Z pT: physics.md says ≈ 20 GeV (quoted to ±0.5). The spectrum's mean by quadrature over the inverse
    // CDF (midpoint rule in u, 2e5 points), and the sample mean against it within 4 SE.
    let exactMean = 0;
    const K = 200000;
    for (let k = 0; k < K; k++) exactMean += s.zSqrtPt.sample((k + 0.5) / K) ** 2 / K;
    expect(Math.abs(exactMean - 20)).toBeLessThan(0.5);
    let mean = 0;
    let m2 = 0;
    for (const v of T.zPt) {
      mean += v / N;
      m2 += (v * v) / N;
    }
    expect(Math.abs(mean - exactMean)).toBeLessThan(4 * Math.sqrt((m2 - mean * mean) / N));
  });

  it('a TabulatedSampler reproduces a known analytic CDF (exponential) to its stated accuracy', () => {
    const t = new TabulatedSampler((x) => Math.exp(-x), 0, 10, 4097);
    const exact = (x: number) => -Math.expm1(-x) / -Math.expm1(-10);
    let worst = 0;
    for (let u = 0.0005; u < 1; u += 0.001) worst = Math.max(worst, Math.abs(exact(t.sample(u)) - u));
    // Linear CDF between nodes of width h = 10/4096: error ≤ h²·max|f'|/8 ≈ 7.5e-7.
    expect(worst).toBeLessThan(7.5e-7);
  });

  it('turnSinCos, sampleExp and breitWignerM2 agree with Math.cos/sin, Math.exp and Math.tan', () => {
    let worst = 0;
    for (let k = 0; k < 100000; k++) {
      const u = (k + 0.37) / 100000;
      turnSinCos(u);
      worst = Math.max(worst, Math.abs(sinCosOut[0]! - Math.cos(2 * Math.PI * u)), Math.abs(sinCosOut[1]! - Math.sin(2 * Math.PI * u)));
    }
    expect(worst).toBeLessThan(1e-15);
    let rel = 0;
    for (let k = 0; k < 10000; k++) {
      const y = s.absY.sampleExp((k + 0.5) / 10000);
      rel = Math.max(rel, Math.abs(s.absY.lastExp / Math.exp(y) - 1));
    }
    expect(rel).toBeLessThan(1e-14);
    // The tabulated tangent of the mass inversion against Math.tan, relative to m² (what is used).
    let worstM2 = 0;
    for (let k = 0; k < 100000; k++) {
      const u = (k + 0.61) / 100000;
      const exact = s.m2Z + s.mGamma * Math.tan(s.thetaLo + u * s.thetaSpan);
      worstM2 = Math.max(worstM2, Math.abs(breitWignerM2(s, u) / exact - 1));
    }
    expect(worstM2).toBeLessThan(1e-14);
  });

  it('generates 1 + cos²θ* + (8/3)A_FB·cosθ* in the Collins–Soper frame (measured from lab momenta)', () => {
    const n = 60000;
    const A = 0.3;
    const { T: t } = truthSample(n, { truth: { afb: A } }, 'cs');
    const cs = new Float64Array(n);
    let fwd = 0;
    for (let i = 0; i < n; i++) {
      // Collins–Soper: cosθ = sign(Pz)·2(p1+ p2− − p1− p2+)/(m·mT), p± = (E ± pz)/√2, particle 1 = e−.
      const E = t.e1[i]! + t.e2[i]!;
      const px = t.px1[i]! + t.px2[i]!;
      const py = t.py1[i]! + t.py2[i]!;
      const pz = t.pz1[i]! + t.pz2[i]!;
      const m = Math.sqrt(E * E - px * px - py * py - pz * pz);
      const mt = Math.sqrt(m * m + px * px + py * py);
      const p1p = (t.e1[i]! + t.pz1[i]!) / Math.SQRT2;
      const p1m = (t.e1[i]! - t.pz1[i]!) / Math.SQRT2;
      const p2p = (t.e2[i]! + t.pz2[i]!) / Math.SQRT2;
      const p2m = (t.e2[i]! - t.pz2[i]!) / Math.SQRT2;
      cs[i] = (Math.sign(pz) * 2 * (p1p * p2m - p1m * p2p)) / (m * mt);
      if (cs[i]! > 0) fwd++;
    }
    const cdf = (c: number) => (c + 1 + (c ** 3 + 1) / 3 + (4 / 3) * A * (c * c - 1)) / (8 / 3);
    expect(ksOneSample(cs, cdf).pValue).toBeGreaterThan(1e-3);
    const afb = (2 * fwd - n) / n;
    expect(Math.abs(afb - A)).toBeLessThan(4 * Math.sqrt((1 - A * A) / n));
  });

  it('gives ≈ 39 % of events with both electrons pT > 25 GeV, |η| < 2.5 (the rapidity tune of physics.md)', () => {
    let pass = 0;
    for (let i = 0; i < N; i++) {
      const pt1 = Math.hypot(T.px1[i]!, T.py1[i]!);
      const pt2 = Math.hypot(T.px2[i]!, T.py2[i]!);
      const ok = pt1 > 25 && pt2 > 25 && Math.abs(Math.asinh(T.pz1[i]! / pt1)) < 2.5 && Math.abs(Math.asinh(T.pz2[i]! / pt2)) < 2.5;
      if (ok) pass++;
    }
    const f = pass / N;
    // physics.md quotes "≈ 39 %" (two digits: ±0.5 % rounding) for its tune; add 4 binomial σ of this sample.
    const tol = 0.005 + 4 * Math.sqrt((0.39 * 0.61) / N);
    expect(Math.abs(f - 0.39)).toBeLessThan(tol);
  });
});
