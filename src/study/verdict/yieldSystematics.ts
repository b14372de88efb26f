/**
 * A calibrated systematic error on a network's predicted same-charge yield (issue 10, item 7, for the yield
 * tests of paired studies; metrics/scYield.ts).
 *
 * The yield test compares P = Σ w·ε̂12 with the observed S under Var(S − P) = Bernoulli + training variance.
 * Both parts are noise that averages down over toys; the network's smoothing bias does not: every member
 * shares it, so it is absent from the members' spread and it adds up, toy after toy, in the verdict's
 * Σ pull_t/√T. Measured (mismodelling, full size, 192 null toys): the networks predict +1.3 % more SC events
 * than the reachable target and their yield pulls have mean +0.22 ± 0.07; six toys a verdict made the test
 * fire in 3 of 32 null verdicts against a 1 % budget.
 *
 * `qmisid calibrate` therefore measures, per scan point and network (ensemble estimators only: a reference
 * that is not an ensemble has no smoothing), on the FIRST half of the null verdicts the relative bias
 *
 *     b = Σ_t (P_t − S_t) / Σ_t P_t,     δb = sd_t(P_t − S_t) / (√n · mean_t P_t),
 *
 * and states from then on a systematic σ_sys = (|b| + 1.645·δb) · |P| on the network's predicted yield — the
 * one-sided 95 % upper bound on the bias, as the sd of an error that is the same in every toy. It is not
 * subtracted: the prediction stays the network's. The criteria that read the yield (summarizeEstimator.ts)
 * treat it as fully correlated over toys: with σ_t² = Var(S − P)_t, pull_t = (P_t − S_t)/σ_t and
 * s_t = σ_sys,t/σ_t, the verdict statistic is Σ pull_t / √(T + (Σ s_t)²) and one toy's test
 * pull_t/√(1 + s_t²).
 *
 * Why the upper bound: with a true bias β (pull units) and the systematic s, the statistic is normal with mean
 * m and variance 1 − m² when β = s (m² + v = 1), so its two-sided 1 % rate stays at 1 % for any T; it exceeds
 * the budget as soon as β > s (1.3 % at β = 1.3 s, 1.8 % at 1.5 s). Setting s at the fit's 95 % upper bound
 * keeps β ≤ s unless the fit toys were unluckily low. Every yield criterion (scYield…) reading such a network
 * is judged on the SECOND half of the null verdicts, like the calibrated ensemble errors (errorScales.ts); its
 * other criteria do not read the systematic and keep every verdict.
 *
 * Never fitted where a criterion detects a defect (carriesDefect): there it would absorb the bias the
 * criterion must see. A detection with a `nullPoint` borrows the systematic fitted there (`fittedAt`), so that
 * its power is measured with the error its false-alarm rate was measured with.
 */
import { mean, sampleStandardDeviation as sd } from '../../stats/index.js';
import type { Criterion } from '../studySchema.js';
import type { EstimatorRecord, PointRecord, ToyRecord } from '../toyRecord.js';
import { carriesDefect, withBorrowed } from './errorScales.js';
import { fx } from './pullFloors.js';

export interface YieldSystematic {
  point: string;
  estimator: string;
  /** Relative bias b of the predicted SC yield on the fit toys, its standard error δb, and |b| + 1.645·δb. */
  bias: number;
  biasErr: number;
  relative: number;
  /** Toys it was fitted on (the first half's groups) and their index range. */
  fitToys: number;
  fitToyRange: [number, number];
  /** The same bias on the other null toys (the check, not used for the fit). */
  check: { toys: number; bias: number; biasErr: number };
  /** Set when fitted at another point (the null point of a detection at this one). */
  fittedAt?: string;
}

type Yield = NonNullable<EstimatorRecord['scYield']>;

function yieldsOf(records: readonly ToyRecord[], point: string, name: string): Yield[] {
  const out: Yield[] = [];
  for (const r of records) {
    const rec = r.points.find((p) => p.label === point)?.estimators[name];
    if (rec?.status === 'ok' && rec.scYield && Number.isFinite(rec.scYield.predicted) && Number.isFinite(rec.scYield.observed))
      out.push(rec.scYield);
  }
  return out;
}

/** b and δb of a set of toys' yields (NaN with fewer than two, or a mean prediction that is not positive). */
export function relativeYieldBias(ys: readonly Yield[]): { bias: number; biasErr: number } {
  const p = ys.length >= 2 ? mean(ys.map((y) => y.predicted)) : NaN;
  if (!(p > 0)) return { bias: NaN, biasErr: NaN };
  const d = ys.map((y) => y.predicted - y.observed);
  return { bias: mean(d) / p, biasErr: sd(d) / Math.sqrt(d.length) / p };
}

/** One-sided 95 % quantile of the normal: the systematic is the fit's upper bound on |b|. */
const Z95 = 1.6448536269514722;

/** Networks of a point whose records carry an SC yield (ensemble estimators: errDof set). */
function yieldNetworks(records: readonly ToyRecord[], point: string): string[] {
  const names = new Set<string>();
  for (const r of records)
    for (const p of r.points)
      if (p.label === point) for (const [n, rec] of Object.entries(p.estimators)) if (rec.errDof != null && rec.scYield) names.add(n);
  return [...names].sort();
}

/** Systematics fitted on sorted[0, fitCount) and checked on the rest, per point and yield-carrying network. */
export function fitYieldSystematics(
  sorted: readonly ToyRecord[],
  fitCount: number,
  labels: readonly string[],
  criteria: readonly Criterion[] = [],
): YieldSystematic[] {
  if (fitCount < 2 || sorted.length - fitCount < 2) return [];
  const fit = sorted.slice(0, fitCount);
  const rest = sorted.slice(fitCount);
  const range: [number, number] = [fit[0]!.toy, fit[fitCount - 1]!.toy];
  const out: YieldSystematic[] = [];
  for (const point of labels)
    for (const name of yieldNetworks(sorted, point)) {
      if (carriesDefect(criteria, point, name)) continue;
      const ys = yieldsOf(fit, point, name);
      const { bias, biasErr } = relativeYieldBias(ys);
      // A network whose yields cannot be measured gets no systematic; its yield criteria then read the bare
      // error, as in a study without a calibration (the calibration's criteria count its failed toys).
      if (!Number.isFinite(bias) || !Number.isFinite(biasErr)) continue;
      const check = yieldsOf(rest, point, name);
      out.push({
        point,
        estimator: name,
        bias,
        biasErr,
        relative: Math.abs(bias) + Z95 * biasErr,
        fitToys: ys.length,
        fitToyRange: range,
        check: { toys: check.length, ...relativeYieldBias(check) },
      });
    }
  return withBorrowed(out, labels, criteria);
}

/** Whether an estimator (at a point, or at any) carries a calibrated yield systematic. */
export function hasYieldSystematic(xs: readonly YieldSystematic[] | undefined, estimator: string, point?: string): boolean {
  return (xs ?? []).some((x) => x.estimator === estimator && (point == null || x.point === point) && x.relative > 0);
}

/**
 * The records with every calibrated network's yield carrying its relative systematic (in memory); σ_sys =
 * relative·|P| is taken where the yield is read (summarizeEstimator.ts), so a defect injected into P later
 * (injectDefect.ts) scales it as a real run would.
 */
export function applyYieldSystematics(records: readonly ToyRecord[], xs: readonly YieldSystematic[] | undefined): ToyRecord[] {
  if (!xs?.length) return [...records];
  const rel = new Map(xs.map((x) => [JSON.stringify([x.point, x.estimator]), x.relative]));
  return records.map((r) => ({
    ...r,
    points: r.points.map((p): PointRecord => {
      let estimators = p.estimators;
      for (const [name, rec] of Object.entries(p.estimators)) {
        const f = rel.get(JSON.stringify([p.label, name]));
        if (f == null || !rec.scYield) continue;
        estimators = { ...estimators, [name]: { ...rec, scYield: { ...rec.scYield, systematicRel: f } } };
      }
      return estimators === p.estimators ? p : { ...p, estimators };
    }),
  }));
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${fx(100 * x, 2)} %`;

/** One line for the console and the report: the systematic stated, where it was fitted, and its check. */
export function yieldSystematicText(x: YieldSystematic): string {
  return (
    `SC-yield systematic ±${fx(100 * x.relative, 2)} % of the prediction, correlated over toys (|bias| + 1.645 se; bias ${pct(x.bias)} ± ${fx(100 * x.biasErr, 2)} % ` +
    `on null toys ${x.fitToyRange[0]}-${x.fitToyRange[1]}${x.fittedAt != null ? ` at point ${x.fittedAt}` : ''}, ${x.fitToys} toys); on the other ${x.check.toys} null toys: ` +
    `bias ${pct(x.check.bias)} ± ${fx(100 * x.check.biasErr, 2)} %`
  );
}
