/**
 * Ensemble members in the (ε_A, ε_B) plane of a barrel and an endcap bin (plot degeneracy; default: the network
 * estimators, kinds phi and oracle): A and B are the most populated bin on each side of the crack's lower
 * edge in the most populated pT bin of the toy the summary shows. Barrel–endcap pairs only fix ε_A + ε_B
 * (eq. 5), so there the members spread along the curve through the truth.
 */
import { degeneracyPlot } from '../../report/index.js';
import { slug } from '../../report/slug.js';
import { ACCEPTANCE_DEFAULTS } from '../../selection/selection.js';
import { finite } from '../toyRecord.js';
import { addPlot, estimatorsFor, summaryOf, type PlotContext } from './plotContext.js';
import type { ResolvedPlot } from './resolvePlots.js';

/** Barrel below, endcap above: the crack's lower edge, |η| = 1.37. */
const SPLIT = ACCEPTANCE_DEFAULTS.crack[0];

export function degeneracy(ctx: PlotContext, entry: ResolvedPlot): void {
  for (const point of ctx.study.points.filter((p) => entry.points.includes(p.label))) {
    const label = point.label;
    for (const e of estimatorsFor(ctx, entry, label, (x) => x.kind === 'phi' || x.kind === 'oracle')) {
      addPlot(ctx, `degeneracy-${slug(e.name)}-${slug(label)}`, () => {
        const shown = summaryOf(ctx, label, e.name)?.shown;
        const members = shown?.members;
        if (!shown || !members?.length) return `no ensemble members stored for ${e.name}`;
        const { count, truth } = shown;
        const nEta = ctx.eta.length - 1;
        const byPt = ctx.pt
          .slice(1)
          .map((_, j) => Array.from({ length: nEta }, (__, i) => count[i * ctx.nPt + j] ?? 0).reduce((a, b) => a + b, 0));
        const j = byPt.indexOf(Math.max(...byPt));
        const side = (barrel: boolean) => {
          let best = -1;
          for (let i = 0; i < nEta; i++) {
            const inSide = barrel ? ctx.eta[i + 1]! <= SPLIT : ctx.eta[i]! >= SPLIT;
            const k = i * ctx.nPt + j;
            if (inSide && (best < 0 || (count[k] ?? 0) > (count[best] ?? 0))) best = k;
          }
          return best;
        };
        const A = side(true);
        const B = side(false);
        if (A < 0 || B < 0) return `the binning has no bin entirely below or above |η| = ${SPLIT}`;
        const name = (k: number) => {
          const i = Math.floor(k / ctx.nPt);
          return `|η| ${ctx.eta[i]}–${ctx.eta[i + 1]}, pT ${ctx.pt[j]}–${ctx.pt[j + 1]} GeV`;
        };
        const rows = members
          .map((m, mi) => ({ member: mi, epsA: finite(m.eps[A]), epsB: finite(m.eps[B]) }))
          .filter((m) => Number.isFinite(m.epsA) && Number.isFinite(m.epsB));
        const plot = degeneracyPlot({
          members: rows,
          truth: { epsA: finite(truth[A]), epsB: finite(truth[B]) },
          labelA: `ε_A: barrel bin ${name(A)} (log scale)`,
          labelB: `ε_B: endcap bin ${name(B)} (log scale)`,
          title: `Ensemble members in the (ε_A, ε_B) plane: ${e.name} [${label}]`,
          caption:
            label.includes('bipartite') || point.pairing.topology === 'barrelEndcap'
              ? 'Barrel–endcap pairs only fix ε_A + ε_B (eq. 5): members are expected to spread along the curve through the truth — that spread is the degeneracy the fit flags.'
              : 'With every topology the pair rates fix both bins: members should sit together on the truth point, not spread along the eq. 5 curve.',
        });
        return {
          ...plot,
          facts: {
            ...(plot.facts ?? {}),
            [`trade-off ratio sd(ε̄_A − ε̄_B)/sd(ε̄_A + ε̄_B), |η| split ${SPLIT}`]:
              shown.tradeoffRatio != null ? Number(shown.tradeoffRatio.toPrecision(3)) : 'n/a',
          },
        };
      });
    }
  }
}
