/**
 * A minimal pair sampler for the trainer's own tests and benchmarks: not a physics generator (that is
 * generators/zee). Two electrons per event with pT = 25 GeV + Exp(20 GeV) and η uniform in ±2.47, opposite
 * truth charges, each flipped with probability ε(pT, |η|); sc = flip1 xor flip2; electron 1 is the one with
 * the higher pT. Truth columns (truth_eps*, truth_flip*) are filled so closure can be checked.
 */
import { allocate, type EventTable } from '../events/columns.js';
import { createRng, type Seed } from '../rng.js';

export type ToyEps = (pt: number, absEta: number) => number;

/**
 * The default ε: 0.7 % at central low pT up to ~5 % at |η| = 2.47, pT = 100 GeV. Larger than a real
 * detector's (~0.1 %) so that small CI samples hold enough same-charge pairs.
 */
export const defaultToyEps: ToyEps = (pt, absEta) => 0.008 * (1 + 4 * (absEta / 2.47) ** 2) * (pt / 40) ** 0.3;

export function toyPairs(opts: { n: number; seed: Seed; eps?: ToyEps; weight?: (i: number) => number }): EventTable {
  const { n } = opts;
  const eps = opts.eps ?? defaultToyEps;
  const rng = createRng(opts.seed);
  const f64 = () => allocate('f64', n) as Float64Array;
  const i8 = () => allocate('i8', n) as Int8Array;
  const u8 = () => allocate('u8', n) as Uint8Array;
  const c = {
    pt1: f64(),
    eta1: f64(),
    phi1: f64(),
    q1: i8(),
    pt2: f64(),
    eta2: f64(),
    phi2: f64(),
    q2: i8(),
    sc: u8(),
    w: f64(),
    truth_eps1: f64(),
    truth_eps2: f64(),
    truth_flip1: u8(),
    truth_flip2: u8(),
    truth_q1: i8(),
    truth_q2: i8(),
  };
  for (let i = 0; i < n; i++) {
    const e = [0, 1].map(() => ({
      pt: 25 + rng.exponential(20),
      eta: (2 * rng.uniform() - 1) * 2.47,
      phi: (2 * rng.uniform() - 1) * Math.PI,
    }));
    if (e[1]!.pt > e[0]!.pt) e.reverse();
    const q = rng.uniform() < 0.5 ? 1 : -1;
    const tq = [q, -q];
    for (let k = 0; k < 2; k++) {
      const p = e[k]!;
      const ek = eps(p.pt, Math.abs(p.eta));
      const flip = rng.uniform() < ek ? 1 : 0;
      const s = k === 0 ? '1' : '2';
      (c as Record<string, Float64Array | Int8Array | Uint8Array>)[`pt${s}`]![i] = p.pt;
      (c as Record<string, Float64Array | Int8Array | Uint8Array>)[`eta${s}`]![i] = p.eta;
      (c as Record<string, Float64Array | Int8Array | Uint8Array>)[`phi${s}`]![i] = p.phi;
      (c as Record<string, Float64Array | Int8Array | Uint8Array>)[`q${s}`]![i] = flip ? -tq[k]! : tq[k]!;
      (c as Record<string, Float64Array | Int8Array | Uint8Array>)[`truth_q${s}`]![i] = tq[k]!;
      (c as Record<string, Float64Array | Int8Array | Uint8Array>)[`truth_eps${s}`]![i] = ek;
      (c as Record<string, Float64Array | Int8Array | Uint8Array>)[`truth_flip${s}`]![i] = flip;
    }
    c.sc[i] = c.truth_flip1[i]! ^ c.truth_flip2[i]!;
    c.w[i] = opts.weight ? opts.weight(i) : 1;
  }
  return { n, columns: c };
}
