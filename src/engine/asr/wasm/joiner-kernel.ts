/**
 * The joiner in WebAssembly (assembly/joiner-kernel.ts) for the weights joiner-graph.ts reads:
 * the same logits as the ONNX joiner for a fraction of an onnxruntime-node call's fixed cost.
 */
import { readJoinerGraph, type JoinerWeights } from '../joiner-graph';
import { JOINER_KERNEL_WASM_BASE64 } from './joiner-kernel-binary';

interface KernelExports {
  memory: WebAssembly.Memory;
  configure(dim: number, vocab: number, quantized: boolean): void;
  reserveRows(rows: number): void;
  run(rows: number): void;
  weightsAt: WebAssembly.Global;
  biasAt: WebAssembly.Global;
  columnScaleAt: WebAssembly.Global;
  encoderAt: WebAssembly.Global;
  decoderAt: WebAssembly.Global;
  outAt: WebAssembly.Global;
}

let compiled: WebAssembly.Module | undefined;

/** Compiled once per thread, synchronously: it is small, and models are loaded in synchronous code. */
function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Uint8Array.from(atob(JOINER_KERNEL_WASM_BASE64), (c) => c.charCodeAt(0)));
  return compiled;
}

/**
 * Multiply-adds of the output layer in one call above which onnxruntime takes the call: its cost
 * per row is lower (AVX2/AVX-512 where wasm SIMD has 128 bits), its fixed cost about 7 µs higher,
 * and they cross at about twice this (an int8 256 × 29 joiner: 2.2 against 7.6 µs for 4 rows,
 * 8.6 against 9.3 µs for 16; fp32 256 × 128, 4 rows: 7.7 against 9.5 µs).
 */
export const MAX_KERNEL_MACS = 65_536;

/** The kernel for a joiner graph it can run and that is small enough to gain, else why not. */
export function loadWasmJoiner(model: Uint8Array, expected: { joinerDim: number; vocabSize: number }): WasmJoiner | { reason: string } {
  let graph: ReturnType<typeof readJoinerGraph>;
  try {
    graph = readJoinerGraph(model);
  } catch (error) {
    // onnxruntime, opening the same file, gives the error its user sees.
    return { reason: `joiner graph could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  if ('reason' in graph) return graph;
  const { dim, vocab } = graph.weights;
  if (dim !== expected.joinerDim || vocab !== expected.vocabSize) return { reason: `joiner graph is ${dim} → ${vocab}, the model ${expected.joinerDim} → ${expected.vocabSize}` };
  if (dim * vocab > MAX_KERNEL_MACS) return { reason: `joiner ${dim} × ${vocab} is too large for the WebAssembly kernel to beat onnxruntime` };
  try {
    return new WasmJoiner(graph.weights);
  } catch (error) {
    return { reason: `the joiner kernel needs WebAssembly with SIMD: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export class WasmJoiner {
  private readonly k: KernelExports;
  private readonly dim: number;
  private readonly vocab: number;
  private encoder = new Float32Array(0);
  private decoder = new Float32Array(0);
  /** The logits of 1, 2, … rows: views of the kernel's output, made once per row count. */
  private outputs: Float32Array[] = [];

  /** The most rows a call takes here (the model sends larger calls to onnxruntime). */
  readonly maxRows: number;
  readonly description: string;

  constructor(weights: JoinerWeights) {
    this.k = new WebAssembly.Instance(kernelModule()).exports as unknown as KernelExports;
    const k = this.k;
    this.dim = weights.dim;
    this.vocab = weights.vocab;
    k.configure(weights.dim, weights.vocab, weights.kind === 'int8');
    const buffer = k.memory.buffer;
    const at = (g: WebAssembly.Global): number => g.value as number;
    const size = weights.dim * weights.vocab;
    if (weights.kind === 'int8') {
      new Int16Array(buffer, at(k.weightsAt), size).set(weights.weight);
      new Float32Array(buffer, at(k.columnScaleAt), weights.vocab).set(weights.columnScale);
    } else {
      new Float32Array(buffer, at(k.weightsAt), size).set(weights.weight);
    }
    new Float32Array(buffer, at(k.biasAt), weights.vocab).set(weights.bias);
    this.maxRows = Math.max(1, Math.floor(MAX_KERNEL_MACS / size));
    this.description = `WebAssembly (${weights.kind}, up to ${this.maxRows} rows a call)`;
    this.reserve(this.maxRows);
  }

  /**
   * Logits for `rows` (encoder row, prediction row) pairs: rows × vocab, a view of the kernel's
   * memory that the next call overwrites (every search reads a call's logits before the next).
   */
  run(encoderRows: Float32Array, decoderRows: Float32Array, rows: number): Float32Array {
    const n = rows * this.dim;
    if (n > this.encoder.length) this.reserve(rows);
    this.encoder.set(encoderRows.length === n ? encoderRows : encoderRows.subarray(0, n));
    this.decoder.set(decoderRows.length === n ? decoderRows : decoderRows.subarray(0, n));
    this.k.run(rows);
    return (this.outputs[rows] ??= new Float32Array(this.k.memory.buffer, this.k.outAt.value as number, rows * this.vocab));
  }

  /** Grows the kernel's row buffers (memory moves, so the views are made again). */
  private reserve(rows: number): void {
    const k = this.k;
    const capacity = Math.max(rows, (2 * this.encoder.length) / this.dim);
    k.reserveRows(capacity);
    this.encoder = new Float32Array(k.memory.buffer, k.encoderAt.value as number, capacity * this.dim);
    this.decoder = new Float32Array(k.memory.buffer, k.decoderAt.value as number, capacity * this.dim);
    this.outputs = [];
  }
}
