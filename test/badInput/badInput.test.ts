/**
 * The permanent bad-input suite (docs/reliability.md): 200+ generated cases over every command and input kind,
 * run in-process through `main(argv)`. Each case must exit 2 with a one-line `qmisid: …` message naming the
 * flag/key/column/file and the value, print no stack trace, and leave its case directory — where its output
 * would go — exactly as it was (nothing at or beside the output).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, type Fixtures } from './fixtures.js';
import { BAD_INPUT_SEED, allCases } from './cases.js';
import { runCli, snapshot } from './harness.js';

const CASES = allCases();
let fx: Fixtures;

beforeAll(async () => {
  // Printed so a failing draw can be replayed: BAD_INPUT_SEED=<seed> npx vitest run test/badInput
  console.log(`bad-input suite: ${CASES.length} cases, fast-check seed ${BAD_INPUT_SEED}`);
  fx = await buildFixtures();
}, 300_000);

afterAll(() => {
  if (fx) rmSync(fx.root, { recursive: true, force: true });
});

describe('bad input', () => {
  it('has at least 200 cases covering every command', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(200);
    const names = new Set(CASES.map((c) => c.name));
    expect(names.size).toBe(CASES.length);
    for (const cmd of ['generate', 'train', 'apply', 'fit', 'study', 'merge', 'report']) {
      expect(CASES.filter((c) => c.name.startsWith(cmd) || c.name.includes(` ${cmd} `)).length, cmd).toBeGreaterThan(3);
    }
  });

  it.each(CASES.map((c, i) => [i, c.name] as const))('case %i: %s', async (i) => {
    const spec = CASES[i]!;
    const dir = join(fx.root, 'cases', String(i));
    mkdirSync(dir, { recursive: true });
    const { args, needles } = spec.make(fx, dir);
    const fixturesBefore = snapshot(join(fx.root, 'fixtures'));
    const before = snapshot(dir);
    const r = await runCli(args);
    const context = `qmisid ${args.map((a) => JSON.stringify(a)).join(' ')}\n--- stderr ---\n${r.stderr}`;
    expect(r.code, context).toBe(2);
    expect(r.stderr, context).not.toMatch(/^\s+at |UNCAUGHT/m);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('qmisid: ') || l.startsWith('error: '));
    expect(lines.length, context).toBeGreaterThanOrEqual(1);
    const message = lines[0]!;
    for (const n of needles) expect(message, context).toContain(n);
    expect(snapshot(dir), `${context}\nleft files behind`).toEqual(before);
    expect(snapshot(join(fx.root, 'fixtures')), `${context}\nchanged a fixture`).toEqual(fixturesBefore);
  });
});
