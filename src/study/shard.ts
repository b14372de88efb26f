/**
 * `--shard i/n`: the toys with index mod n == i. Shards are disjoint and together cover every toy, so a batch
 * system can run shard i as job i of an n-job array and `qmisid merge` puts the pieces back together.
 */
import { UsageError } from '../errors.js';

export interface Shard {
  index: number;
  count: number;
}

export const NO_SHARD: Shard = { index: 0, count: 1 };

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError('--shard', text, 'i/n with integers 0 <= i < n, e.g. 3/10');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && index < count)) throw new UsageError('--shard', text, 'i/n with integers 0 <= i < n, e.g. 3/10');
  return { index, count };
}

export function shardToys(toys: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let t = shard.index; t < toys; t += shard.count) out.push(t);
  return out;
}
