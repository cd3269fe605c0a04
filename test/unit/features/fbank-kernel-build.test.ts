/**
 * The committed WebAssembly binary of the fbank kernel is what its AssemblyScript source
 * compiles to (scripts/build-fbank-wasm.ts; `npm run build:wasm` rewrites it).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binaryModuleText, compileFbankKernel, KERNEL_BINARY_MODULE } from '../../../scripts/build-fbank-wasm';

describe('fbank kernel binary', () => {
  it('is the compiled kernel source: run `npm run build:wasm` after changing it', async () => {
    const binary = await compileFbankKernel();
    expect(WebAssembly.validate(binary)).toBe(true);
    expect(readFileSync(KERNEL_BINARY_MODULE, 'utf8')).toBe(binaryModuleText(binary));
  }, 120_000);
});
