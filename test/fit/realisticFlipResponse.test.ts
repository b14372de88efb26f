/**
 * The 'realistic' flip-response profile (src/fit/flipResponse.ts; physics.md: E − 1.35·b(|η|) + N(0, 1.25·s(|η|)),
 * b 1.6–4.9 GeV, s 1.75–3.75 GeV over six |η| bins): resolved through the one flip-response schema, it moves the
 * SC Z peak several GeV down and widens it (the default profile: well under 1 GeV), and the folded fit with it
 * removes the selection bias of the ordinary fit. Sample: ε 3 % / 8 % (barrel / endcap) so the SC peak has
 * thousands of events. Tolerances: 4σ from the sample's own errors (3 checks → family-wise rate ≈ 2e-4).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Binning } from '../../src/binning/Binning.js';
import type { EventTable } from '../../src/events/columns.js';
import { resolveGeneratorConfig } from '../../src/config/generatorConfig.js';
import { fitBinnedTable } from '../../src/fit/fitBinned.js';
import { fitFoldedTable } from '../../src/fit/fitFolded.js';
import { applyFlipResponse, flipResponseSchema, FLIP_RESPONSE_PROFILES } from '../../src/fit/flipResponse.js';
import { generateEvents } from '../../generators/zee/generateEvents.js';

const EPS_ETA = [0.03, 0.08];
const binning = Binning.fromEdges([0, 1.37, 2.47], [25, 45, 14000]);
const truthOf = (k: number): number => EPS_ETA[Math.floor(k / 2)]!;

async function sample(flip: Record<string, unknown>, seed: string): Promise<EventTable> {
  const r = await generateEvents({
    config: {
      eps: { model: 'binned', absEtaEdges: [0, 1.37, 2.5], ptEdges: [0, 14000], values: EPS_ETA.map((e) => [e]) },
      detector: { flip },
    },
    events: 200_000,
    seed,
    workers: 1,
  });
  return r.table!;
}

/** Median and its standard error (1.2533·sd/√n) of m_ee for SC or OC events. */
function peak(t: EventTable, sc: 0 | 1): { median: number; se: number; sd: number } {
  const m: number[] = [];
  for (let i = 0; i < t.n; i++)
    if (t.columns.sc![i] === sc && t.columns.m_ee![i]! > 70 && t.columns.m_ee![i]! < 110) m.push(t.columns.m_ee![i]!);
  m.sort((a, b) => a - b);
  const mean = m.reduce((a, b) => a + b, 0) / m.length;
  const sd = Math.sqrt(m.reduce((a, x) => a + (x - mean) ** 2, 0) / (m.length - 1));
  return { median: m[m.length >> 1]!, se: (1.2533 * sd) / Math.sqrt(m.length), sd };
}

describe("flip response profile 'realistic'", () => {
  it('expands in the one schema (generator and fits alike), keys override, unknown profiles are rejected by path', () => {
    const cfg = resolveGeneratorConfig({ detector: { flip: { profile: 'realistic' } } });
    expect(cfg.detector.flip).toEqual(FLIP_RESPONSE_PROFILES.realistic);
    expect(flipResponseSchema.parse({ profile: 'realistic', lossMean: 0.01 }).lossMean).toBe(0.01);
    expect(resolveGeneratorConfig({}).detector.flip).toEqual(FLIP_RESPONSE_PROFILES.default);
    expect(() => resolveGeneratorConfig({ detector: { flip: { profile: 'bogus' } } })).toThrow(/detector\.flip\.profile/);
    expect(() =>
      flipResponseSchema.parse({ lossMean: 0, extraSmear: 0, etaShift: { absEtaEdges: [0, 1], shift: [1, 2], smear: [1] } }),
    ).toThrow();
    // The shift: E − 1.35·b in the central bin, − 1.35·4.9 GeV beyond |η| 2.3 (smearing off: a normal of 0).
    const zero = { uniform: () => 0.5, normal: () => 0 };
    expect(applyFlipResponse(zero, FLIP_RESPONSE_PROFILES.realistic, 100, 0.3)).toBeCloseTo(100 - 1.35 * 1.6, 12);
    expect(applyFlipResponse(zero, FLIP_RESPONSE_PROFILES.realistic, 100, 2.4)).toBeCloseTo(100 - 1.35 * 4.9, 12);
  });

  describe('on a sample', () => {
    let real: EventTable;
    let mild: EventTable;
    beforeAll(async () => {
      real = await sample({ profile: 'realistic' }, 'realistic/1');
      mild = await sample({}, 'realistic/1');
    });

    it('moves the SC peak down by more than 1.5 GeV and widens it (default profile: under 1 GeV)', () => {
      const oc = peak(real, 0);
      const sc = peak(real, 1);
      const shift = sc.median - oc.median;
      expect(shift + 4 * Math.hypot(sc.se, oc.se)).toBeLessThan(-1.5);
      // Wider: the sd ratio (inside 70–110 GeV, which truncates the SC tail) above 1 by 4σ, σ of a ratio of sample
      // sds ≈ ratio·√(1/(2n_SC) + 1/(2n_OC)).
      expect(sc.sd / oc.sd - 1).toBeGreaterThan((4 * (sc.sd / oc.sd) * Math.hypot(sc.se / sc.sd, oc.se / oc.sd)) / (1.2533 * Math.SQRT2));
      const mildShift = peak(mild, 1).median - peak(mild, 0).median;
      expect(Math.abs(mildShift)).toBeLessThan(1);
      console.log(
        `SC − OC median: realistic ${shift.toFixed(2)} GeV (sd ratio ${(sc.sd / oc.sd).toFixed(2)}), default ${mildShift.toFixed(2)} GeV`,
      );
    });

    it('the folded fit with the realistic response recovers ε where the ordinary fit is biased low', () => {
      const naive = fitBinnedTable(real, binning);
      const fold = fitFoldedTable(real, binning, { response: FLIP_RESPONSE_PROFILES.realistic, seed: 'realistic/mc' });
      expect(fold.status).toBe('converged');
      const pulls = Array.from(fold.eps, (e, k) => (e - truthOf(k)) / fold.errSandwich[k]!);
      const naivePulls = Array.from(naive.eps, (e, k) => (e - truthOf(k)) / naive.errSandwich[k]!);
      console.log(
        `realistic response: folded pulls ${pulls.map((p) => p.toFixed(2)).join(' ')}; ordinary ${naivePulls.map((p) => p.toFixed(2)).join(' ')}`,
      );
      for (const p of pulls) expect(Math.abs(p)).toBeLessThan(4);
      expect(Math.min(...naivePulls)).toBeLessThan(-4);
    });
  });
});
