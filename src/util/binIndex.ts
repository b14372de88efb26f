/** Index of the half-open bin [edges[k], edges[k+1]) holding x, or −1 outside the edges (and for NaN). */
export function binIndex(edges: ArrayLike<number>, x: number): number {
  if (!(x >= edges[0]!) || !(x < edges[edges.length - 1]!)) return -1;
  let lo = 0;
  let hi = edges.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x >= edges[mid]!) lo = mid;
    else hi = mid;
  }
  return lo;
}
