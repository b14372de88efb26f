/**
 * The latent electron model (generators/zee/electron/, docs/electrons.md).
 * Statistical checks use the sample's own binomial / Poisson-binomial errors at 4σ (or p > 1e-4 for χ²);
 * 6 such checks here → family-wise false-alarm rate below 1e-3. Each calibration check is shown to fail on a
 * mis-specified model (power), on the same sample.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { COLUMNS, ELECTRON_COLUMNS, generatedColumns, type EventTable } from '../../src/events/columns.js';
import { ConfigError } from '../../src/errors.js';
import { resolveGeneratorConfig, type GeneratorConfigInput } from '../../src/config/generatorConfig.js';
import { generateEvents } from '../../generators/zee/generateEvents.js';
import { latentElectron } from '../../generators/zee/electron/latentElectron.js';
import { reachableTarget } from '../../generators/zee/electron/reachableTarget.js';
import { materialProfile } from '../../generators/zee/electron/materialProfile.js';
import { upperTailProbability } from '../../generators/zee/normalTail.js';
import { columnBytes } from './helpers.js';

function allBytes(t: EventTable): string {
  const h = createHash('sha256');
  for (const c of generatedColumns(true)) {
    const col = t.columns[c.name]!;
    h.update(c.name);
    h.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  }
  return h.digest('hex');
}

// Rates enhanced ×10 (a0) so a small sample holds thousands of flips.
const boosted: GeneratorConfigInput = { blockSize: 8192, electron: { model: 'latent', trident: { a0: 0.2 } } };

/** χ² of observed flips against Σ eps_reach in bins of the target (Poisson-binomial variance Σ p(1 − p)). */
function calibration(t: EventTable, reach: (i: number, k: 1 | 2) => number): { chi2: number; dof: number; p: number } {
  const edges = [0, 1e-4, 1e-3, 1e-2, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 1.0000001];
  const obs = new Float64Array(edges.length - 1);
  const exp = new Float64Array(edges.length - 1);
  const v = new Float64Array(edges.length - 1);
  for (let i = 0; i < t.n; i++) {
    if (t.columns.is_background![i]) continue;
    for (const k of [1, 2] as const) {
      const p = reach(i, k);
      let b = 0;
      while (p >= edges[b + 1]!) b++;
      obs[b] += t.columns[`truth_flip${k}`]![i]!;
      exp[b] += p;
      v[b] += p * (1 - p);
    }
  }
  let chi2 = 0;
  let dof = 0;
  for (let b = 0; b < obs.length; b++) {
    if (v[b]! < 5) continue; // too few expected flips for the normal approximation
    chi2 += (obs[b]! - exp[b]!) ** 2 / v[b]!;
    dof++;
  }
  // Wilson–Hilferty: (χ²/ν)^{1/3} is close to normal with mean 1 − 2/(9ν) and variance 2/(9ν).
  const z = (Math.cbrt(chi2 / dof) - (1 - 2 / (9 * dof))) / Math.sqrt(2 / (9 * dof));
  return { chi2, dof, p: upperTailProbability(z) };
}

describe('latent electron model', () => {
  it('leaves the default output byte-identical (golden hash of the default sample before the model existed)', async () => {
    const r = await generateEvents({ events: 40000, seed: 20261130, workers: 0 });
    expect(Object.keys(r.table!.columns).sort()).toEqual(COLUMNS.map((c) => c.name).sort());
    expect(r.table!.n).toBe(13818);
    expect(columnBytes(r.table!)).toBe('86b828732b680086d1a36473c4b6932b43bbb2bfada2ec8ac7ee88011e706f13');
    expect(r.config.electron).toBeUndefined();
  });

  it('config: latent model resolves with its defaults, rejects an eps block and bad material nodes by path', () => {
    const cfg = resolveGeneratorConfig({ electron: { model: 'latent' } });
    expect(cfg.electron?.model).toBe('latent');
    const again = resolveGeneratorConfig(JSON.parse(JSON.stringify(cfg)) as GeneratorConfigInput);
    expect(again.electron).toEqual(cfg.electron);
    const fail = (input: unknown, path: string): void => {
      let caught: unknown;
      try {
        resolveGeneratorConfig(input as GeneratorConfigInput);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).path).toBe(path);
    };
    fail({ electron: { model: 'latent' }, eps: { beta: 3 } }, 'eps');
    fail({ electron: { model: 'latent', material: { x0: [1, 2] } } }, 'electron.material.x0');
    fail({ electron: { model: 'latent', material: { absEta: [0, 2, 1, 3, 4, 5, 6, 7, 8] } } }, 'electron.material.absEta');
    fail({ electron: { model: 'latent', bogus: 1 } }, 'electron.bogus');
  });

  it('material profile: piecewise linear, a step across the barrel–endcap transition, flat beyond the last node', () => {
    const m = materialProfile([0, 1.37, 1.52, 2.47], [0.5, 1.0, 1.6, 2.3], 1.1);
    expect(m(0)).toBeCloseTo(0.55, 12);
    expect(m(1.37)).toBeCloseTo(1.1, 12);
    expect(m(1.52) - m(1.37)).toBeCloseTo(0.66, 12);
    expect(m(3)).toBeCloseTo(2.53, 12);
  });

  it('writes the feature columns, is identical serial and on 2 workers, and flips as often as its latent ε says', async () => {
    const a = await generateEvents({ config: boosted, events: 60000, seed: 3, workers: 0 });
    const b = await generateEvents({ config: boosted, events: 60000, seed: 3, workers: 2, chunkEvents: 16384 });
    const t = a.table!;
    for (const c of ELECTRON_COLUMNS) expect(t.columns[c.name]?.length).toBe(t.n);
    expect(allBytes(t)).toBe(allBytes(b.table!));
    // Flip count vs Σ truth_eps per |η| region (binomial, 4σ).
    const edges = [0, 0.8, 1.37, 1.8, 2.5];
    for (let r = 0; r < edges.length - 1; r++) {
      let flips = 0;
      let sum = 0;
      let v = 0;
      for (let i = 0; i < t.n; i++)
        for (const k of [1, 2] as const) {
          const ae = Math.abs(t.columns[`truth_eta${k}`]![i]!);
          if (ae < edges[r]! || ae >= edges[r + 1]!) continue;
          const e = t.columns[`truth_eps${k}`]![i]!;
          flips += t.columns[`truth_flip${k}`]![i]!;
          sum += e;
          v += e * (1 - e);
        }
      expect(sum).toBeGreaterThan(15);
      expect(Math.abs(flips - sum)).toBeLessThan(4 * Math.sqrt(v));
    }
  });

  it('the flip probability follows from the latents: at fixed (pT, |η|) it is zero without hard brem and large with it', async () => {
    const t = (await generateEvents({ config: boosted, events: 60000, seed: 4, workers: 0 })).table!;
    const y0 = resolveGeneratorConfig(boosted).electron!.model === 'latent' ? 1.45 : NaN;
    let soft = 0;
    let softFlip = 0;
    let hard = 0;
    let hardFlip = 0;
    for (let i = 0; i < t.n; i++)
      for (const k of [1, 2] as const) {
        const ae = Math.abs(t.columns[`truth_eta${k}`]![i]!);
        const pt = t.columns[`truth_pt${k}`]![i]!;
        if (ae < 1.52 || ae > 2.0 || pt < 35 || pt > 50) continue; // one (pT, |η|) cell
        if (t.columns[`truth_brem${k}`]![i]! > y0) (hard++, (hardFlip += t.columns[`truth_flip${k}`]![i]!));
        else (soft++, (softFlip += t.columns[`truth_flip${k}`]![i]!));
      }
    expect(softFlip).toBe(0); // no curvature flips at 35–50 GeV, no trident without a hard photon
    expect(hard).toBeGreaterThan(200);
    // ≥ 5 % of hard-brem electrons flip (expected ≈ 10 % here); binomial 4σ below that would be ≥ 5σ away.
    expect(hardFlip / hard).toBeGreaterThan(0.05);
    expect(soft).toBeGreaterThan(hard);
  });

  it('the reachable target is calibrated (flips = Σ eps_reach in bins of it) and a mis-specified posterior fails', async () => {
    const r = await generateEvents({ config: boosted, events: 80000, seed: 9, workers: 0 });
    const t = r.table!;
    const good = calibration(t, (i, k) => t.columns[`eps_reach${k}`]![i]!);
    expect(good.dof).toBeGreaterThanOrEqual(6);
    expect(good.p).toBeGreaterThan(1e-4);
    // Power: the posterior of a model that ignores the Δφ shift of a flipped track (flipShift 0) on the same events.
    const cfg = resolveGeneratorConfig(boosted);
    if (cfg.electron?.model !== 'latent') throw new Error('latent expected');
    const wrong = latentElectron({
      ...cfg.electron,
      features: { ...cfg.electron.features, dphi: { ...cfg.electron.features.dphi, flipShift: 0 } },
    });
    const c = t.columns;
    const bad = calibration(t, (i, k) =>
      reachableTarget(wrong, {
        pt: c[`truth_pt${k}`]![i]!,
        absEta: Math.abs(c[`truth_eta${k}`]![i]!),
        eop: c[`eop${k}`]![i]!,
        d0sig: c[`d0sig${k}`]![i]!,
        dphiq: c[`dphiq${k}`]![i]!,
        ipix: c[`ipix${k}`]![i]!,
        curvsig: c[`curvsig${k}`]![i]!,
        reta: c[`reta${k}`]![i]!,
      }),
    );
    expect(bad.p).toBeLessThan(1e-4);
    // And the target sits above ½ for a sub-population of strongly tagged flips while the bulk stays far below.
    let above = 0;
    const all: number[] = [];
    for (let i = 0; i < t.n; i++)
      for (const k of [1, 2] as const) (all.push(c[`eps_reach${k}`]![i]!), (above += c[`eps_reach${k}`]![i]! > 0.5 ? 1 : 0));
    all.sort((x, y) => x - y);
    expect(above).toBeGreaterThan(100);
    expect(all[all.length >> 1]!).toBeLessThan(1e-2);
  });
});
