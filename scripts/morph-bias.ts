/**
 * The quantile morph's own bias on a perfect estimator (docs/electrons.md, "Mismodelling and quantile
 * morphing"), without any network: per seed, the `mismodelling` study's MC and data samples (the study's
 * generator configurations, sizes and random streams, runToy.ts), the data's R_η and d0 significance morphed
 * onto the MC's (src/method/quantileMorph.ts), and the predicted SC yield Σ ε12 = Σ (ε1 + ε2 − 2ε1ε2) over
 * the data's window events before and after, with ε the MC model's
 *   - reachable target P(flip | all six features, truth pT, |η|) (generators/zee/electron/reachableTarget.ts);
 *   - 4-feature posterior P(flip | truth pT, |η|, R_η, d0sig), what φ on the study's four features can learn:
 *     R_η and d0 depend on the class C (primary P, conversion leg W) only, so
 *       P(F | x) = Σ_C P(C | x)·P(F | C),  P(C | x) ∝ P(C)·N(d0; 0, σ_C)·N(ln(1 − R_η); μ_C, σ_R),
 *       P(W) = A_c·e^{−y0/μ}·μ/(1 + μ),  P(F | P) = Q(x0),  P(F | W) = ρ(1 − Q(x0_W)) + (1 − ρ)Q(x0_W).
 * Every difference is paired (the same events before and after). At `shift` the truth is the data's own model's
 * target on its own (shifted) features.
 *
 *   npx tsx scripts/morph-bias.ts [SEEDS=40] [FIRST=0]     one JSON line per seed, then {summary: mean, se, sd}
 */
import { loadStudy } from '../src/study/loadStudy.js';
import { mcLabel, resolveStudy } from '../src/study/resolveStudy.js';
import { generate, toySeed } from '../src/study/runToy.js';
import { windowTable } from '../src/study/prepareTable.js';
import { quantileMorph } from '../src/method/quantileMorph.js';
import { MorphSpecSchema } from '../src/study/studySchema.js';
import { deriveSeed } from '../src/rng.js';
import { latentElectron, type LatentElectron } from '../generators/zee/electron/latentElectron.js';
import { reachableTargetFn, type ElectronObservation } from '../generators/zee/electron/reachableTarget.js';
import { upperTailProbability } from '../generators/zee/normalTail.js';
import type { EventTable } from '../src/events/columns.js';
import type { LatentElectronConfig } from '../src/config/generatorConfig.js';

type Target = (o: ElectronObservation) => number;

function posterior4(model: LatentElectron): Target {
  const c = model.cfg;
  const f = c.features;
  const logN = (x: number, m: number, s: number): number => -0.5 * ((x - m) / s) ** 2 - Math.log(s);
  return (o) => {
    const t = model.material(o.absEta);
    const mu = c.brem.yPerX0 * t;
    const pW = (model.amplitude(o.pt, t) * Math.exp(-c.trident.y0 / mu) * mu) / (1 + mu);
    const xP = model.x0Primary(o.pt, o.absEta);
    const qP = upperTailProbability(xP);
    const qW = upperTailProbability(xP / c.curvature.wrongLegFactor);
    const fW = c.trident.wrongSign * (1 - qW) + (1 - c.trident.wrongSign) * qW;
    const lr = Math.log(1 - o.reta);
    const rMean = f.reta.mu + f.reta.perX0 * t;
    const logOddsW =
      Math.log(pW) -
      Math.log1p(-pW) +
      logN(o.d0sig, 0, f.d0sig.sigmaWrongLeg) +
      logN(lr, rMean + f.reta.wrongLeg, f.reta.sigma) -
      logN(o.d0sig, 0, f.d0sig.sigma) -
      logN(lr, rMean, f.reta.sigma);
    const w = 1 / (1 + Math.exp(-logOddsW));
    return (1 - w) * qP + w * fW;
  };
}

/** ε of every electron (leg 1 rows, then leg 2), fakes 0. */
function perElectron(t: EventTable, eps: Target): Float64Array {
  const c = t.columns;
  const out = new Float64Array(2 * t.n);
  for (const l of [1, 2])
    for (let i = 0; i < t.n; i++)
      out[(l - 1) * t.n + i] = c.is_background![i]
        ? 0
        : eps({
            pt: c[`truth_pt${l}`]![i]!,
            absEta: Math.abs(c[`truth_eta${l}`]![i]!),
            eop: c[`eop${l}`]![i]!,
            d0sig: c[`d0sig${l}`]![i]!,
            dphiq: c[`dphiq${l}`]![i]!,
            ipix: c[`ipix${l}`]![i]!,
            curvsig: c[`curvsig${l}`]![i]!,
            reta: c[`reta${l}`]![i]!,
          });
  return out;
}

function scYield(t: EventTable, e: Float64Array): number {
  let s = 0;
  for (let i = 0; i < t.n; i++) s += t.columns.w![i]! * (e[i]! + e[t.n + i]! - 2 * e[i]! * e[t.n + i]!);
  return s;
}

/** Σ over electrons in the outer `p` of the feature's distribution in `t` (each side) of a per-electron Δε. */
function outerShare(t: EventTable, f: string, d: Float64Array, p: number): number {
  const v = Float64Array.from([...t.columns[`${f}1`]!, ...t.columns[`${f}2`]!]);
  const sorted = Float64Array.from(v).sort();
  const k = Math.floor(p * v.length);
  const lo = sorted[k]!;
  const hi = sorted[v.length - 1 - k]!;
  let s = 0;
  for (let e = 0; e < v.length; e++) if (v[e]! < lo || v[e]! > hi) s += d[e]!;
  return s;
}

const { study, source } = loadStudy('mismodelling');
const rs = resolveStudy(study, { source });
const point = (l: string) => rs.points.find((p) => p.label === l)!;
const mc = point(mcLabel('null'));
const data = { null: point('null'), shift: point('shift') };
const modelOf = (g: { electron?: unknown }) => latentElectron(g.electron as LatentElectronConfig);
const mcModel = modelOf(mc.generator);
const targets = { R: reachableTargetFn(mcModel), '4': posterior4(mcModel) };
const binned = study.estimators.find((e) => e.name === 'phiMorphedBinned')!.morph!.bins!;
const spec = (features: string[], tail: number, bins?: typeof binned) =>
  MorphSpecSchema.parse({ features, tail, ...(bins ? { bins } : {}) });
const TAIL = MorphSpecSchema.parse({ features: ['reta'] }).tail;
const versions = { first: 0, tail: TAIL } as const;

const seeds = Number(process.argv[2] ?? 40);
const first = Number(process.argv[3] ?? 0);
const rows: Record<string, number>[] = [];
for (let s = first; s < first + seeds; s++) {
  const seed = toySeed(rs, s);
  const M = windowTable(generate(mc.generator, mc.events, deriveSeed(seed, 'events', 'mc')));
  const row: Record<string, number> = { seed: s };
  for (const lab of ['null', 'shift'] as const) {
    const D = windowTable(generate(data[lab].generator, data[lab].events, deriveSeed(seed, 'events', 'data')));
    const own = { R: reachableTargetFn(modelOf(data[lab].generator)), '4': posterior4(modelOf(data[lab].generator)) };
    let obs = 0;
    for (let i = 0; i < D.n; i++) obs += D.columns.w![i]! * D.columns.sc![i]!;
    row[`${lab}.observed`] = obs;
    for (const tg of ['R', '4'] as const) {
      const truthE = perElectron(D, own[tg]);
      const truth = scYield(D, truthE);
      row[`${lab}.truth.${tg}`] = truth;
      const delta = (m: EventTable): number => scYield(m, perElectron(m, targets[tg])) - truth;
      if (lab === 'shift') row[`shift.unmorphed.${tg}`] = delta(D);
      for (const [ver, tail] of Object.entries(versions)) {
        row[`${lab}.${ver}.${tg}`] = delta(quantileMorph(D, M, spec(['reta', 'd0sig'], tail), 'morph-bias'));
        row[`${lab}.${ver}.binned.${tg}`] = delta(quantileMorph(D, M, spec(['reta', 'd0sig'], tail, binned), 'morph-bias'));
        if (lab === 'shift') continue;
        for (const f of ['reta', 'd0sig']) {
          const m = quantileMorph(D, M, spec([f], tail), 'morph-bias');
          const after = perElectron(m, targets[tg]);
          row[`null.${ver}.${f}Only.${tg}`] = scYield(m, after) - truth;
          const d = after.map((a, e) => a - truthE[e]!);
          row[`null.${ver}.${f}Only.outer0.1%.${tg}`] = outerShare(D, f, d, 1e-3);
        }
      }
    }
  }
  rows.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
const summary: Record<string, { mean: number; se: number; sd: number }> = {};
for (const key of Object.keys(rows[0]!).filter((k) => k !== 'seed')) {
  const x = rows.map((r) => r[key]!);
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, x.length - 1));
  summary[key] = { mean, se: sd / Math.sqrt(x.length), sd };
}
process.stdout.write(`${JSON.stringify({ seeds, first, tail: TAIL, summary })}\n`);
