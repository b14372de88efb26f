/**
 * Vega names clip paths and gradients from a process-wide counter (clip1, clip2, …), so the same spec
 * rendered twice gives different SVG text. Renumbering the ids in order of first appearance makes a
 * rendered SVG depend on the spec alone, which keeps report files byte-identical across runs.
 */
export function canonicalSvgIds(svg: string): string {
  const map = new Map<string, string>();
  const counters = new Map<string, number>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) {
    const id = m[1]!;
    if (map.has(id)) continue;
    const prefix = id.replace(/\d+$/, '') || 'id';
    const k = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, k);
    map.set(id, `${prefix}${k}`);
  }
  if (map.size === 0) return svg;
  const rename = (id: string): string => map.get(id) ?? id;
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${rename(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${rename(id)})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${rename(id)}"`);
}
