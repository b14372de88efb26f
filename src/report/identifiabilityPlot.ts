/**
 * Summary of the identifiability graph of a binned estimate: nodes are bins, an edge joins two bins that
 * share at least one pair. Each connected component fixes its rates only up to the flip symmetry; a
 * bipartite component keeps an extra flat direction (raising ε on one side while lowering it on the other
 * leaves every pair rate unchanged to first order), which is the binned face of the note's §1.2 degeneracy.
 * Drawn as a node plot (positions given, e.g. bin centres, or placed on a circle) with a summary table.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Plot } from './plot.js';
import { checkFinite, checkNonEmpty } from './dataChecks.js';
import { DataError } from '../errors.js';
import { VEGA_LITE_SCHEMA, plotConfig } from './plotTheme.js';

export interface GraphNode {
  id: string;
  label?: string;
  x?: number;
  y?: number;
  component: number;
}

export interface IdentifiabilityInput {
  nodes: GraphNode[];
  edges: { source: string; target: string }[];
  components: number;
  bipartite: boolean;
  flatDirections: number;
  xTitle?: string;
  yTitle?: string;
  notes?: string;
  id?: string;
  title?: string;
  caption?: string;
}

export function identifiabilityPlot(input: IdentifiabilityInput): Plot {
  const builder = 'identifiabilityPlot';
  const nodes = checkNonEmpty(builder, 'nodes', input.nodes);
  if (!Number.isInteger(input.components) || input.components < 1)
    throw new DataError(builder, 'components', 'expected a positive integer', input.components);
  if (!Number.isInteger(input.flatDirections) || input.flatDirections < 0)
    throw new DataError(builder, 'flatDirections', 'expected an integer >= 0', input.flatDirections);
  const placed = nodes.every((n) => n.x != null && n.y != null);
  const pos = new Map<string, { x: number; y: number }>();
  nodes.forEach((n, i) => {
    if (pos.has(n.id)) throw new DataError(builder, `nodes[${i}].id`, 'duplicate node id', n.id);
    if (placed) pos.set(n.id, { x: checkFinite(builder, `nodes[${i}].x`, n.x!), y: checkFinite(builder, `nodes[${i}].y`, n.y!) });
    else {
      // No positions given: spread the nodes on a unit circle in input order (deterministic).
      const t = (2 * Math.PI * i) / nodes.length;
      pos.set(n.id, { x: Math.cos(t), y: Math.sin(t) });
    }
  });
  const nodeRows = nodes.map((n) => ({ id: n.id, label: n.label ?? n.id, component: `component ${n.component}`, ...pos.get(n.id)! }));
  const edgeRows = (input.edges ?? []).map((e, i) => {
    const a = pos.get(e.source);
    const b = pos.get(e.target);
    if (!a) throw new DataError(builder, `edges[${i}].source`, 'unknown node id', e.source);
    if (!b) throw new DataError(builder, `edges[${i}].target`, 'unknown node id', e.target);
    return { x: a.x, y: a.y, x2: b.x, y2: b.y };
  });
  const xTitle = placed ? (input.xTitle ?? 'bin centre |η| (dimensionless)') : 'layout (no physical meaning)';
  const yTitle = placed ? (input.yTitle ?? 'bin centre pT [GeV]') : 'layout (no physical meaning)';
  const axisOff = placed ? {} : { axis: { labels: false, ticks: false, grid: false } };
  const x = { type: 'quantitative' as const, title: xTitle, scale: { zero: false, padding: 20 }, ...axisOff };
  const y = { type: 'quantitative' as const, title: yTitle, scale: { zero: false, padding: 20 }, ...axisOff };
  const summary = `${input.components} component${input.components === 1 ? '' : 's'}, ${input.bipartite ? 'bipartite' : 'not bipartite'}, ${input.flatDirections} flat direction${input.flatDirections === 1 ? '' : 's'}`;
  const title = input.title ?? 'Identifiability graph of the binned fit';
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    config: plotConfig,
    title: { text: title, subtitle: summary },
    width: 420,
    height: 300,
    layer: [
      {
        data: { values: edgeRows },
        // Thin, light edges: a well-connected binning has hundreds of them; the nodes and the table carry the verdict.
        mark: { type: 'rule', color: '#bbbbbb', strokeWidth: 0.6, opacity: 0.6 },
        encoding: { x: { field: 'x', ...x }, y: { field: 'y', ...y }, x2: { field: 'x2' }, y2: { field: 'y2' } },
      },
      {
        data: { values: nodeRows },
        mark: { type: 'circle', size: 140, opacity: 1, stroke: 'white', strokeWidth: 1 },
        encoding: {
          x: { field: 'x', ...x },
          y: { field: 'y', ...y },
          color: { field: 'component', type: 'nominal', title: 'component' },
          tooltip: [
            { field: 'label', type: 'nominal', title: 'bin' },
            { field: 'component', type: 'nominal' },
          ],
        },
      },
      {
        data: { values: nodeRows },
        mark: { type: 'text', dy: -12, fontSize: 9, color: '#333' },
        encoding: { x: { field: 'x', ...x }, y: { field: 'y', ...y }, text: { field: 'label', type: 'nominal' } },
      },
    ],
  };
  const rows: (string | number | boolean)[][] = [
    ['bins (nodes)', nodes.length],
    ['edges (bin pairs sharing events)', edgeRows.length],
    ['connected components', input.components],
    ['bipartite', input.bipartite ? 'yes' : 'no'],
    ['flat directions', input.flatDirections],
  ];
  if (input.notes) rows.push(['notes', input.notes]);
  return {
    id: input.id ?? 'identifiability',
    title,
    caption:
      input.caption ??
      'Want one component, not bipartite, zero flat directions: every extra component or bipartite split is a direction in which the rates are not fixed by the data.',
    spec,
    facts: { summary },
    table: { columns: ['property', 'value'], rows },
  };
}
