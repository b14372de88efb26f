/**
 * Render a Vega-Lite spec in Node, with no browser and no canvas: compile to Vega, run a headless View
 * (renderer 'none') to get SVG, and rasterise the SVG with resvg for the PNG. DejaVu Sans is the
 * configured font; resvg must be told so, else its sans-serif fallback resolves to a serif face.
 */
import * as vega from 'vega';
import { Resvg } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import { compileSpec } from './compileSpec.js';
import { canonicalSvgIds } from './canonicalSvgIds.js';

export interface RenderedPlot {
  svg: string;
  png: Uint8Array;
  warnings: string[];
}

/** PNG pixels per SVG pixel: 2 keeps 11 px labels legible when the PNG is viewed on its own. */
const PNG_SCALE = 2;

export async function renderPlot(spec: TopLevelSpec): Promise<RenderedPlot> {
  const { vega: vgSpec, warnings } = compileSpec(spec);
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  try {
    const svg = canonicalSvgIds(await view.toSVG());
    const png = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: PNG_SCALE },
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    })
      .render()
      .asPng();
    return { svg, png: new Uint8Array(png), warnings };
  } finally {
    view.finalize();
  }
}
