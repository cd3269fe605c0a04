import type { FrameGeometry } from '../fbank-options';
import type { MelBanks } from '../mel-banks';
import { FBANK_KERNEL_WASM_BASE64 } from './fbank-kernel-binary';

interface KernelExports {
  memory: WebAssembly.Memory;
  configure(windowSize: number, windowShift: number, paddedSize: number, numMelBins: number, firstBin: number, endBin: number, preemphasis: number, flags: number, energyFloor: number): void;
  computeFrames(count: number): void;
  MAX_FRAMES: WebAssembly.Global;
  samplesAt: WebAssembly.Global;
  ditherAt: WebAssembly.Global;
  windowAt: WebAssembly.Global;
  lowerFilterAt: WebAssembly.Global;
  binWeightsAt: WebAssembly.Global;
  outAt: WebAssembly.Global;
  REMOVE_DC_OFFSET: WebAssembly.Global;
  USE_ENERGY: WebAssembly.Global;
  RAW_ENERGY: WebAssembly.Global;
  USE_POWER: WebAssembly.Global;
  USE_LOG_FBANK: WebAssembly.Global;
  DITHER: WebAssembly.Global;
}

/**
 * Fbank in WebAssembly (assembly/fbank-kernel.ts), up to `maxFrames` frames a call: the host
 * writes the samples the frames span into `samples` (and, for a single frame with dither, the
 * dither into `dither`), calls compute(count), and reads count × frameDim values from `out`.
 * The views stay valid: the kernel's memory grows only while it is set up.
 */
export interface FbankKernel {
  readonly maxFrames: number;
  readonly samples: Float32Array;
  readonly dither: Float64Array;
  readonly out: Float32Array;
  compute(count: number): void;
}

let compiled: WebAssembly.Module | undefined;

/** Compiled once per thread, synchronously: it is small, and extractors are made in synchronous code. */
function kernelModule(): WebAssembly.Module {
  if (!compiled) {
    try {
      compiled = new WebAssembly.Module(Uint8Array.from(atob(FBANK_KERNEL_WASM_BASE64), (c) => c.charCodeAt(0)));
    } catch (error) {
      throw new Error(`the fbank front end needs WebAssembly with SIMD (Node.js ≥ 16.4, Chromium ≥ 91): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return compiled;
}

/** A kernel instance set up for one geometry, with its window and mel filters. */
export function createFbankKernel(g: FrameGeometry, window: Float64Array, banks: MelBanks): FbankKernel {
  const k = new WebAssembly.Instance(kernelModule()).exports as unknown as KernelExports;
  const flag = (on: boolean, bit: WebAssembly.Global): number => (on ? (bit.value as number) : 0);
  const flags =
    flag(g.removeDcOffset, k.REMOVE_DC_OFFSET) |
    flag(g.useEnergy, k.USE_ENERGY) |
    flag(g.rawEnergy, k.RAW_ENERGY) |
    flag(g.usePower, k.USE_POWER) |
    flag(g.useLogFbank, k.USE_LOG_FBANK) |
    flag(g.dither !== 0, k.DITHER);
  k.configure(g.windowSize, g.windowShift, g.paddedSize, g.numMelBins, banks.firstBin, banks.endBin, g.preemphasisCoefficient, flags, g.energyFloor);
  const buffer = k.memory.buffer;
  const at = (global: WebAssembly.Global): number => global.value as number;
  new Float64Array(buffer, at(k.windowAt), g.windowSize).set(window);
  new Int32Array(buffer, at(k.lowerFilterAt), banks.endBin).set(banks.lowerFilter);
  const weights = new Float64Array(buffer, at(k.binWeightsAt), 2 * banks.endBin);
  for (let b = 0; b < banks.endBin; b++) {
    weights[2 * b] = banks.lowerWeight[b];
    weights[2 * b + 1] = banks.upperWeight[b];
  }
  const maxFrames = at(k.MAX_FRAMES);
  return {
    maxFrames,
    samples: new Float32Array(buffer, at(k.samplesAt), (maxFrames - 1) * g.windowShift + g.windowSize),
    dither: new Float64Array(buffer, at(k.ditherAt), g.windowSize),
    out: new Float32Array(buffer, at(k.outAt), maxFrames * g.frameDim),
    compute: k.computeFrames,
  };
}
