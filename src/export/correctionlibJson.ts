/**
 * An ε map (epsMapTable.ts) as a correctionlib CorrectionSet (schema version 2), the format analysis
 * frameworks read correction tables in:
 *
 *   CorrectionSet { schema_version: 2, description, corrections: [Correction] }
 *   Correction    { name, description, version: 1, inputs: [syst: string, abseta: real, pt: real],
 *                   output: { name: "eps", type: "real" }, data: Category on syst }
 *   syst          "nominal" → ε, "stat_up" → ε + σ, "stat_down" → max(ε − σ, 0), each a MultiBinning
 *                 over (abseta, pt) with the map's edges, content row-major (abseta outer, pt inner),
 *                 flow "clamp" (a pT above the last edge takes the last bin, as analyses usually want).
 * Bins without an estimate are written as 0 and listed in the description (correctionlib content must be a
 * number). Validated in test/open/correctionlib.test.ts against a JSON Schema of the v2 format.
 */
import type { EpsMap } from './epsMapTable.js';

export function labelOf(m: EpsMap, k: number): string {
  const nPt = m.ptEdges.length - 1;
  const i = Math.floor(k / nPt);
  const j = k % nPt;
  return `|eta| [${m.etaEdges[i]}, ${m.etaEdges[i + 1]}) pT [${m.ptEdges[j]}, ${m.ptEdges[j + 1]})`;
}

export function correctionSet(m: EpsMap, name: string, extraDescription = ''): Record<string, unknown> {
  const empty = m.eps.flatMap((x, k) => (Number.isFinite(x) ? [] : [labelOf(m, k)]));
  const val = (f: (e: number, s: number) => number) =>
    m.eps.map((e, k) => (Number.isFinite(e) ? f(e, Number.isFinite(m.err[k]!) ? m.err[k]! : 0) : 0));
  const grid = (content: number[]) => ({
    nodetype: 'multibinning',
    inputs: ['abseta', 'pt'],
    edges: [m.etaEdges, m.ptEdges],
    content,
    flow: 'clamp',
  });
  return {
    schema_version: 2,
    description: `qmisid-bench charge-flip rates. ${m.source}.${extraDescription ? ` ${extraDescription}` : ''}`,
    corrections: [
      {
        name,
        description: `Electron charge-misidentification rate eps per (|eta|, pT) bin; syst stat_up/stat_down = eps +/- sigma, sigma: ${m.errorNote}.${empty.length ? ` Bins without an estimate (written as 0): ${empty.join('; ')}.` : ''}`,
        version: 1,
        inputs: [
          { name: 'syst', type: 'string', description: 'nominal, stat_up or stat_down' },
          { name: 'abseta', type: 'real', description: 'electron |eta|' },
          { name: 'pt', type: 'real', description: 'electron transverse momentum [GeV]' },
        ],
        output: { name: 'eps', type: 'real', description: 'probability that the electron charge is reconstructed flipped' },
        data: {
          nodetype: 'category',
          input: 'syst',
          content: [
            { key: 'nominal', value: grid(val((e) => e)) },
            { key: 'stat_up', value: grid(val((e, s) => e + s)) },
            { key: 'stat_down', value: grid(val((e, s) => Math.max(e - s, 0))) },
          ],
        },
      },
    ],
  };
}

/** The same map as a CSV table: one row per bin. */
export function epsMapCsv(m: EpsMap): string {
  const nPt = m.ptEdges.length - 1;
  const rows = ['abseta_lo,abseta_hi,pt_lo,pt_hi,eps,stat_err,stat_up,stat_down,electrons'];
  const num = (x: number): string => (Number.isFinite(x) ? String(x) : '');
  m.eps.forEach((e, k) => {
    const i = Math.floor(k / nPt);
    const j = k % nPt;
    const s = m.err[k]!;
    rows.push(
      [
        m.etaEdges[i],
        m.etaEdges[i + 1],
        m.ptEdges[j],
        m.ptEdges[j + 1],
        num(e),
        num(s),
        num(e + s),
        num(Number.isFinite(e) && Number.isFinite(s) ? Math.max(e - s, 0) : NaN),
        num(m.count[k]!),
      ].join(','),
    );
  });
  return `${rows.join('\n')}\n`;
}
