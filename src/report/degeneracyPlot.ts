/**
 * The degeneracy of the pair classifier (note §1.2) made visible for one pair of reference electrons A, B:
 * every (φ_A, φ_B) with the same f(φ_A, φ_B) = C fits that pair equally well (eq. 4), and eq. 5 gives the
 * curve φ_B(φ_A). C is taken from the truth point, the curve is drawn in ε = sigmoid(φ) on log axes, and each
 * ensemble member's (ε_A, ε_B) is overlaid. Members spread *along* the curve are what the degeneracy allows
 * and only the rest of the data can pin; members *off* it have not learnt this pair's flip rate ε₁₂.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Plot } from './plot.js';
import { checkFinite, checkNonEmpty } from './dataChecks.js';
import { DataError } from '../errors.js';
import { VEGA_LITE_SCHEMA, fmt, plotConfig } from './plotTheme.js';
import { degeneratePartner, logit, pairLogit, sigmoid } from '../method/pairFunction.js';

export interface DegeneracyMember {
  member: number | string;
  epsA: number;
  epsB: number;
}

export interface DegeneracyInput {
  members: DegeneracyMember[];
  truth: { epsA: number; epsB: number };
  /** Axis labels naming the electrons, e.g. "ε_A (|η| 0.3, pT 45 GeV)". */
  labelA?: string;
  labelB?: string;
  id?: string;
  title?: string;
  caption?: string;
}

export interface CurvePoint {
  phiA: number;
  phiB: number;
  epsA: number;
  epsB: number;
}

/**
 * Points of the eq. 5 curve f(φ_A, φ_B) = C on the arm that contains `phiOnArm` (eq. 5 has two arms,
 * φ_A < −|C| and φ_A > |C|). Offsets from the arm's end grow geometrically so both asymptotes, where one
 * φ runs to ±∞, are sampled as densely as the bend.
 */
export function degeneracyCurve(C: number, phiOnArm: number, points = 400): CurvePoint[] {
  const a = Math.abs(C);
  const lower = phiOnArm < 0;
  const out: CurvePoint[] = [];
  const sMin = 1e-9;
  const sMax = 60;
  for (let i = 0; i < points; i++) {
    const s = sMin * (sMax / sMin) ** (i / (points - 1));
    const phiA = lower ? -a - s : a + s;
    const phiB = degeneratePartner(phiA, C);
    if (Number.isFinite(phiB)) out.push({ phiA, phiB, epsA: sigmoid(phiA), epsB: sigmoid(phiB) });
  }
  return out;
}

export function degeneracyPlot(input: DegeneracyInput): Plot {
  const builder = 'degeneracyPlot';
  const members = checkNonEmpty(builder, 'members', input.members);
  const inUnit = (path: string, v: number) => {
    checkFinite(builder, path, v);
    if (!(v > 0 && v < 1)) throw new DataError(builder, path, 'expected a probability in (0, 1)', v);
    return v;
  };
  const tA = inUnit('truth.epsA', input.truth.epsA);
  const tB = inUnit('truth.epsB', input.truth.epsB);
  members.forEach((m, i) => {
    inUnit(`members[${i}].epsA`, m.epsA);
    inUnit(`members[${i}].epsB`, m.epsB);
  });
  const phiA = logit(tA);
  const phiB = logit(tB);
  const C = pairLogit(phiA, phiB);
  if (Math.abs(C) < 1e-12) throw new DataError(builder, 'truth', 'f = 0 (ε₁₂ = 1/2): eq. 5 degenerates to φ = 0 lines', [tA, tB]);

  const legendDomain = [`eq. 5 curve, f = C = ${fmt(C, 4)}`, 'truth', 'ensemble members'];
  const all = [tA, tB, ...members.flatMap((m) => [m.epsA, m.epsB])];
  // Half a decade of margin around every point; the curve is clipped to that window.
  const lo = 10 ** (Math.log10(Math.min(...all)) - 0.5);
  const hi = Math.min(1, 10 ** (Math.log10(Math.max(...all)) + 0.5));
  const curve = degeneracyCurve(C, phiA)
    .filter((p) => p.epsA >= lo / 10 && p.epsA <= hi * 10 && p.epsB >= lo / 10 && p.epsB <= hi * 10)
    .map((p, order) => ({ kind: legendDomain[0]!, order, epsA: p.epsA, epsB: p.epsB }));
  const memberRows = members.map((m) => ({
    kind: legendDomain[2]!,
    member: `member ${m.member}`,
    epsA: m.epsA,
    epsB: m.epsB,
    dF: pairLogit(logit(m.epsA), logit(m.epsB)) - C,
  }));
  const colour = {
    field: 'kind',
    type: 'nominal' as const,
    title: null,
    scale: { domain: legendDomain, range: ['#888888', '#d62728', '#1f77b4'] },
  };
  const scale = { type: 'log' as const, domain: [lo, hi] };
  const rateAxis = (field: 'epsA' | 'epsB', title: string) => ({
    field,
    type: 'quantitative' as const,
    title,
    scale,
    axis: { format: '.0e' },
  });
  const xA = rateAxis('epsA', input.labelA ?? 'ε_A, flip rate of electron A (log scale)');
  const yB = rateAxis('epsB', input.labelB ?? 'ε_B, flip rate of electron B (log scale)');
  const title = input.title ?? 'Degeneracy: ensemble members along the eq. 5 curve';
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    config: plotConfig,
    title: {
      text: title,
      subtitle: `C = f(φ_A, φ_B) at the truth = ${fmt(C, 4)}, i.e. pair flip rate ε₁₂ = ${fmt(1 / (1 + Math.exp(C)), 3)}`,
    },
    width: 340,
    height: 340,
    layer: [
      {
        data: { values: curve },
        mark: { type: 'line', clip: true, strokeWidth: 2 },
        encoding: { x: xA, y: yB, order: { field: 'order', type: 'quantitative' }, color: colour },
      },
      {
        data: { values: memberRows },
        mark: { type: 'point', filled: true, size: 60, opacity: 0.85, clip: true },
        encoding: {
          x: xA,
          y: yB,
          color: colour,
          tooltip: [
            { field: 'member', type: 'nominal' },
            { field: 'epsA', type: 'quantitative', format: '.3e', title: 'ε_A' },
            { field: 'epsB', type: 'quantitative', format: '.3e', title: 'ε_B' },
            { field: 'dF', type: 'quantitative', format: '.3e', title: 'f − C' },
          ],
        },
      },
      {
        data: { values: [{ kind: legendDomain[1]!, epsA: tA, epsB: tB }] },
        mark: { type: 'point', shape: 'cross', filled: true, size: 220, clip: true },
        encoding: { x: xA, y: yB, color: colour },
      },
    ],
  };
  const maxDf = Math.max(...memberRows.map((m) => Math.abs(m.dF)));
  return {
    id: input.id ?? 'degeneracy',
    title,
    caption:
      input.caption ??
      'Members should cluster on the truth cross; members spread along the grey curve fit this pair equally well (eq. 5) and show a direction the data do not pin, members off the curve have the pair rate wrong.',
    spec,
    facts: {
      C: fmt(C, 6),
      'pair flip rate ε₁₂ at truth': fmt(1 / (1 + Math.exp(C)), 4),
      'max |f(member) − C|': fmt(maxDf, 3),
      members: memberRows.length,
    },
  };
}
