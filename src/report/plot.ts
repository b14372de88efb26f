/**
 * A plot of the validation report: a Vega-Lite spec with its data inlined, plus the words a reviewer reads
 * beside it. The caption says in one line what to look for; `facts` carries the numbers the plot is about
 * (fitted widths, χ²/ndf, means) so they appear in the page and in summary.md without reading the chart.
 */
import type { TopLevelSpec } from 'vega-lite';

/** A small table shown under a plot (and in summary.md), e.g. the identifiability graph summary. */
export interface PlotTable {
  columns: string[];
  rows: (string | number | boolean)[][];
}

export interface Plot {
  /** File stem for specs/<id>.vl.json and plots/<id>.svg|png: lower-case letters, digits, '-' and '_'. */
  id: string;
  title: string;
  caption: string;
  spec: TopLevelSpec;
  facts?: Record<string, number | string>;
  table?: PlotTable;
}
