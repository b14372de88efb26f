/**
 * Backend picker for TensorFlow.js: tfjs-node ("tensorflow") when it is installed, else WebAssembly, else the
 * pure-JavaScript "cpu" kernels. Nothing here runs at import time: the backend changes only when
 * `selectBackend` is called, and the caller records the name it returns next to every trained model.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from './tf.js';
import { UsageError } from '../errors.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | 'node' | BackendName;

export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'node', 'tensorflow', 'wasm', 'cpu'];

async function tryNode(): Promise<boolean> {
  try {
    // Optional dependency: absent on machines where its native library cannot be downloaded.
    const pkg = '@tensorflow/tfjs-node';
    await import(pkg);
    // tfjs-node registers its backend on the tfjs-core instance it shares with @tensorflow/tfjs.
    if (tf.findBackendFactory('tensorflow') == null) return false;
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!wasmPathSet) {
      // Under Node the .wasm binaries are read from the installed package, never fetched.
      const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
      const dist = dirname(main);
      wasm.setWasmPaths(pathToFileURL(join(dist, '/')).href.replace(/^file:\/\//, ''), false);
      wasmPathSet = true;
    }
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}
// Whether setWasmPaths has run in this thread (it must precede the backend's first initialisation).
let wasmPathSet = false;

/**
 * Switch TensorFlow.js to the preferred backend and return the name of the one now active.
 * `auto` tries tensorflow → wasm → cpu. An explicit preference that cannot be honoured is a UsageError.
 */
export async function selectBackend(preference: BackendPreference = 'auto'): Promise<BackendName> {
  if (!BACKEND_PREFERENCES.includes(preference)) {
    throw new UsageError('--backend', preference, `one of ${BACKEND_PREFERENCES.join(', ')}`);
  }
  const want = preference === 'node' ? 'tensorflow' : preference;
  if (want === 'auto' || want === 'tensorflow') {
    if (await tryNode()) return 'tensorflow';
    if (want === 'tensorflow') throw new UsageError('--backend', preference, '@tensorflow/tfjs-node is not installed or failed to load');
  }
  if (want === 'auto' || want === 'wasm') {
    if (await tryWasm()) return 'wasm';
    if (want === 'wasm') throw new UsageError('--backend', preference, '@tensorflow/tfjs-backend-wasm failed to initialise');
  }
  await tf.setBackend('cpu');
  return 'cpu';
}
