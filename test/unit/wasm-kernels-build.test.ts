/**
 * Each committed WebAssembly binary (the fbank and joiner kernels) is what its AssemblyScript
 * source compiles to (scripts/build-wasm.ts; `npm run build:wasm` rewrites them).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binaryModuleText, compileKernel, KERNELS } from '../../scripts/build-wasm';

describe('WebAssembly kernel binaries', () => {
  for (const kernel of KERNELS) {
    it(`${basename(kernel.source)} is compiled as committed: run \`npm run build:wasm\` after changing it`, async () => {
      const binary = await compileKernel(kernel);
      expect(WebAssembly.validate(binary)).toBe(true);
      expect(readFileSync(kernel.binaryModule, 'utf8')).toBe(binaryModuleText(kernel, binary));
    }, 120_000);
  }
});
