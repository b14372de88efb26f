/**
 * `--shard i/n`: the toys with index mod n == i. Shards are disjoint and together cover every toy, so a batch
 * system can run shard i as job i of an n-job array and `qmisid merge` puts the pieces back together.
 * The flag is parsed by parseShard in src/cli/flags.ts.
 */
export interface Shard {
  index: number;
  count: number;
}

export const NO_SHARD: Shard = { index: 0, count: 1 };

export function shardToys(toys: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let t = shard.index; t < toys; t += shard.count) out.push(t);
  return out;
}
