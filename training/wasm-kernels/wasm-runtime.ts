import { KERNEL_BINARIES } from './generated/kernel-binaries';

/** The parts of the WebAssembly JS API used here (the project's lib settings carry no WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
/** The runtime's WebAssembly object, or undefined where there is none. */
export const wasmApi: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const modules = new Map<string, WasmModule | null>();

/**
 * The compiled kernel module built from src/<name>.wat (see src/build.ts), or null where the runtime has
 * no WebAssembly or rejects the module (no 128-bit SIMD). Compiled once per process.
 */
export function kernelModule(name: string): WasmModule | null {
  let m = modules.get(name);
  if (m === undefined) {
    const base64 = KERNEL_BINARIES[name];
    if (base64 === undefined) {
      throw new Error(`no WebAssembly kernel module '${name}' (sources: ${Object.keys(KERNEL_BINARIES).join(', ')})`);
    }
    const bytes = Uint8Array.from(Buffer.from(base64, 'base64'));
    m = wasmApi?.validate(bytes) ? new wasmApi.Module(bytes) : null;
    modules.set(name, m);
  }
  return m;
}

/** The exports of kernel module `name` instantiated over `memory` (imported as env.memory). */
export function instantiateKernelModule(name: string, memory: WasmMemory): Record<string, unknown> {
  const module = kernelModule(name);
  if (!module || !wasmApi) throw new Error('WebAssembly SIMD is not available in this runtime');
  return new wasmApi.Instance(module, { env: { memory } }).exports;
}
