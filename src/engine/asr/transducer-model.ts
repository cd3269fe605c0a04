/**
 * onnxruntime sessions for a validated model directory: encoder (with carried state),
 * prediction network, joiner, and the optional biasing graphs. Implements JointNetwork so
 * the searches can batch rows into single calls.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { batchesStreams, StatePacking, type PackedState } from './encoder-state';
import { resolveModelDir, type ModelSpec, type ResolveOptions } from './model-dir';
import type { JointNetwork } from './joint-network';
import { OrtSession, type OrtThreads } from './ort-session';
import { PACKED_STATE, singleStreamGraph } from './single-stream-graph';
import { loadWasmJoiner, WasmJoiner } from './wasm/joiner-kernel';
import { loadTokenLm } from '../lm/load-token-lm';
import type { TokenLm } from '../lm/token-lm';

export interface SessionOptions extends ResolveOptions {
  /** Threads inside one operator (default 1: decoding runs one stream per core). */
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  /** Run single streams on the encoder rewritten for one stream (single-stream-graph.ts); default true. */
  singleStreamGraph?: boolean;
  /** Run the joiner in WebAssembly where its graph allows (joiner-graph.ts); default true. False: onnxruntime always. */
  wasmJoiner?: boolean;
}

export interface EncoderChunkOutput {
  /** numFrames × joinerDim. */
  encoderOut: Float32Array;
  numFrames: number;
  /** Per-frame end-of-query logits (empty when the model has no head). */
  eoqLogit: Float32Array;
}

export interface ContextEmbedding {
  tensor: ort.Tensor;
  numEntries: number;
}

/** The encoder's recurrent state for one stream; replaced after every chunk. */
export type EncoderState = PackedState;

export class TransducerModel implements JointNetwork {
  readonly vocabSize: number;
  readonly contextSize: number;
  readonly joinerDim: number;
  readonly blankId: number;
  readonly unkId: number | undefined;
  private readonly encoderFetches: readonly string[];
  private lm: TokenLm | undefined;
  /** What a batched call fetches: the graph as exported returns each state on its own. */
  private readonly batchFetches: readonly string[];
  private readonly packing: StatePacking;
  /** The packed state tensors' names (float32, then int64 where there are int64 states). */
  private readonly packedInputs: string[];
  private readonly packedOutputs: string[];

  private constructor(
    readonly spec: ModelSpec,
    private readonly threads: OrtThreads,
    /** The encoder for one stream per call (single-stream-graph.ts), where it could be rewritten; else the graph as exported. */
    private readonly encoder: OrtSession,
    /** Whether `encoder` takes and returns the states packed. */
    private readonly packedEncoder: boolean,
    /** The encoder as exported, for several streams per call (null: opened on the first such call). */
    private batchEncoder: OrtSession | null,
    private readonly decoder: OrtSession,
    private readonly joiner: OrtSession,
    /** The joiner in WebAssembly, where its graph has the shape the kernel runs (null: onnxruntime only). */
    private readonly wasmJoiner: WasmJoiner | null,
    /** What runs the joiner, and why onnxruntime where it does: for benchmarks and debugging. */
    readonly joinerRuntime: string,
    private readonly contextEncoder: OrtSession | null,
    private readonly bias: OrtSession | null,
  ) {
    this.vocabSize = spec.vocabSize;
    this.contextSize = spec.contextSize;
    this.joinerDim = spec.joinerDim;
    this.blankId = spec.blankId;
    this.unkId = spec.tokens.id('<unk>');
    const fetches = (states: string[]) => ['encoder_out', ...states, ...(spec.eoqOutput ? [spec.eoqOutput] : [])];
    this.batchFetches = fetches(spec.states.map((s) => s.output));
    this.packedInputs = packedNames(spec, 'input');
    this.packedOutputs = packedNames(spec, 'output');
    this.encoderFetches = packedEncoder ? fetches(this.packedOutputs) : this.batchFetches;
    this.packing = new StatePacking(spec.states);
  }

  /** Validates the directory, then opens its graphs (synchronously: a few ms for a small model). */
  static load(dir: string, options: SessionOptions = {}): TransducerModel {
    const spec = resolveModelDir(dir, options);
    const threads = { intraOpNumThreads: options.intraOpNumThreads ?? 1, interOpNumThreads: options.interOpNumThreads ?? 1 };
    const open = (path: string | undefined): OrtSession | null => (path ? new OrtSession(path, threads) : null);
    const single = (options.singleStreamGraph ?? true) ? singleStreamGraph(readFileSync(spec.files.encoder), spec.states) : null;
    const encoder = new OrtSession(spec.files.encoder, threads, single?.bytes);
    const wasmJoiner = (options.wasmJoiner ?? true) ? loadWasmJoiner(readFileSync(spec.files.joiner), spec) : { reason: 'wasmJoiner: false' };
    return new TransducerModel(
      spec,
      threads,
      encoder,
      single?.packed ?? false,
      single ? null : encoder,
      new OrtSession(spec.files.decoder, threads),
      new OrtSession(spec.files.joiner, threads),
      wasmJoiner instanceof WasmJoiner ? wasmJoiner : null,
      wasmJoiner instanceof WasmJoiner ? wasmJoiner.description : `onnxruntime (${wasmJoiner.reason})`,
      open(spec.files.contextEncoder),
      open(spec.files.bias),
    );
  }

  /** The token LM model.json's `decode.lm` names, read at its first use (beam search with fusion). */
  tokenLm(): TokenLm | undefined {
    const file = this.spec.decoding.lm?.file;
    if (file && !this.lm) this.lm = loadTokenLm(file, this.spec.tokens);
    return this.lm;
  }

  get hasAttentionBias(): boolean {
    return this.contextEncoder !== null && this.bias !== null;
  }

  initialState(): EncoderState {
    return this.packing.initial();
  }

  /**
   * Runs one chunk of T fbank frames (T × featureDim); returns the output and the next state.
   * `processedFrames`: fbank frames before this chunk, for encoders that take the count.
   */
  runEncoder(features: Float32Array, state: EncoderState, processedFrames = 0): { out: EncoderChunkOutput; state: EncoderState } {
    const { T, featureDim, states, eoqOutput, processedFramesInput } = this.spec;
    const feeds: Record<string, ort.Tensor> = { x: new ort.Tensor('float32', features, [1, T, featureDim]) };
    if (this.packedEncoder) {
      const [floats, ints] = this.packedInputs;
      feeds[floats] = new ort.Tensor('float32', state.float32, [state.float32.length]);
      if (ints) feeds[ints] = new ort.Tensor('int64', state.int64, [state.int64.length]);
    } else {
      states.forEach((s, i) => (feeds[s.input] = stateTensor(this.packing.view(state, i), s.dims)));
    }
    if (processedFramesInput) feeds[processedFramesInput] = new ort.Tensor('int64', BigInt64Array.of(BigInt(processedFrames)), [1]);
    const r = this.encoder.run(feeds, this.encoderFetches);
    const encoderOut = r.encoder_out;
    return {
      out: {
        encoderOut: encoderOut.data as Float32Array,
        numFrames: Number(encoderOut.dims[1]),
        eoqLogit: eoqOutput ? (r[eoqOutput].data as Float32Array) : new Float32Array(0),
      },
      state: this.packedEncoder ? this.packedState(r) : this.packState(states.map((s) => r[s.output].data as TensorData)),
    };
  }

  private packedState(r: Record<string, ort.Tensor>): EncoderState {
    const [floats, ints] = this.packedOutputs;
    return { float32: r[floats].data as Float32Array, int64: ints ? (r[ints].data as BigInt64Array) : new BigInt64Array(0) };
  }

  /** Copies one stream's states, one array each in layout order, into a packed state. */
  private packState(parts: readonly TensorData[]): EncoderState {
    const state = this.packing.initial();
    parts.forEach((p, i) => (this.packing.view(state, i) as Float32Array).set(p as Float32Array));
    return state;
  }

  /** Whether the encoder takes several streams per call (every state declares its batch axis). */
  get batchesStreams(): boolean {
    return batchesStreams(this.spec.states);
  }

  /**
   * One chunk of each of several streams in one encoder call: `features` holds the streams'
   * chunks one after another (streams × T × featureDim), `states` and `processedFrames` one
   * entry per stream. Returns each stream's output and next state, as runEncoder would.
   */
  runEncoderBatch(features: Float32Array, states: readonly EncoderState[], processedFrames: readonly number[]): { out: EncoderChunkOutput; state: EncoderState }[] {
    const n = states.length;
    if (n === 1) return [this.runEncoder(features, states[0], processedFrames[0])];
    const { T, featureDim, states: specs, eoqOutput, processedFramesInput } = this.spec;
    const feeds: Record<string, ort.Tensor> = { x: new ort.Tensor('float32', features, [n, T, featureDim]) };
    specs.forEach((s, i) => (feeds[s.input] = stackStates(states.map((st) => this.packing.view(st, i)), s.dims, s.batchAxis as number)));
    if (processedFramesInput) feeds[processedFramesInput] = new ort.Tensor('int64', BigInt64Array.from(processedFrames, (p) => BigInt(p)), [n]);
    this.batchEncoder ??= new OrtSession(this.spec.files.encoder, this.threads);
    const r = this.batchEncoder.run(feeds, this.batchFetches);
    const encoderOut = r.encoder_out;
    const frames = Number(encoderOut.dims[1]);
    const rowsPerStream = frames * Number(encoderOut.dims[2]);
    const out = encoderOut.data as Float32Array;
    const eoq = eoqOutput ? (r[eoqOutput].data as Float32Array) : null;
    const eoqPerStream = eoq ? eoq.length / n : 0;
    const next = Array.from({ length: n }, () => this.packing.initial());
    specs.forEach((s, i) => unstackStates(r[s.output], s.batchAxis as number, next.map((st) => this.packing.view(st, i))));
    return Array.from({ length: n }, (_, b) => ({
      out: {
        encoderOut: out.slice(b * rowsPerStream, (b + 1) * rowsPerStream),
        numFrames: frames,
        eoqLogit: eoq ? eoq.slice(b * eoqPerStream, (b + 1) * eoqPerStream) : new Float32Array(0),
      },
      state: next[b],
    }));
  }

  runDecoder(contexts: readonly (readonly number[])[]): Float32Array {
    const y = new BigInt64Array(contexts.length * this.contextSize);
    contexts.forEach((ctx, i) => ctx.forEach((t, j) => (y[i * this.contextSize + j] = BigInt(t))));
    const r = this.decoder.run({ y: new ort.Tensor('int64', y, [contexts.length, this.contextSize]) }, ['decoder_out']);
    return r.decoder_out.data as Float32Array;
  }

  /** Logits for `rows` pairs; from the WebAssembly kernel, a view that the next call overwrites. */
  runJoiner(encoderRows: Float32Array, decoderRows: Float32Array, rows: number): Float32Array {
    if (this.wasmJoiner && rows <= this.wasmJoiner.maxRows) return this.wasmJoiner.run(encoderRows, decoderRows, rows);
    const dims = [rows, this.joinerDim];
    const r = this.joiner.run(
      {
        encoder_out: new ort.Tensor('float32', encoderRows, dims),
        decoder_out: new ort.Tensor('float32', decoderRows, dims),
      },
      ['logit'],
    );
    return r.logit.data as Float32Array;
  }

  /** Embeds the biasing entries once per utterance; each is a token list (padded with 0). */
  encodeContext(entries: readonly (readonly number[])[]): ContextEmbedding {
    if (!this.contextEncoder) throw new Error(`${this.spec.dir}: the model has no context encoder`);
    const width = Math.max(1, ...entries.map((e) => e.length));
    const tokens = new BigInt64Array(entries.length * width);
    entries.forEach((e, i) => e.forEach((t, j) => (tokens[i * width + j] = BigInt(t))));
    const lengths = BigInt64Array.from(entries.map((e) => BigInt(e.length)));
    const r = this.contextEncoder.run(
      {
        context_tokens: new ort.Tensor('int64', tokens, [entries.length, width]),
        context_lengths: new ort.Tensor('int64', lengths, [entries.length]),
      },
      ['context_emb'],
    );
    return { tensor: r.context_emb, numEntries: entries.length };
  }

  /** Applies the model's attention biasing to one chunk; attention is numFrames × (entries + 1). */
  runBias(encoderOut: Float32Array, numFrames: number, context: ContextEmbedding): { encoderOut: Float32Array; attention: Float32Array } {
    if (!this.bias) throw new Error(`${this.spec.dir}: the model has no bias graph`);
    const r = this.bias.run(
      {
        encoder_out: new ort.Tensor('float32', encoderOut, [1, numFrames, this.joinerDim]),
        context_emb: context.tensor,
      },
      ['encoder_out_biased', 'attention'],
    );
    return { encoderOut: r.encoder_out_biased.data as Float32Array, attention: r.attention.data as Float32Array };
  }

  release(): void {
    for (const s of new Set([this.encoder, this.batchEncoder, this.decoder, this.joiner, this.contextEncoder, this.bias])) s?.release();
  }
}

type TensorData = Float32Array | BigInt64Array;

/** Sizes before and after `axis`: a tensor is outer × dims[axis] × inner. */
function aroundAxis(dims: readonly number[], axis: number): { outer: number; inner: number } {
  let outer = 1;
  let inner = 1;
  dims.forEach((d, i) => {
    if (i < axis) outer *= d;
    else if (i > axis) inner *= d;
  });
  return { outer, inner };
}

/** Names of the packed state tensors, float32 first, then int64 where the model has int64 states. */
function packedNames(spec: ModelSpec, side: 'input' | 'output'): string[] {
  const types = (['float32', 'int64'] as const).filter((t) => spec.states.some((s) => s.type === t));
  return types.map((t) => PACKED_STATE[t][side]);
}

function stateTensor(data: TensorData, dims: readonly number[]): ort.Tensor {
  return data instanceof BigInt64Array ? new ort.Tensor('int64', data, dims) : new ort.Tensor('float32', data, dims);
}

/** One state of each stream (size 1 along `axis`, shaped `dims`) stacked into one tensor of n streams. */
function stackStates(parts: readonly TensorData[], dims: readonly number[], axis: number): ort.Tensor {
  const { outer, inner } = aroundAxis(dims, axis);
  const n = parts.length;
  const data: TensorData = parts[0] instanceof BigInt64Array ? new BigInt64Array(outer * n * inner) : new Float32Array(outer * n * inner);
  parts.forEach((src, b) => {
    for (let o = 0; o < outer; o++) (data as Float32Array).set((src as Float32Array).subarray(o * inner, (o + 1) * inner), (o * n + b) * inner);
  });
  return stateTensor(data, dims.map((d, i) => (i === axis ? n : d)));
}

/** The inverse of stackStates: each stream's slice of a batched state tensor, written into `into` (one per stream). */
function unstackStates(whole: ort.Tensor, axis: number, into: readonly TensorData[]): void {
  const { outer, inner } = aroundAxis(whole.dims.map(Number), axis);
  const src = whole.data as TensorData;
  const n = into.length;
  into.forEach((dst, b) => {
    for (let o = 0; o < outer; o++) (dst as Float32Array).set((src as Float32Array).subarray((o * n + b) * inner, (o * n + b + 1) * inner), o * inner);
  });
}
