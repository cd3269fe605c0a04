/**
 * One streaming utterance: audio → streaming fbank → encoder chunks with carried state →
 * (attention biasing) → search. A partial result is recorded after every chunk. The same
 * object serves a live stream (acceptWaveform as audio arrives) and a file (decode-utterance).
 * Synchronous: it is CPU-bound and runs in an engine worker thread, never on a UI thread.
 */
import { DEFAULT_LATTICE_BEAM } from '../../shared/api';
import type { DecodeResult, Hypothesis, PartialResult } from '../../shared/domain/decode';
import { AttentionBias } from '../bias/attention-bias';
import { ContextGraph } from '../bias/context-graph';
import type { ContextEntry } from '../bias/context-list';
import { buildLattice } from '../lattice/build-lattice';
import { latticeSizes } from '../lattice/lattice-size';
import { writeSlf } from '../lattice/slf';
import { WordPieces } from '../lattice/word-pieces';
import { StreamingFbank } from '../features/streaming-fbank';
import { assembleFrameTrace, EnergyMeter, sigmoid } from './frame-trace';
import { GreedySearch } from './greedy-search';
import { ModifiedBeamSearch } from './modified-beam-search';
import type { SearchHypothesis } from './search-types';
import type { EncoderState, TransducerModel } from './transducer-model';

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
  /** Called after every chunk. */
  onPartial?: (partial: PartialResult) => void;
}

const AUDIO_RATE = 16000;

export class StreamDecoder {
  readonly partials: PartialResult[] = [];
  private readonly features: StreamingFbank;
  private readonly energy: EnergyMeter;
  private readonly eoqProb: number[] = [];
  private pending: Float32Array[] = [];
  private state: EncoderState;
  /** fbank frames consumed by the chunks decoded so far (multiples of decode_chunk_len). */
  private processedFrames = 0;
  private numSamples = 0;
  private readonly startedAt = performance.now();

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
      const graph = useFusion ? contextGraphFor(context, model, options.fusionBoost ?? model.spec.decoding.fusionBoost) : undefined;
      const lattice = options.latticeBeam === null ? undefined : { words: new WordPieces(tokens), beam: options.latticeBeam ?? DEFAULT_LATTICE_BEAM };
      search = new ModifiedBeamSearch(model, { beam, contextGraph: graph, lengthNorm: options.lengthNorm, maxSymbolsPerFrame, lattice });
    }
    const useAttention = (options.attentionBias ?? true) && context.length > 0;
    const attention = useAttention ? AttentionBias.create(model, context.map((e) => e.phrase), tokens) : null;
    return new StreamDecoder(model, search, attention, options);
  }

  /** Feeds 16 kHz mono samples in [-1, 1] and decodes every chunk that became complete. */
  acceptWaveform(samples: Float32Array): void {
    this.numSamples += samples.length;
    this.energy.accept(samples);
    this.features.accept(samples);
    this.decodeReadyChunks();
  }

  /** Flushes the features and decodes what is left; returns the full result. */
  finish(utterance = 'utterance'): DecodeResult {
    this.features.inputFinished();
    this.energy.finish();
    this.decodeReadyChunks(this.options.finalChunk === 'drop' ? 1 : 0);
    this.decodeFinalChunk();
    return this.result(utterance);
  }

  /**
   * While streaming, unfinished fbank frames always follow the pending ones, so a chunk is
   * decoded as soon as its T frames are there; `framesAfter` asks for more at the end.
   */
  private decodeReadyChunks(framesAfter = 0): void {
    const { T, decodeChunkLen } = this.model.spec;
    for (const frame of this.features.popFrames()) this.pending.push(frame);
    while (this.pending.length >= T + framesAfter) {
      this.decodeChunk(this.pending.slice(0, T));
      this.pending = this.pending.slice(decodeChunkLen);
    }
  }

  /** The incomplete last chunk, padded by repeating the last frame (see DecodeOptions.finalChunk). */
  private decodeFinalChunk(): void {
    const { T, decodeChunkLen } = this.model.spec;
    const real = this.pending.length - (T - decodeChunkLen);
    if (real <= 0 || this.options.finalChunk === 'drop') return;
    const last = this.pending[this.pending.length - 1];
    const frames = [...this.pending];
    while (frames.length < T) frames.push(last);
    this.decodeChunk(frames, real);
    this.pending = [];
  }

  /** `realFrames`: fbank frames of the chunk that are input rather than padding. */
  private decodeChunk(frames: Float32Array[], realFrames = this.model.spec.decodeChunkLen): void {
    const { featureDim: dim, decodeChunkLen } = this.model.spec;
    const x = new Float32Array(frames.length * dim);
    frames.forEach((f, i) => x.set(f, i * dim));
    const { out, state } = this.model.runEncoder(x, this.state, this.processedFrames);
    this.state = state;
    this.processedFrames += decodeChunkLen;
    const numFrames = Math.min(out.numFrames, Math.ceil((realFrames * out.numFrames) / decodeChunkLen));
    const encoderOut = this.attention ? this.attention.apply(out.encoderOut, out.numFrames, numFrames) : out.encoderOut;
    // Models without an end-of-query head leave the trace's eoqProb empty (the end-pointers then use blanks).
    if (out.eoqLogit.length > 0) for (let i = 0; i < numFrames; i++) this.eoqProb.push(sigmoid(out.eoqLogit[i]));
    this.search.acceptFrames(encoderOut, numFrames);
    const partial: PartialResult = {
      chunkIndex: this.partials.length,
      numFrames: this.search.numFrames,
      timeS: this.search.numFrames * this.model.spec.frameShiftS,
      text: this.model.spec.tokens.toText(this.bestSoFar().tokens.map((t) => t.id)),
    };
    this.partials.push(partial);
    this.options.onPartial?.(partial);
  }

  private bestSoFar(): SearchHypothesis {
    return this.search instanceof GreedySearch ? this.search.best() : this.search.hypotheses()[0];
  }

  private result(utterance: string): DecodeResult {
    const spec = this.model.spec;
    const hyps = this.search instanceof GreedySearch ? [this.search.best()] : this.search.hypotheses(true);
    const numFrames = this.search.numFrames;
    const lattice =
      this.search instanceof ModifiedBeamSearch && this.search.recordsLattice
        ? this.search.lattice(hyps, spec.frameShiftS)
        : buildLattice(hyps, { numFrames, frameShiftS: spec.frameShiftS, tokens: spec.tokens });
    const nbest = hyps.slice(0, this.options.nbest ?? hyps.length).map((h) => this.toHypothesis(h));
    const durationS = this.numSamples / AUDIO_RATE;
    return {
      hyp: nbest[0]?.text ?? '',
      nbest,
      lattice,
      trace: assembleFrameTrace({
        frameShiftS: spec.frameShiftS,
        decisions: this.search.decisions,
        eoqProb: this.eoqProb,
        logEnergy: this.energy.logEnergy,
        bestTokens: hyps[0]?.tokens ?? [],
      }),
      partials: this.partials,
      attention: this.attention?.trace(),
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
      score: h.acousticScore + h.biasScore,
      acousticScore: h.acousticScore,
      biasScore: h.biasScore,
    };
  }
}

function contextGraphFor(context: readonly ContextEntry[], model: TransducerModel, defaultBoost: number): ContextGraph | undefined {
  const entries = context
    .map((e) => ({ tokens: model.spec.tokens.encode(e.phrase), boost: e.boost, phrase: e.phrase }))
    .filter((e): e is { tokens: number[]; boost: number | undefined; phrase: string } => e.tokens !== null && e.tokens.length > 0);
  return entries.length > 0 ? new ContextGraph(entries, defaultBoost) : undefined;
}
