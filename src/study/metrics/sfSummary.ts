/**
 * The scale-factor summary of a paired study (docs/studies.md, "Paired studies"; docs/electrons.md, "Scale
 * factors"). Per toy t, scan point L and scale-factor pair {name, data, mc}: SF_k = ε̂_k(data)/ε̂_k(MC) with its
 * first-order error (scaleFactors.ts), from estimator `data` on the sample L and estimator `mc` on L:mc; the
 * true SF_k = τ_k(data)/τ_k(MC), the ratio of the toy's truth references (mean truth ε of the window's signal
 * electrons per bin, each sample its own).
 *
 *   used bins: expecting ≥ minFlips flips per toy in BOTH samples (mean count × mean truth ε);
 *   pull (SF − SF_true)/σ(SF) over (toy, used bin); mean, width, coverage of ±1σ and ±1.96σ with binomial
 *     errors (pullStats.ts; Student-t quantiles when both errors are ensemble spreads, with the smaller dof);
 *   sfMissingRate: used (toy, bin) without an SF (a side without a positive rate or error), of all used;
 *   sfPooledRelBias: per toy the mean of (SF − SF_true)/SF_true − (σ_mc/ε̂_mc)² over used bins weighted by
 *     1/⟨(σ/SF)²⟩ (fixed from the toys' mean relative variance), then the mean over toys ± its spread/√toys. The
 *     subtracted term is the second-order bias of a ratio of independent estimates (E[x/y] ≈ (x/y)(1 + σ_y²/y²)):
 *     statistics, not the method (the truth-matched SFs show it too: +6 % at 15 % MC errors); the uncorrected
 *     value is sfPooledRelBiasRaw;
 *   coverage68If: the 68 % coverage the same pulls would have if the errors were ×0.8 or ×1.25 — what the
 *     coverage criterion sees when the errors are mis-stated by that much (its power on these toys).
 * A toy where either side's estimator did not succeed counts in `failures` and is left out of the rest.
 *
 * Systematics: for every scan point V other than the nominal, per pair and bin, the shift SF_V − SF_nominal in
 * the same toy (same events where only the selection changed, resolveStudy/runToy), mean ± spread/√toys, and
 * the mean statistical error of the nominal SF for scale.
 */
import { mean as ssMean, sampleStandardDeviation } from '../../stats/index.js';
import { mcLabel, type ResolvedStudy } from '../resolveStudy.js';
import { finite, type EstimatorRecord, type ToyRecord } from '../toyRecord.js';
import { pullStats } from './pullStats.js';
import { scaleFactors } from './scaleFactors.js';

export interface SfBinSummary {
  bin: number;
  used: boolean;
  /** Toys with an SF in this bin. */
  n: number;
  sf: number;
  trueSf: number;
  meanErr: number;
  pullMean: number;
  pullWidth: number;
}

export interface SfEstimatorSummary {
  data: string;
  mc: string;
  toys: number;
  failures: number;
  metrics: Record<string, number>;
  bins: SfBinSummary[];
  /** The pooled pulls (SF − SF_true)/σ over the used bins of every successful toy: what the report's histogram shows. */
  pulls: number[];
}

export interface SfPointSummary {
  label: string;
  estimators: Record<string, SfEstimatorSummary>;
}

export interface SfSystematic {
  variation: string;
  estimator: string;
  /** Per bin: mean shift SF_variation − SF_nominal over toys, its standard error, and the nominal's mean stat error. */
  shift: (number | null)[];
  shiftErr: (number | null)[];
  statErr: (number | null)[];
  /** Over the used bins: the largest |shift|/statErr. */
  maxShiftOverStat: number | null;
}

export interface ScaleFactorSummary {
  nominal: string;
  points: SfPointSummary[];
  systematics: SfSystematic[];
}

const mean = (xs: readonly number[]): number => (xs.length ? ssMean(xs as number[]) : NaN);
const sd = (xs: readonly number[]): number => (xs.length >= 2 ? sampleStandardDeviation(xs as number[]) : NaN);
const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

interface ToySf {
  sf: Float64Array;
  err: Float64Array;
  truth: number[];
  dof: number;
  /** (σ/ε)² of the MC side per bin: the second-order bias of a ratio, E[SF]/SF_true − 1 ≈ (σ_mc/ε_mc)². */
  mcRelVar: number[];
}

function toySf(r: ToyRecord, label: string, pair: { data: string; mc: string }): ToySf | 'failed' | undefined {
  if (r.status !== 'ok') return 'failed';
  const d = r.points.find((p) => p.label === label);
  const m = r.points.find((p) => p.label === mcLabel(label));
  if (!d || !m) return undefined;
  const ed = d.estimators[pair.data];
  const em = m.estimators[pair.mc];
  // Not run at this point (the scan point's `run` list): no SF here, not a failure.
  if (!ed || !em) return undefined;
  if (ed.status !== 'ok' || em.status !== 'ok') return 'failed';
  const arr = (rec: EstimatorRecord, k: 'eps' | 'err') => rec[k].map(finite);
  const sf = scaleFactors({ eps: arr(ed, 'eps'), err: arr(ed, 'err') }, { eps: arr(em, 'eps'), err: arr(em, 'err') });
  const truth = d.truth.map((t, k) => finite(t) / finite(m.truth[k]));
  const dof = Math.min(ed.errDof ?? Infinity, em.errDof ?? Infinity);
  const mcRelVar = em.eps.map((e, k) => (finite(em.err[k]) / finite(e)) ** 2);
  return { sf: sf.sf, err: sf.err, truth, dof, mcRelVar };
}

export function summarizeScaleFactors(study: ResolvedStudy, records: readonly ToyRecord[], minFlips = 5): ScaleFactorSummary | undefined {
  const paired = study.paired;
  if (!paired) return undefined;
  const scans = study.points.filter((p) => p.side === 'data').map((p) => p.label);
  const K = (study.binning.eta.length - 1) * (study.binning.pt.length - 1);
  // Per scan point, the bins expecting ≥ minFlips flips per toy in both samples.
  const usedBins = (label: string): boolean[] => {
    const exp = (lab: string): number[] => {
      const ps = records.flatMap((r) => r.points.filter((p) => p.label === lab));
      return Array.from(
        { length: K },
        (_, k) => mean(ps.map((p) => p.count[k] ?? 0)) * mean(ps.map((p) => finite(p.truth[k])).filter(Number.isFinite)),
      );
    };
    const d = exp(label);
    const m = exp(mcLabel(label));
    return Array.from({ length: K }, (_, k) => d[k]! >= minFlips && m[k]! >= minFlips);
  };
  const sfs = new Map<string, (ToySf | 'failed' | undefined)[]>();
  const key = (label: string, name: string) => `${label}\u0000${name}`;
  for (const label of scans)
    for (const pair of paired.scaleFactors)
      sfs.set(
        key(label, pair.name),
        records.map((r) => toySf(r, label, pair)),
      );

  const points: SfPointSummary[] = scans.map((label) => {
    const used = usedBins(label);
    const estimators: Record<string, SfEstimatorSummary> = {};
    for (const pair of paired.scaleFactors) {
      const per = sfs.get(key(label, pair.name))!;
      if (per.every((x) => x === undefined)) continue;
      const ok = per.filter((x): x is ToySf => x != null && x !== 'failed');
      const failures = per.filter((x) => x === 'failed').length;
      const dof = ok.length ? Math.min(...ok.map((o) => o.dof)) : Infinity;
      const allPulls: number[] = [];
      const scaled = { '0.8': [] as number[], '1.25': [] as number[] };
      let missing = 0;
      let usedCount = 0;
      const bins: SfBinSummary[] = [];
      const relVar: number[] = [];
      for (let k = 0; k < K; k++) {
        const sf: number[] = [];
        const tr: number[] = [];
        const er: number[] = [];
        const pulls: number[] = [];
        for (const o of ok) {
          const s = o.sf[k]!;
          const t = o.truth[k]!;
          if (used[k]) usedCount++;
          if (!Number.isFinite(s) || !Number.isFinite(t)) {
            if (used[k]) missing++;
            continue;
          }
          sf.push(s);
          tr.push(t);
          er.push(o.err[k]!);
          pulls.push((s - t) / o.err[k]!);
        }
        if (used[k]) {
          allPulls.push(...pulls);
          for (const f of ['0.8', '1.25'] as const) scaled[f].push(...pulls.map((p) => p / Number(f)));
          relVar[k] = mean(sf.map((s, i) => (er[i]! / s) ** 2));
        }
        const ps = pullStats(pulls, dof);
        bins.push({
          bin: k,
          used: used[k]!,
          n: sf.length,
          sf: mean(sf),
          trueSf: mean(tr),
          meanErr: mean(er),
          pullMean: ps.mean,
          pullWidth: ps.width,
        });
      }
      const pooled = pullStats(allPulls, dof);
      // Pooled relative bias with a-priori weights 1/⟨(σ/SF)²⟩ per used bin.
      // Raw, and with the ratio's own second-order bias (σ_mc/ε_mc)² removed per (toy, bin): a ratio of two
      // unbiased, independent estimates is biased up by that much (delta method), which is not the method's.
      const rt: number[] = [];
      const rtRaw: number[] = [];
      for (const o of ok) {
        let sw = 0;
        let s = 0;
        let sRaw = 0;
        for (let k = 0; k < K; k++) {
          const v = relVar[k];
          if (!used[k] || !(v! > 0) || !Number.isFinite(o.sf[k]!) || !Number.isFinite(o.truth[k]!)) continue;
          const r = o.sf[k]! / o.truth[k]! - 1;
          sRaw += r / v!;
          s += (r - (Number.isFinite(o.mcRelVar[k]!) ? o.mcRelVar[k]! : 0)) / v!;
          sw += 1 / v!;
        }
        if (sw > 0) {
          rt.push(s / sw);
          rtRaw.push(sRaw / sw);
        }
      }
      const pooledRel = mean(rt);
      const pooledRelErr = sd(rt) / Math.sqrt(rt.length);
      const cov = (ps: number[]) => pullStats(ps, dof).coverage68;
      estimators[pair.name] = {
        data: pair.data,
        mc: pair.mc,
        toys: per.length,
        failures,
        metrics: {
          sfCoverage68: pooled.coverage68,
          sfCoverage68Err: pooled.coverage68Err,
          sfCoverage95: pooled.coverage95,
          sfCoverage95Err: pooled.coverage95Err,
          sfPullMean: pooled.mean,
          sfPullMeanErr: pooled.meanErr,
          sfPullWidth: pooled.width,
          sfPullWidthErr: pooled.widthErr,
          sfPulls: pooled.n,
          sfErrDof: dof === Infinity ? NaN : dof,
          sfPooledRelBias: pooledRel,
          sfPooledRelBiasErr: pooledRelErr,
          sfPooledRelBiasOverErr: pooledRel / pooledRelErr,
          sfPooledRelBiasRaw: mean(rtRaw),
          sfPooledRelBiasRawErr: sd(rtRaw) / Math.sqrt(rtRaw.length),
          sfMissingRate: usedCount > 0 ? missing / usedCount : NaN,
          sfMaxAbsPullMean: Math.max(...bins.filter((b) => b.used && Number.isFinite(b.pullMean)).map((b) => Math.abs(b.pullMean))),
          sfFailureRate: per.length ? failures / per.length : NaN,
          sfCoverage68IfErrorsX0p8: cov(scaled['0.8']),
          sfCoverage68IfErrorsX1p25: cov(scaled['1.25']),
          sfBinsUsed: used.filter(Boolean).length,
        },
        bins,
        pulls: allPulls,
      };
    }
    return { label, estimators };
  });

  const nominal = paired.nominal;
  const systematics: SfSystematic[] = [];
  const usedNom = usedBins(nominal);
  for (const label of scans) {
    if (label === nominal) continue;
    for (const pair of paired.scaleFactors) {
      const nom = sfs.get(key(nominal, pair.name))!;
      const vari = sfs.get(key(label, pair.name))!;
      if (vari.every((x) => x === undefined) || nom.every((x) => x === undefined)) continue;
      const shift: (number | null)[] = [];
      const shiftErr: (number | null)[] = [];
      const statErr: (number | null)[] = [];
      let worst = NaN;
      for (let k = 0; k < K; k++) {
        const d: number[] = [];
        const st: number[] = [];
        nom.forEach((a, t) => {
          const b = vari[t];
          if (a == null || a === 'failed' || b == null || b === 'failed') return;
          if (Number.isFinite(a.sf[k]!) && Number.isFinite(b.sf[k]!)) {
            d.push(b.sf[k]! - a.sf[k]!);
            st.push(a.err[k]!);
          }
        });
        const m = mean(d);
        const e = sd(d) / Math.sqrt(d.length);
        const s = mean(st);
        shift.push(num(m));
        shiftErr.push(num(e));
        statErr.push(num(s));
        if (usedNom[k] && Number.isFinite(m / s) && !(worst >= Math.abs(m / s))) worst = Math.abs(m / s);
      }
      systematics.push({ variation: label, estimator: pair.name, shift, shiftErr, statErr, maxShiftOverStat: num(worst) });
      // The variation's own criterion metric: its largest shift over the nominal's statistical error.
      const at = points.find((p) => p.label === label)?.estimators[pair.name];
      if (at) at.metrics.sfMaxShiftOverStat = worst;
    }
  }
  return { nominal, points, systematics };
}
