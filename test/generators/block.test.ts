import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COLUMNS, concatTables, type EventTable } from '../../src/events/columns.js';
import { createBlockContext, generateBlock } from '../../generators/zee/generateBlock.js';
import { epsModel } from '../../generators/zee/epsModel.js';
import { mean, sampleStandardDeviation } from '../../src/stats/index.js';
import { REGION } from '../../src/selection/selection.js';

const NO_DEGRADATION = { detector: { flip: { lossMean: 0, extraSmear: 0 } } };

function blocks(input: object, n: number, seed: string | number = 'blk', blockSize = 65536): EventTable {
  const ctx = createBlockContext({ blockSize, ...input });
  return concatTables(Array.from({ length: n }, (_, b) => generateBlock(ctx, seed, b)));
}

function constantMap(value: number) {
  return { model: 'binned' as const, absEtaEdges: [0, 2.5], ptEdges: [0, 1e4], values: [[value]] };
}

describe('one block through the detector and selection', () => {
  it('writes every standard column with its type, orders electrons by reco pT and sets region from m_ee', () => {
    const t = blocks({}, 1, 1, 16384);
    expect(t.n).toBeGreaterThan(4000);
    for (const c of COLUMNS) {
      expect(t.columns[c.name], c.name).toBeDefined();
      expect(t.columns[c.name]!.length).toBe(t.n);
    }
    const { pt1, pt2, eta1, eta2, m_ee, region, q1, q2, sc, truth_q1, truth_q2, truth_flip1, truth_flip2, event } = t.columns;
    for (let i = 0; i < t.n; i++) {
      expect(pt1![i]!).toBeGreaterThanOrEqual(pt2![i]!);
      expect(pt2![i]!).toBeGreaterThan(25);
      for (const eta of [eta1![i]!, eta2![i]!]) {
        const a = Math.abs(eta);
        expect(a < 2.47 && !(a > 1.37 && a < 1.52)).toBe(true);
      }
      const m = m_ee![i]!;
      expect(region![i]).toBe(m >= 80 && m < 100 ? REGION.window : m >= 60 && m < 80 ? REGION.lowSideband : REGION.highSideband);
      expect(m >= 60 && m < 120).toBe(true);
      expect(sc![i]).toBe(q1![i] === q2![i] ? 1 : 0);
      expect(truth_q1![i]! * truth_q2![i]!).toBe(-1); // truth is opposite-charge only
      expect(q1![i]).toBe(truth_flip1![i] ? -truth_q1![i]! : truth_q1![i]!);
      expect(q2![i]).toBe(truth_flip2![i] ? -truth_q2![i]! : truth_q2![i]!);
      if (i > 0) expect(event![i]!).toBeGreaterThan(event![i - 1]!);
    }
  });

  it('ε ≡ 0 gives no same-charge event and no flip', () => {
    const t = blocks({ eps: constantMap(0) }, 1, 2);
    expect(t.n).toBeGreaterThan(20000);
    expect(t.columns.sc!.reduce((a, b) => a + b, 0)).toBe(0);
    expect(t.columns.truth_flip1!.reduce((a, b) => a + b, 0) + t.columns.truth_flip2!.reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('flips each electron with its truth ε, for arbitrary binned maps (fast-check, 4σ binomial)', () => {
    // Degradation off: then a flip does not change the kinematics, selection is blind to it, and the flip
    // count over selected electrons is a sum of independent Bernoulli(ε_i). Tolerance 4σ, σ² = Σ ε(1−ε).
    const map = fc
      .record({
        inner: fc.uniqueArray(fc.double({ min: 0.05, max: 2.4, noNaN: true }), { minLength: 0, maxLength: 4 }),
        ptInner: fc.uniqueArray(fc.double({ min: 26, max: 200, noNaN: true }), { minLength: 0, maxLength: 3 }),
        seed: fc.nat(),
      })
      .chain(({ inner, ptInner, seed }) => {
        const absEtaEdges = [0, ...inner.sort((a, b) => a - b), 2.5];
        const ptEdges = [0, ...ptInner.sort((a, b) => a - b), 1e4];
        return fc
          .array(fc.array(fc.double({ min: 0, max: 0.5, noNaN: true }), { minLength: ptEdges.length - 1, maxLength: ptEdges.length - 1 }), {
            minLength: absEtaEdges.length - 1,
            maxLength: absEtaEdges.length - 1,
          })
          .map((values) => ({ absEtaEdges, ptEdges, values, seed }));
      });
    fc.assert(
      fc.property(map, ({ absEtaEdges, ptEdges, values, seed }) => {
        const eps = { model: 'binned' as const, absEtaEdges, ptEdges, values };
        const t = blocks({ ...NO_DEGRADATION, eps }, 1, seed, 8192);
        const model = epsModel({ ...eps });
        const c = t.columns;
        let flips = 0;
        let expected = 0;
        let variance = 0;
        for (let i = 0; i < t.n; i++) {
          for (const k of [1, 2] as const) {
            const e = c[`truth_eps${k}`]![i]!;
            // The recorded ε is the model evaluated on the TRUTH electron.
            if (e !== model(c[`truth_pt${k}`]![i]!, Math.abs(c[`truth_eta${k}`]![i]!), c[`truth_phi${k}`]![i]!)) return false;
            flips += c[`truth_flip${k}`]![i]!;
            expected += e;
            variance += e * (1 - e);
          }
        }
        return Math.abs(flips - expected) <= 4 * Math.sqrt(variance);
      }),
      { numRuns: 25 },
    );
  });

  it('same-charge fraction equals the mean of ε1 + ε2 − 2ε1ε2 (σ from the sample, 4σ)', () => {
    const t = blocks({ ...NO_DEGRADATION, eps: { eps0: 2.5e-4 } }, 1, 3);
    const { sc, truth_eps1: e1, truth_eps2: e2 } = t.columns;
    let nsc = 0;
    let expected = 0;
    let variance = 0;
    for (let i = 0; i < t.n; i++) {
      const p = e1![i]! + e2![i]! - 2 * e1![i]! * e2![i]!;
      nsc += sc![i]!;
      expected += p;
      variance += p * (1 - p);
    }
    expect(nsc).toBeGreaterThan(200);
    expect(Math.abs(nsc - expected)).toBeLessThan(4 * Math.sqrt(variance));
  });

  const peaks = (input: object) => {
    const t = blocks({ eps: constantMap(0.05), ...input }, 2, 4);
    const { m_ee, sc, region } = t.columns;
    const oc: number[] = [];
    const ss: number[] = [];
    for (let i = 0; i < t.n; i++) if (region![i] === REGION.window) (sc![i] ? ss : oc).push(m_ee![i]!);
    return { oc: peakMoments(oc), sc: peakMoments(ss) };
  };
  // SE of the mean s/√n and of the sample sd, normal approximation s/√(2(n−1)) (the m_ee core is close to
  // normal inside the window).
  const peakMoments = (xs: number[]) => {
    const n = xs.length;
    const sd = sampleStandardDeviation(xs);
    return { mean: mean(xs), sd, se: sd / Math.sqrt(n), seSd: sd / Math.sqrt(2 * (n - 1)), n };
  };

  it('puts the same-charge peak lower and wider than the opposite-charge one when flips degrade the momentum', () => {
    const { oc, sc } = peaks({});
    expect(sc.n).toBeGreaterThan(3000);
    // 4σ of the difference, σ from the two samples (mean: SE; width: SE of a normal sd).
    expect(oc.mean - sc.mean).toBeGreaterThan(4 * Math.hypot(oc.se, sc.se));
    expect(sc.sd - oc.sd).toBeGreaterThan(4 * Math.hypot(oc.seSd, sc.seSd));
  });

  it('gives equal OC and SC peaks within 4σ when the degradation is off', () => {
    const { oc, sc } = peaks(NO_DEGRADATION);
    expect(Math.abs(oc.mean - sc.mean)).toBeLessThan(4 * Math.hypot(oc.se, sc.se));
    expect(Math.abs(sc.sd - oc.sd)).toBeLessThan(4 * Math.hypot(oc.seSd, sc.seSd));
  });

  it('fractional smearing: n detector passes per truth event, weight 1/n, shared event index, same weighted yield', () => {
    const one = blocks({}, 1, 5, 16384);
    const three = blocks({ smearing: { copies: 3 } }, 1, 5, 16384);
    const { w, event } = three.columns;
    const per = new Map<number, number>();
    let sumW = 0;
    for (let i = 0; i < three.n; i++) {
      expect(w![i]).toBeCloseTo(1 / 3, 15);
      sumW += w![i]!;
      per.set(event![i]!, (per.get(event![i]!) ?? 0) + 1);
    }
    expect(Math.max(...per.values())).toBe(3);
    expect(Math.min(...per.values())).toBeGreaterThanOrEqual(1);
    // Same truth events: the weighted yield differs from the single pass only by detector fluctuations.
    // Per truth event a pass is at most Bernoulli(p), so Var(Δ) ≤ (1 + 1/3)·N·p(1−p); 4σ of that bound.
    const p = one.n / 16384;
    expect(Math.abs(sumW - one.n)).toBeLessThan(4 * Math.sqrt((4 / 3) * 16384 * p * (1 - p)));
  });

  it('adds fake pairs at the configured fraction and SC share, ε-independent and flagged', () => {
    const t = blocks({ eps: constantMap(0), background: { fraction: 0.1, scShare: 0.3 } }, 1, 6);
    const { is_background: bg, sc, truth_flip1, truth_flip2, truth_eps1, event, m_ee, region } = t.columns;
    let nb = 0;
    let nbSc = 0;
    for (let i = 0; i < t.n; i++) {
      if (!bg![i]) {
        expect(sc![i]).toBe(0); // ε ≡ 0: every SC event is a fake
        continue;
      }
      nb++;
      nbSc += sc![i]!;
      expect(truth_flip1![i]! + truth_flip2![i]!).toBe(0);
      expect(truth_eps1![i]).toBe(0);
      expect(event![i]!).toBeGreaterThanOrEqual(0x80000000);
      expect(region![i]).toBe(
        m_ee![i]! >= 80 && m_ee![i]! < 100 ? REGION.window : m_ee![i]! < 80 ? REGION.lowSideband : REGION.highSideband,
      );
    }
    // Fakes per signal row ~ Poisson(r), r = f/(1−f): 4σ on the count, σ = √(r·N_signal).
    const nSig = t.n - nb;
    const r = 0.1 / 0.9;
    expect(Math.abs(nb - r * nSig)).toBeLessThan(4 * Math.sqrt(r * nSig));
    expect(Math.abs(nbSc / nb - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / nb));
  });
});
