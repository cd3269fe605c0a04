/**
 * A live microphone stream cut into utterances by the final end-pointer. Each utterance is one
 * StreamDecoder fed as audio arrives, with Silero VAD beside it; after every decoded chunk both
 * end-pointers run over what has been decoded (runDualEndpointer, as the offline analysis runs
 * them over a finished decode). When the final one fires, the utterance ends there: its audio is
 * every sample the decoder had been given, so the offline decode of the saved WAV decodes the
 * same chunks from the same samples. Audio after it starts the next utterance.
 */
import type { EndpointEvent } from '../../shared/domain/endpoint';
import type { LiveEnd, LiveUpdate } from '../../shared/live';
import { StreamDecoder, type DecodeOptions, type DecodeSnapshot } from '../asr/stream-decoder';
import type { TransducerModel } from '../asr/transducer-model';
import { runDualEndpointer, type EndpointConfigPair } from '../endpoint/dual-endpointer';
import type { EndpointStream } from '../endpoint/endpoint-stream';
import { fromPcm16, toPcm16 } from '../../shared/pcm16';
import { SileroTracker } from '../vad/silero-vad';

export const LIVE_RATE = 16000;
/** A chunk completes only on a new fbank frame: fed a frame shift at a time, at most one chunk completes per piece. */
const FEED_SAMPLES = 160;
/** No utterance is held longer than this, whatever the end-pointers' own maximum length. */
export const LIVE_MAX_UTTERANCE_S = 60;

export interface LiveSessionOptions {
  decoding: DecodeOptions;
  endpoints: EndpointConfigPair;
  maxUtteranceS?: number;
}

/** An utterance that ended: its 16-bit audio (what was decoded), how it ended and what was recognised. */
export interface LiveUtterance {
  utterance: number;
  reason: LiveEnd;
  samples: Int16Array;
  text: string;
  events: EndpointEvent[];
}

export type LiveOutput = { type: 'update'; update: LiveUpdate } | { type: 'ended'; ended: LiveUtterance };

class OpenUtterance {
  readonly decoder: StreamDecoder;
  readonly vad = new SileroTracker();
  readonly pieces: Int16Array[] = [];
  length = 0;
  eoqSent = 0;

  constructor(
    model: TransducerModel,
    decoding: DecodeOptions,
    readonly index: number,
  ) {
    this.decoder = StreamDecoder.create(model, decoding);
  }

  feed(pcm: Int16Array): void {
    const samples = fromPcm16(pcm);
    this.pieces.push(pcm);
    this.length += pcm.length;
    this.decoder.acceptWaveform(samples);
    this.vad.accept(samples);
  }

  samples(): Int16Array {
    const out = new Int16Array(this.length);
    let at = 0;
    for (const piece of this.pieces) {
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }
}

/** The stream the end-pointers read, from a decode so far (or a finished one). */
function endpointStreamOf(decode: DecodeSnapshot, vad: SileroTracker): EndpointStream {
  return { id: 'live', trace: { ...decode.trace, vad: { silero: vad.track() } }, partials: decode.partials, tokens: decode.nbest[0]?.tokens ?? [], text: decode.hyp };
}

export class LiveSession {
  private open: OpenUtterance;
  private readonly maxSamples: number;

  constructor(
    private readonly model: TransducerModel,
    private readonly options: LiveSessionOptions,
  ) {
    this.open = new OpenUtterance(model, options.decoding, 0);
    this.maxSamples = Math.round(Math.min(options.maxUtteranceS ?? LIVE_MAX_UTTERANCE_S, LIVE_MAX_UTTERANCE_S) * LIVE_RATE);
  }

  /** Feeds 16 kHz samples (quantised to 16 bits, as they are saved) in pieces of any size. */
  accept(samples: Float32Array): LiveOutput[] {
    const pcm = toPcm16(samples);
    const out: LiveOutput[] = [];
    for (let at = 0; at < pcm.length; ) {
      const take = Math.min(FEED_SAMPLES, pcm.length - at, this.maxSamples - this.open.length);
      const chunksBefore = this.open.decoder.partials.length;
      this.open.feed(pcm.subarray(at, at + take));
      at += take;
      if (this.open.decoder.partials.length > chunksBefore) out.push(...this.afterChunk());
      else if (this.open.length >= this.maxSamples) out.push(this.end('too-long', this.open.decoder.snapshot()));
    }
    return out;
  }

  /** Ends the open utterance where the audio stops (the user stopped the microphone). */
  stop(): LiveOutput[] {
    if (this.open.length === 0) return [];
    this.open.vad.finish();
    return [this.end('stopped', this.open.decoder.finish())];
  }

  private afterChunk(): LiveOutput[] {
    const open = this.open;
    const decode = open.decoder.snapshot();
    const run = runDualEndpointer(endpointStreamOf(decode, open.vad), this.options.endpoints);
    const trace = decode.trace;
    const update: LiveUpdate = {
      type: 'update',
      utterance: open.index,
      timeS: decode.partials.at(-1)?.timeS ?? 0,
      text: decode.hyp,
      frameShiftS: trace.frameShiftS,
      eoqFrom: open.eoqSent,
      eoq: trace.eoqProb.slice(open.eoqSent),
      events: run.events,
      lattice: decode.lattice,
    };
    open.eoqSent = trace.eoqProb.length;
    const out: LiveOutput[] = [{ type: 'update', update }];
    if (run.finalFrame !== null) out.push(this.end('final', decode, run.events));
    else if (open.length >= this.maxSamples) out.push(this.end('too-long', decode, run.events));
    return out;
  }

  private end(reason: LiveEnd, decode: DecodeSnapshot, events = runDualEndpointer(endpointStreamOf(decode, this.open.vad), this.options.endpoints).events): LiveOutput {
    const open = this.open;
    this.open = new OpenUtterance(this.model, this.options.decoding, open.index + 1);
    return { type: 'ended', ended: { utterance: open.index, reason, samples: open.samples(), text: decode.hyp, events } };
  }
}
