import { readFileSync } from 'fs';
import { GENERATED_FILE, generateKernelBinaries, kernelSources } from '../../../training/wasm-kernels/src/build';
import { kernelModule } from '../../../training/wasm-kernels/wasm-runtime';

describe('WebAssembly kernel build (src/*.wat → generated/kernel-binaries.ts)', () => {
  it('the committed generated file is what wabt makes of the current .wat sources (else run npm run build:kernels)', async () => {
    const fresh = await generateKernelBinaries();
    const committed = readFileSync(GENERATED_FILE, 'utf8');
    if (committed !== fresh) {
      throw new Error('training/wasm-kernels/generated/kernel-binaries.ts is out of date: run npm run build:kernels');
    }
  });

  it('compiles every source into a module this runtime accepts, exporting the kernels the wrappers call', () => {
    expect(kernelSources()).toEqual(['gemm', 'lstm-cells']);
    for (const name of kernelSources()) expect([name, kernelModule(name) !== null]).toEqual([name, true]);
    const exportsOf = (name: string): string[] =>
      (globalThis as unknown as { WebAssembly: { Module: { exports(m: object): { name: string }[] } } })
        .WebAssembly.Module.exports(kernelModule(name)!).map((e) => e.name).sort();
    expect(exportsOf('gemm')).toEqual(['gemm', 'gemmAccumulate', 'gemmTransposeA', 'gemmTransposeAAccumulate']);
    expect(exportsOf('lstm-cells')).toEqual(['lstmBackwardCell', 'lstmForwardCell']);
  });

  it('refuses an unknown kernel module by name', () => {
    expect(() => kernelModule('nope')).toThrow(/no WebAssembly kernel module 'nope' \(sources: gemm, lstm-cells\)/);
  });
});
