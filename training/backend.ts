import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError } from './errors';
import { registerWasmGradientKernels } from './wasm-kernels';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** Native TensorFlow bindings, GPU build first; either registers the 'tensorflow' backend when required. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

let wasmPrepared = false;

/**
 * Selects (and initializes) the tfjs backend and returns its name ('tensorflow', 'wasm' or 'cpu').
 * - 'auto': tfjs-node-gpu, then tfjs-node, then WASM, then pure JS — the first that loads.
 * - 'tensorflow' | 'wasm' | 'cpu': exactly that one, or BackendUnavailableError saying why.
 * On WASM the gradient kernels it lacks are registered (training/wasm-kernels).
 */
export async function selectBackend(choice: BackendChoice = 'auto'): Promise<string> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new BackendUnavailableError(String(choice), `backend must be one of ${BACKEND_CHOICES.join(', ')}, got '${String(choice)}'`);
  }
  const failures: string[] = [];
  if (choice === 'auto' || choice === 'tensorflow') {
    const err = await tryNative();
    if (!err) return 'tensorflow';
    if (choice === 'tensorflow') throw new BackendUnavailableError('tensorflow', `backend 'tensorflow' is unavailable: ${err}`);
    failures.push(`tensorflow: ${err}`);
  }
  if (choice === 'auto' || choice === 'wasm') {
    const err = await tryWasm();
    if (!err) return 'wasm';
    if (choice === 'wasm') throw new BackendUnavailableError('wasm', `backend 'wasm' is unavailable: ${err}`);
    failures.push(`wasm: ${err}`);
  }
  if (await tf.setBackend('cpu')) {
    await tf.ready();
    return 'cpu';
  }
  failures.push('cpu: tf.setBackend returned false');
  throw new BackendUnavailableError(choice, `no tfjs backend could be initialized (${failures.join('; ')})`);
}

async function tryNative(): Promise<string | null> {
  if (tf.findBackend('tensorflow') === null) {
    const errors: string[] = [];
    for (const pkg of NATIVE_PACKAGES) {
      try {
        // A runtime name keeps bundlers from trying to resolve these optional native packages.
        const load: NodeRequire = require;
        load(pkg);
        if (tf.findBackendFactory('tensorflow')) break;
        errors.push(`${pkg} loaded but registered no 'tensorflow' backend (a second copy of @tensorflow/tfjs-core?)`);
      } catch (cause) {
        errors.push(`${pkg}: ${firstLine(cause)}`);
      }
    }
    if (!tf.findBackendFactory('tensorflow')) return errors.join('; ');
  }
  try {
    if (!(await tf.setBackend('tensorflow'))) return 'tf.setBackend(tensorflow) returned false';
  } catch (cause) {
    return firstLine(cause);
  }
  await tf.ready();
  return null;
}

async function tryWasm(): Promise<string | null> {
  try {
    if (!wasmPrepared) {
      const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
      // In Node the .wasm binaries are read from the package's dist folder (a path prefix, trailing slash).
      const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
      wasm.setWasmPaths(dist);
      registerWasmGradientKernels();
      wasmPrepared = true;
    }
    if (!(await tf.setBackend('wasm'))) return 'tf.setBackend(wasm) returned false';
    await tf.ready();
    return null;
  } catch (cause) {
    return firstLine(cause);
  }
}

function firstLine(cause: unknown): string {
  const msg = cause instanceof Error ? cause.message : String(cause);
  return msg.split('\n')[0];
}
