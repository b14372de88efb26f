/**
 * Where the peer programs live: ../shared/peers beside the repository (as on every machine of this project and
 * in CI), or QMISID_PEERS. Benchmarks and peer-comparison tests run them with Debian's /usr/bin/python3.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

// bench/peers.ts in the source tree, dist/bench/peers.js once compiled.
const repoRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url));

export const PEERS_DIR = process.env.QMISID_PEERS ?? join(repoRoot, '..', 'shared', 'peers');
export const PYTHON = process.env.QMISID_PYTHON ?? '/usr/bin/python3';

export function peerPath(name: string): string {
  return join(PEERS_DIR, name);
}

export function peerAvailable(name: string): boolean {
  return existsSync(peerPath(name)) && existsSync(PYTHON);
}
