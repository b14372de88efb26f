/**
 * The prebuilt browser bundles of vega, vega-lite and vega-embed from node_modules, read so the report page
 * can inline them and open offline (no CDN). Resolved through the packages' own entry points, so this works
 * from the source tree, from dist/, and from an installed copy of the bench.
 */
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataError } from '../errors.js';

export interface VegaBundles {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
}

const FILES: Record<keyof VegaBundles, [pkg: string, file: string]> = {
  vega: ['vega', 'vega.min.js'],
  vegaLite: ['vega-lite', 'vega-lite.min.js'],
  vegaEmbed: ['vega-embed', 'vega-embed.min.js'],
};

let cached: VegaBundles | undefined;

export function vegaBundles(): VegaBundles {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const out = {} as VegaBundles;
  for (const [key, [pkg, file]] of Object.entries(FILES) as [keyof VegaBundles, [string, string]][]) {
    // Each package's entry point lives in its build/ folder, beside the browser bundle.
    const path = join(dirname(require.resolve(pkg)), file);
    if (!existsSync(path)) throw new DataError(path, undefined, `browser bundle of ${pkg} not found; reinstall the package`);
    out[key] = readFileSync(path, 'utf8');
  }
  cached = out;
  return out;
}
