import { describe, expect, it } from 'vitest';
import { ConfigError, NumericalError, QmisidError } from '../../src/errors.js';
import { fromWorkerError, toWorkerError } from '../../src/util/workerError.js';

// structuredClone is what postMessage does to the payload: only plain data survives.
const cross = (err: unknown, context: string) => fromWorkerError(structuredClone(toWorkerError(err)), context);

describe('errors across a worker boundary', () => {
  it('an input error stays an input error with its one-line message', () => {
    for (const err of [
      new ConfigError('detector.flip.lossMean', -1, 'a fraction in [0, 1)', 'gen.json'),
      new NumericalError('generate', 'no event passed'),
    ]) {
      const back = cross(err, 'toy 3');
      expect(back).toBeInstanceOf(QmisidError);
      expect(back.message).toBe(err.message);
      expect(back.name).toBe(err.name);
    }
  });

  it('a bug stays a bug, says which worker, and keeps the worker stack', () => {
    const err = new TypeError('x is undefined');
    const back = cross(err, 'gradient worker');
    expect(back).not.toBeInstanceOf(QmisidError);
    expect(back.message).toBe('gradient worker: TypeError: x is undefined');
    expect(back.stack).toContain(err.stack!.split('\n')[1]!.trim());
    expect(cross('thrown string', 'toy 0').message).toBe('toy 0: Error: thrown string');
  });
});
