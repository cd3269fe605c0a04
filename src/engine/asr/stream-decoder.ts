/**
 * One streaming utterance: audio → streaming fbank → encoder chunks with carried state →
 * (attention biasing) → search. A partial result is recorded after every chunk. The same
 * object serves a live stream (acceptWaveform as audio arrives) and a file (decode-utterance).
 * Synchronous: it is CPU-bound and runs in an engine worker thread, never on a UI thread.
 */
import { DEFAULT_LATTICE_BEAM, type FusionStyle } from '../../shared/api';
import type { DecodeResult, Hypothesis, PartialResult } from '../../shared/domain/decode';
import { AttentionBias } from '../bias/attention-bias';
import { ContextGraph } from '../bias/context-graph';
import { spellingOf, type ContextEntry } from '../bias/context-list';
import { buildLattice } from '../lattice/build-lattice';
import { latticeSizes } from '../lattice/lattice-size';
import { writeSlf } from '../lattice/slf';
import { WordPieces } from '../lattice/word-pieces';
import { StreamingFbank } from '../features/streaming-fbank';
import { assembleFrameTrace, EnergyMeter, sigmoid } from './frame-trace';
import { GreedySearch } from './greedy-search';
import { fusedLmOf } from './fused-lm';
import { ModifiedBeamSearch, type LmFusion } from './modified-beam-search';
import { totalScore, type SearchHypothesis } from './search-types';
import { attentionWithinInput, latticeWithinInput, tailPaddingOf, tokensWithinInput } from './tail-padding';
import { WORD_BOUNDARY } from './tokens';
import type { EncoderChunkOutput, EncoderState, TransducerModel } from './transducer-model';

export interface DecodeOptions {
  /** 1 = greedy search; more = modified beam search with that many paths. Default 4. */
  beam?: number;
  /** Tokens one path may emit per encoder frame, in greedy and beam search (default: the model's, see ModelDecoding). */
  maxSymbolsPerFrame?: number;
  /** Entries kept in the n-best list (default: beam). */
  nbest?: number;
  /** The biasing list, shared by shallow fusion and attention biasing. */
  context?: readonly ContextEntry[];
  /** Default true; applies to beam search (greedy has no hypotheses to re-rank). */
  shallowFusion?: boolean;
  /** Default true; needs the model's context encoder and bias graphs. */
  attentionBias?: boolean;
  /** Shallow-fusion boost per token for entries without their own (default: the model's, see ModelDecoding). */
  fusionBoost?: number;
  /** How fusion matches the list (default: the model's, see ModelDecoding). */
  fusion?: FusionStyle;
  /** Token-LM shallow fusion (beam search): weight of ln P_LM, 0 = off, and the per-token bonus (default: the model's). */
  lmWeight?: number;
  lmBonus?: number;
  /** Rank by score per token, as sherpa-onnx (default true). */
  lengthNorm?: boolean;
  /**
   * Beam search only: a word end scoring within this many nats of the best expansion of its
   * round stays in the lattice as an arc (default DEFAULT_LATTICE_BEAM). It never changes the
   * search. null records nothing on the way: the lattice holds the n-best paths only (the
   * benchmark's baseline for what the dense lattice costs).
   */
  latticeBeam?: number | null;
  /**
   * What to do with the frames left at the end: 'pad' (default) repeats the last frame and
   * decodes the encoder frames real input reaches, as the torch reference does; 'drop' decodes
   * only chunks followed by at least one more frame, as sherpa-onnx's IsReady does (it relies
   * on tail padding in the audio), so the two decode the same chunks.
   */
  finalChunk?: 'pad' | 'drop';
  /** Seconds of silence fed after the input ends (default: the model's, see ModelDecoding); results cover the input only. */
  tailPaddingS?: number;
  /** Called after every chunk. */
  onPartial?: (partial: PartialResult) => void;
}

/** The part of a DecodeResult that exists while the stream is still open. */
export type DecodeSnapshot = Pick<DecodeResult, 'hyp' | 'nbest' | 'lattice' | 'trace' | 'partials'>;

const AUDIO_RATE = 16000;

export class StreamDecoder {
  readonly partials: PartialResult[] = [];
  private readonly features: StreamingFbank;
  private readonly energy: EnergyMeter;
  private readonly eoqProb: number[] = [];
  /** One chunk of fbank frames (T × featureDim), refilled for every encoder call. */
  private readonly chunk: Float32Array;
  private state: EncoderState;
  /** fbank frames consumed by the chunks decoded so far (multiples of decode_chunk_len). */
  private processedFrames = 0;
  private numSamples = 0;
  private readonly startedAt = performance.now();
  private inputDone = false;
  /** Of the chunk nextChunk gave last: fbank frames that are input (not padding), and frames it used up. */
  private chunkFrames = { real: 0, consumed: 0 };
  /** fbank frames of the input; known once tail padding follows it. */
  private inputFbankFrames = Infinity;
  /** Encoder frames searched that hold input rather than tail padding: what results cover. */
  private inputFrames = 0;

  private constructor(
    private readonly model: TransducerModel,
    private readonly search: GreedySearch | ModifiedBeamSearch,
    private readonly attention: AttentionBias | null,
    private readonly options: DecodeOptions,
  ) {
    const spec = model.spec;
    this.features = new StreamingFbank(spec.features);
    this.energy = new EnergyMeter(Math.round(spec.frameShiftS * AUDIO_RATE));
    this.state = model.initialState();
    this.chunk = new Float32Array(spec.T * spec.featureDim);
  }

  static create(model: TransducerModel, options: DecodeOptions = {}): StreamDecoder {
    const context = options.context ?? [];
    const tokens = model.spec.tokens;
    const beam = options.beam ?? 4;
    const maxSymbolsPerFrame = options.maxSymbolsPerFrame ?? model.spec.decoding.maxSymbolsPerFrame;
    let search: GreedySearch | ModifiedBeamSearch;
    if (beam <= 1) {
      search = new GreedySearch(model, { maxSymbolsPerFrame });
    } else {
      const useFusion = (options.shallowFusion ?? true) && context.length > 0;
      const fusion = options.fusion ?? model.spec.decoding.fusion;
      const graph = useFusion ? contextGraphFor(context, model, options.fusionBoost ?? model.spec.decoding.fusionBoost, fusion) : undefined;
      const lattice = options.latticeBeam === null ? undefined : { words: new WordPieces(tokens), beam: options.latticeBeam ?? DEFAULT_LATTICE_BEAM };
      const lm = tokenLmFusion(model, options);
      search = new ModifiedBeamSearch(model, { beam, contextGraph: graph, fusionInSelection: fusion === 'words', lengthNorm: options.lengthNorm, maxSymbolsPerFrame, lattice, lm });
    }
    const useAttention = (options.attentionBias ?? true) && context.length > 0;
    const attention = useAttention ? AttentionBias.create(model, context.map((e) => e.phrase), tokens) : null;
    return new StreamDecoder(model, search, attention, options);
  }

  /** Feeds 16 kHz mono samples in [-1, 1] and decodes every chunk that became complete. */
  acceptWaveform(samples: Float32Array): void {
    this.feed(samples);
    this.decodeReadyChunks();
  }

  /** Flushes the features and decodes what is left; returns the full result. */
  finish(utterance = 'utterance'): DecodeResult {
    this.inputFinished();
    this.decodeReadyChunks();
    return this.result(utterance);
  }

  /**
   * Takes samples without running the encoder: a caller that batches streams (batch-decoder.ts)
   * feeds each, then runs their chunks together (nextChunk, acceptChunkOutput).
   */
  feed(samples: Float32Array): void {
    this.numSamples += samples.length;
    this.energy.accept(samples);
    this.features.accept(samples);
  }

  /** Declares the end of the audio: the tail padding goes in, and the last frames and a last partial chunk become ready. */
  inputFinished(): void {
    if (this.inputDone) return;
    this.inputDone = true;
    const padding = Math.round(tailPaddingOf(this.options, this.model.spec.decoding) * AUDIO_RATE);
    if (padding > 0 && this.numSamples > 0) {
      this.inputFbankFrames = this.features.numFramesOfInput;
      this.features.accept(new Float32Array(padding));
    }
    this.features.inputFinished();
    this.energy.finish();
  }

  /** The encoder state the next chunk continues from. */
  get encoderState(): EncoderState {
    return this.state;
  }

  /** fbank frames consumed by the chunks decoded so far (the conformer's processed_lens). */
  get framesProcessed(): number {
    return this.processedFrames;
  }

  /**
   * The next chunk of T fbank frames for the encoder, or null when none is ready. While
   * streaming, unfinished frames always follow the queued ones, so a chunk is ready as soon as
   * its T frames are there. At the end, 'drop' asks for one frame more (sherpa-onnx's IsReady),
   * 'pad' sends the incomplete last chunk with its last frame repeated. The chunk is a buffer
   * of this decoder's, valid until the next call.
   */
  nextChunk(): Float32Array | null {
    const { T, decodeChunkLen, featureDim } = this.model.spec;
    const queued = this.features.numFramesQueued;
    const drop = this.options.finalChunk === 'drop';
    if (queued >= T + (this.inputDone && drop ? 1 : 0)) {
      this.features.copyFrames(0, T, this.chunk);
      this.chunkFrames = { real: decodeChunkLen, consumed: decodeChunkLen };
      return this.chunk;
    }
    const real = queued - (T - decodeChunkLen);
    if (!this.inputDone || drop || real <= 0) return null;
    this.features.copyFrames(0, queued, this.chunk);
    for (let i = queued; i < T; i++) this.chunk.copyWithin(i * featureDim, (queued - 1) * featureDim, queued * featureDim);
    this.chunkFrames = { real, consumed: queued };
    return this.chunk;
  }

  /** Runs the encoder on every ready chunk, one at a time. */
  private decodeReadyChunks(): void {
    for (let x = this.nextChunk(); x; x = this.nextChunk()) {
      const { out, state } = this.model.runEncoder(x, this.state, this.processedFrames);
      this.acceptChunkOutput(out, state);
    }
  }

  /** Searches the encoder's output for the chunk nextChunk gave, and records a partial result. */
  acceptChunkOutput(out: EncoderChunkOutput, state: EncoderState): void {
    const { decodeChunkLen } = this.model.spec;
    const { real: realFrames, consumed } = this.chunkFrames;
    const inputInChunk = Math.max(0, Math.min(realFrames, this.inputFbankFrames - this.processedFrames));
    this.features.dropFrames(consumed);
    this.state = state;
    this.processedFrames += decodeChunkLen;
    const numFrames = Math.min(out.numFrames, Math.ceil((realFrames * out.numFrames) / decodeChunkLen));
    this.inputFrames += Math.min(numFrames, Math.ceil((inputInChunk * out.numFrames) / decodeChunkLen));
    const encoderOut = this.attention ? this.attention.apply(out.encoderOut, out.numFrames, numFrames) : out.encoderOut;
    // Models without an end-of-query head leave the trace's eoqProb empty (the end-pointers then use blanks).
    if (out.eoqLogit.length > 0) for (let i = 0; i < numFrames; i++) this.eoqProb.push(sigmoid(out.eoqLogit[i]));
    this.search.acceptFrames(encoderOut, numFrames);
    const partial: PartialResult = {
      chunkIndex: this.partials.length,
      numFrames: this.inputFrames,
      timeS: this.inputFrames * this.model.spec.frameShiftS,
      text: this.model.spec.tokens.toText(this.search.best().tokens.map((t) => t.id)),
    };
    this.partials.push(partial);
    this.options.onPartial?.(partial);
  }

  /**
   * What has been decoded so far, without ending the stream: the trace, lattice and n-best the
   * final result would hold if the audio stopped at the last decoded chunk. A live stream runs
   * the end-pointers on this after every chunk, as the offline decode runs them on the result.
   */
  snapshot(): DecodeSnapshot {
    return this.assemble(false);
  }

  private assemble(finalize: boolean): DecodeSnapshot {
    const spec = this.model.spec;
    const searched = this.search instanceof GreedySearch ? [this.search.best()] : this.search.hypotheses(finalize);
    const numFrames = this.inputFrames;
    const padded = numFrames < this.search.numFrames;
    const hyps = padded ? searched.map((h) => ({ ...h, tokens: tokensWithinInput(h.tokens, numFrames) })) : searched;
    const lattice =
      this.search instanceof ModifiedBeamSearch && this.search.recordsLattice
        ? latticeWithinInput(this.search.lattice(searched, spec.frameShiftS), numFrames)
        : buildLattice(hyps, { numFrames, frameShiftS: spec.frameShiftS, tokens: spec.tokens });
    const nbest = hyps.slice(0, this.options.nbest ?? hyps.length).map((h) => this.toHypothesis(h));
    const decisions = this.search.decisions;
    const trace = assembleFrameTrace({
      frameShiftS: spec.frameShiftS,
      decisions: padded ? decisions.slice(0, numFrames) : decisions,
      eoqProb: this.eoqProb,
      logEnergy: this.energy.logEnergy,
      bestTokens: hyps[0]?.tokens ?? [],
    });
    return { hyp: nbest[0]?.text ?? '', nbest, lattice, trace, partials: this.partials };
  }

  private result(utterance: string): DecodeResult {
    const { hyp, nbest, lattice, trace, partials } = this.assemble(true);
    const durationS = this.numSamples / AUDIO_RATE;
    return {
      hyp,
      nbest,
      lattice,
      trace,
      partials,
      attention: this.attention ? attentionWithinInput(this.attention.trace(), this.inputFrames) : undefined,
      stats: {
        decodeS: (performance.now() - this.startedAt) / 1000,
        durationS,
        ...latticeSizes(writeSlf(lattice, utterance)),
        audioBytes: this.numSamples * 2,
      },
    };
  }

  private toHypothesis(h: SearchHypothesis): Hypothesis {
    const spec = this.model.spec;
    return {
      text: spec.tokens.toText(h.tokens.map((t) => t.id)),
      tokens: h.tokens.map((t) => ({
        id: t.id,
        symbol: spec.tokens.symbol(t.id),
        frame: t.frame,
        timeS: t.frame * spec.frameShiftS,
        logProb: t.logProb,
        biasBonus: t.biasBonus,
      })),
      score: totalScore(h),
      acousticScore: h.acousticScore,
      biasScore: h.biasScore,
      ...(h.lmScore !== 0 ? { lmScore: h.lmScore } : {}),
    };
  }
}

/** The LM fusion options asks for (else the model's default); undefined when its weight is 0. */
function tokenLmFusion(model: TransducerModel, options: DecodeOptions): LmFusion | undefined {
  const fused = fusedLmOf(options, model.spec.decoding.lm);
  if (!fused) return undefined;
  const lm = model.tokenLm();
  if (!lm) throw new Error(`${model.spec.dir} has no token LM to fuse (model.json's decode.lm names none): decode with an LM weight of 0`);
  return { model: lm, weight: fused.weight, tokenBonus: fused.bonus };
}

function contextGraphFor(context: readonly ContextEntry[], model: TransducerModel, defaultBoost: number, fusion: FusionStyle): ContextGraph | undefined {
  const tokens = model.spec.tokens;
  const entries = context
    .map((e) => ({ tokens: tokens.encode(spellingOf(e.phrase)), boost: e.boost, phrase: e.phrase }))
    .filter((e): e is { tokens: number[]; boost: number | undefined; phrase: string } => e.tokens !== null && e.tokens.length > 0);
  // Whole words need a boundary token between words; a vocabulary without one matches anywhere.
  const wordBoundary = fusion === 'words' ? tokens.id(WORD_BOUNDARY) : undefined;
  return entries.length > 0 ? new ContextGraph(entries, defaultBoost, { wordBoundary }) : undefined;
}
