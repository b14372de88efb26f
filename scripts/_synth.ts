import { fitQuantileMap, applyQuantileMap, TAIL_MODE } from '../src/method/quantileMorph.js';
import { createRng } from '../src/rng.js';
const [ns, nr, R, tail, nodes] = process.argv.slice(2).map(Number) as [number, number, number, number, number];
const draw = (seed: string, n: number) => { const r = createRng(seed); return Float64Array.from({ length: n }, () => { const z = r.normal(); const c = (r.normal() ** 2 + r.normal() ** 2 + r.normal() ** 2) / 3; return z / Math.sqrt(c); }); };
const f = (x: number) => 1 / (1 + Math.exp(-Number(process.env.A) * (x - Number(process.env.C))));
for (const t of [0, tail]) {
  const d: number[] = [];
  const t0 = Date.now();
  for (let i = 0; i < R; i++) {
    const s = draw(`s${i}`, ns), r = draw(`r${i}`, nr);
    const m = fitQuantileMap(s, r, nodes, 'x', t);
    let sum = 0; for (const x of s) sum += f(applyQuantileMap(m, x)) - f(x);
    d.push(sum);
  }
  const mean = d.reduce((a, b) => a + b) / R; const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (R - 1));
  let base = 0; for (const x of draw('s0', ns)) base += f(x);
  console.log({ tail: t, mean, se: sd / Math.sqrt(R), z: mean / (sd / Math.sqrt(R)), base, ms: Date.now() - t0 });
}
