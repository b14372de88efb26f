/**
 * The floors of the open bench with an independent trainer (skipped, saying so, where python3-torch is not
 * installed; CI installs it):
 *   - studies/estimators/torch_phi.py, a PyTorch φ-trainer written from the method alone, run through the
 *     external kind on the closure physics (closure-torch --quick, 1 toy), reaches the same verdict as the
 *     built-in φ on every criterion stated for both, and agrees with it bin by bin within their combined
 *     ensemble errors (4 members each: a difference over sqrt(σ1² + σ2²) below 10, the bound the criteria use
 *     for a Student t with 3 dof);
 *   - the ONNX route gives the external route's ε: the ensemble the script exports (config.onnx), evaluated
 *     by the `onnx` estimator on the same toy, reproduces the per-bin ε within 1e-5 relative (the script's
 *     networks take the same float32 raw inputs as the graph; what is left is PyTorch vs onnxruntime float32
 *     kernels and the float32 logit of the ensemble mean).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStudy } from '../../src/study/runStudy.js';
import { readToys } from '../../src/study/toyStore.js';

const torch = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!torch) console.warn('python3-torch is not installed (/usr/bin/python3 -c "import torch" fails): the PyTorch floor tests are skipped');

const root = mkdtempSync(join(tmpdir(), 'qmisid-torch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const EST = resolve(import.meta.dirname, '../../studies/estimators');

describe.skipIf(!torch)('PyTorch phi through the external kind', () => {
  it("same verdicts as the built-in phi, and the ONNX route gives the external route's eps", async () => {
    const study = JSON.parse(readFileSync(join(EST, 'closure-torch.json'), 'utf8'));
    const onnxPath = join(root, 'torch-phi.onnx');
    const torchEst = study.estimators.find((e: { name: string }) => e.name === 'torchPhi');
    torchEst.options.command = ['/usr/bin/python3', join(EST, 'torch_phi.py')];
    torchEst.options.config.onnx = onnxPath;
    delete study.$schema;
    const file = join(root, 'closure-torch.json');
    writeFileSync(file, JSON.stringify(study));
    const { summary } = await runStudy(file, { out: join(root, 'ext'), quick: true });
    const verdict = (est: string) => summary.criteria.filter((c) => c.estimator === est).map((c) => [c.metric, c.pass]);
    expect(verdict('torchPhi')).toEqual(verdict('phi'));
    expect(verdict('phi').every(([, pass]) => pass)).toBe(true);
    const rec = readToys(join(root, 'ext', 'toys.jsonl')).records[0]!.points[0]!;
    const a = rec.estimators.phi!;
    const b = rec.estimators.torchPhi!;
    // Both ensembles say how their members were made (bootstrap in both configurations): the report's reading of
    // a variance claim rests on it.
    expect([a.errResampling, b.errResampling]).toEqual(['bootstrap', 'bootstrap']);
    let compared = 0;
    a.eps.forEach((x, k) => {
      const y = b.eps[k];
      const sa = a.err[k];
      const sb = b.err[k];
      if (x == null || y == null || sa == null || sb == null || rec.count[k]! < 200) return;
      expect(Math.abs(x - y) / Math.hypot(sa, sb), `bin ${k}`).toBeLessThan(10);
      compared++;
    });
    expect(compared).toBeGreaterThan(5);

    // The ONNX route on the same toy (same seed, same events).
    const onnxStudy = {
      ...study,
      name: 'closure-onnx',
      estimators: [{ name: 'onnxPhi', kind: 'onnx', options: { model: onnxPath, inputs: ['pt', 'eta'] } }],
      criteria: [],
    };
    delete onnxStudy.quick;
    const file2 = join(root, 'closure-onnx.json');
    writeFileSync(file2, JSON.stringify({ ...onnxStudy, events: study.quick.events }));
    await runStudy(file2, { out: join(root, 'onnx') });
    const c = readToys(join(root, 'onnx', 'toys.jsonl')).records[0]!.points[0]!;
    expect(c.window).toBe(rec.window);
    c.estimators.onnxPhi!.eps.forEach((x, k) => {
      const y = b.eps[k];
      if (x == null) return expect(y).toBeNull();
      expect(Math.abs(x - y!) / y!, `bin ${k}`).toBeLessThan(1e-5);
    });
  }, 600_000);
});
