/**
 * An ε map on an (|η|, pT) binning with its statistical error, from either source the bench has:
 *   - the binned fit's JSON (`qmisid fit`): ε and the inverse-Hessian error of each bin (or the sandwich one);
 *   - an event file with per-electron ε (`qmisid apply`): the mean ε of the electrons in each bin of any
 *     binning, and as its error the bin mean of the per-electron ensemble sd (eps1_sd, eps2_sd) when present —
 *     an ensemble's errors on electrons of one bin move together, so their mean, not their quadrature sum over
 *     √n, is the bin's error; without sd columns the error is 0 and the map says so.
 * Bins without an estimate are NaN here; the writers decide how to show them.
 */
import { assignBins } from '../binning/assignBins.js';
import type { Binning } from '../binning/Binning.js';
import { DataError } from '../errors.js';
import type { EventTable } from '../events/columns.js';
import { binMeans } from '../study/metrics/binMeans.js';

export interface EpsMap {
  etaEdges: number[];
  ptEdges: number[];
  /** Row-major: |η| bin outer, pT bin inner (Binning.index). */
  eps: number[];
  err: number[];
  /** Electrons per bin (φ maps) or NaN (fit maps). */
  count: number[];
  /** One line: where the numbers come from. */
  source: string;
  errorNote: string;
}

export function epsMapFromFit(fit: Record<string, unknown>, path: string, errors: 'hessian' | 'sandwich' = 'hessian'): EpsMap {
  const b = fit.binning as { etaEdges?: number[]; ptEdges?: number[] } | undefined;
  const eps = fit.eps as (number | null)[] | undefined;
  const err = (errors === 'sandwich' ? fit.errSandwich : fit.err) as (number | null)[] | undefined;
  if (!b?.etaEdges || !b.ptEdges || !Array.isArray(eps) || !Array.isArray(err)) {
    throw new DataError(path, undefined, 'not a `qmisid fit` output: expected binning.etaEdges, binning.ptEdges, eps and err');
  }
  const K = (b.etaEdges.length - 1) * (b.ptEdges.length - 1);
  if (eps.length !== K || err.length !== K) throw new DataError(path, 'eps', `expected ${K} bins for the stored binning`, eps.length);
  return {
    etaEdges: b.etaEdges,
    ptEdges: b.ptEdges,
    eps: eps.map((x) => x ?? NaN),
    err: err.map((x) => x ?? NaN),
    count: eps.map(() => NaN),
    source: `binned likelihood fit ${path} (status ${String(fit.status)})`,
    errorNote: errors === 'sandwich' ? 'sandwich errors of the fit' : 'inverse-Hessian errors of the fit (Delta lnL = 1/2)',
  };
}

export function epsMapFromElectrons(table: EventTable, binning: Binning, path: string): EpsMap {
  for (const c of ['eps1', 'eps2'])
    if (!table.columns[c]) throw new DataError(path, c, 'missing: run `qmisid apply` on the file first (it writes eps1, eps2)');
  const bins = assignBins(table, binning, path);
  const K = binning.size;
  const m = binMeans(bins, K, table.columns.eps1!, table.columns.eps2!);
  const hasSd = table.columns.eps1_sd != null && table.columns.eps2_sd != null;
  const err = hasSd
    ? binMeans(bins, K, table.columns.eps1_sd!, table.columns.eps2_sd!).mean
    : m.mean.map((x) => (Number.isFinite(x) ? 0 : NaN));
  return {
    etaEdges: [...binning.etaEdges],
    ptEdges: [...binning.ptEdges],
    eps: m.mean,
    err,
    count: m.count,
    source: `per-electron phi of ${path}, averaged over the electrons of each bin`,
    errorNote: hasSd
      ? 'bin mean of the per-electron ensemble sd (eps1_sd, eps2_sd)'
      : 'none: the file has no eps1_sd/eps2_sd (single-member model); stat_up = stat_down = nominal',
  };
}
