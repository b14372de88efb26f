import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { startWorker } from '../../src/util/worker.js';

describe('startWorker', () => {
  it('runs a TypeScript worker module beside the caller from source', async () => {
    const w = startWorker(import.meta.url, 'fixtures/echo', { workerData: 21 });
    const [msg] = await once(w, 'message');
    expect(msg).toBe(42);
    await w.terminate();
  });
});
