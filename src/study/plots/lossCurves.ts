/**
 * Training and validation loss per epoch of each ensemble member (plot loss; default: the network estimators,
 * kinds phi and oracle), from the toy the summary shows for the estimator when it succeeded there.
 */
import { lossCurvePlot } from '../../report/index.js';
import { slug } from '../../report/slug.js';
import { finite } from '../toyRecord.js';
import { addPlot, estimatorsFor, idSuffix, pointNote, summaryOf, toyNote, type PlotContext } from './plotContext.js';
import type { ResolvedPlot } from './resolvePlots.js';

export function lossCurves(ctx: PlotContext, entry: ResolvedPlot): void {
  for (const label of entry.points) {
    for (const { name } of estimatorsFor(ctx, entry, label, (e) => e.kind === 'phi' || e.kind === 'oracle')) {
      addPlot(ctx, `loss-${slug(name)}${idSuffix(ctx, label)}`, () => {
        const shown = summaryOf(ctx, label, name)?.shown;
        const members = shown?.status === 'ok' ? shown.members : undefined;
        if (!shown || !members?.length) return `no loss curves stored for ${name}`;
        const rows = members.flatMap((m, mi) =>
          m.train.flatMap((t, e) => {
            const tr = finite(t);
            const va = finite(m.val[e]);
            return Number.isFinite(tr) ? [{ member: mi, epoch: e + 1, train: tr, ...(Number.isFinite(va) ? { val: va } : {}) }] : [];
          }),
        );
        return lossCurvePlot({
          rows,
          title: `Training and validation loss: ${name}${pointNote(ctx, label)}`,
          caption: `Pair cross-entropy per epoch for each of the ${members.length} ensemble member(s)${toyNote(ctx, shown.toy)}: both curves should fall and flatten together; a validation curve turning up while training falls is over-training.`,
        });
      });
    }
  }
}
