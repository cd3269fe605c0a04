/**
 * libopus's packet decoder, driven straight through the WASM build that the `opus-decoder`
 * package ships (its JavaScript wrapper copies every frame's output into new arrays and, over
 * a corpus of short clips, cost more than libopus itself).
 *
 * One WASM instance per thread, made on first use and kept: each stream gets its own libopus
 * state in that instance (created and destroyed per file, so a file decodes as it would in a
 * fresh decoder), and decodes into buffers the instance holds. The package's C shim
 * (opus_frame_decoder.c) does not free its per-stream PCM buffer; `close` frees it, so the
 * instance's fixed heap does not run out after a thousand streams.
 */
import { OpusDecoder } from 'opus-decoder';
import { FormatProblem } from './audio-error';
import type { OpusHead } from './opus-head';
import { MAX_PACKET_SAMPLES } from './opus-packet';

/** What the WASM module exports (opus-decoder 0.7's EmscriptenWasm.js). */
interface LibopusExports {
  HEAP: ArrayBuffer;
  malloc(size: number): number;
  free(ptr: number): void;
  opus_frame_decoder_create(rate: number, channels: number, streams: number, coupled: number, mapping: number, preSkip: number, forceStereo: number): number;
  opus_frame_decode_float_deinterleaved(decoder: number, input: number, length: number, output: number): number;
  opus_frame_decoder_destroy(decoder: number): void;
}

/** The C shim's OpusFrameDecoder struct (wasm32): the fields this module reads. */
const STRUCT = { channels: 4, outputChannels: 8, pcm: 20, state: 28 } as const;

const LIBOPUS_ERRORS: Record<number, string> = {
  [-1]: 'OPUS_BAD_ARG',
  [-2]: 'OPUS_BUFFER_TOO_SMALL',
  [-3]: 'OPUS_INTERNAL_ERROR',
  [-4]: 'OPUS_INVALID_PACKET (the packet is corrupt)',
  [-5]: 'OPUS_UNIMPLEMENTED',
  [-6]: 'OPUS_INVALID_STATE',
  [-7]: 'OPUS_ALLOC_FAIL',
};

export const libopusErrorName = (code: number): string => LIBOPUS_ERRORS[code] ?? `error ${code}`;

/** The thread's instance, with input and output buffers that grow to the largest use. */
class Instance {
  private inputPtr = 0;
  private inputSize = 0;
  private outputPtr = 0;
  private outputFloats = 0;
  /** The heap as floats (the build's heap is fixed: it never grows and detaches). */
  readonly heap: Float32Array;

  constructor(readonly wasm: LibopusExports) {
    this.heap = new Float32Array(wasm.HEAP);
  }

  private alloc(bytes: number): number {
    const ptr = this.wasm.malloc(bytes);
    if (ptr === 0) throw new Error(`libopus is out of memory (asked for ${bytes} bytes)`);
    return ptr;
  }

  input(packet: Uint8Array): number {
    if (packet.length > this.inputSize) {
      if (this.inputPtr) this.wasm.free(this.inputPtr);
      this.inputSize = Math.max(4096, packet.length);
      this.inputPtr = this.alloc(this.inputSize);
    }
    new Uint8Array(this.wasm.HEAP, this.inputPtr, packet.length).set(packet);
    return this.inputPtr;
  }

  output(channels: number): number {
    if (channels * MAX_PACKET_SAMPLES > this.outputFloats) {
      if (this.outputPtr) this.wasm.free(this.outputPtr);
      this.outputFloats = channels * MAX_PACKET_SAMPLES;
      this.outputPtr = this.alloc(this.outputFloats * 4);
    }
    return this.outputPtr;
  }

  alloced(bytes: Uint8Array): number {
    const ptr = this.alloc(Math.max(1, bytes.length));
    new Uint8Array(this.wasm.HEAP, ptr, bytes.length).set(bytes);
    return ptr;
  }
}

let instance: Promise<Libopus> | undefined;

/** The thread's libopus, instantiated on first use. */
export function loadLibopus(): Promise<Libopus> {
  instance ??= (async () => {
    // The package's own decoder only instantiates the module: its exports are used directly.
    const holder = new OpusDecoder({ channels: 1 });
    await holder.ready;
    const wasm = (holder as unknown as { _common?: { wasm?: LibopusExports } })._common?.wasm;
    if (!wasm || typeof wasm.opus_frame_decode_float_deinterleaved !== 'function') {
      throw new Error('the opus-decoder package does not expose the WASM functions Earshot drives (was it upgraded?)');
    }
    const lib = new Instance(wasm);
    return { open: (head: OpusHead, rate: number) => openDecoder(lib, head, rate) };
  })();
  instance.catch(() => (instance = undefined));
  return instance;
}

/** One stream's libopus decoder: packets in, planar floats at the chosen rate out. */
export interface OpusPacketDecoder {
  readonly channels: number;
  /** Decodes one packet; returns its samples per channel, or a libopus error code (< 0). */
  decode(packet: Uint8Array): number;
  /**
   * Writes channel `c` of the last decode (which gave n samples per channel), from sample
   * `from` on and times `gain`, into `target` at `offset`.
   */
  copyChannel(c: number, n: number, from: number, target: Float32Array, offset: number, gain: number): void;
  /** Frees the stream's libopus state. */
  close(): void;
}

export interface Libopus {
  /** A decoder for a stream with this header, synthesising at `rate` (8, 12, 16, 24 or 48 kHz). */
  open(head: OpusHead, rate: number): OpusPacketDecoder;
}

function openDecoder(lib: Instance, head: OpusHead, rate: number): OpusPacketDecoder {
  const { wasm } = lib;
  const mapping = lib.alloced(Uint8Array.from(head.mapping));
  // Pre-skip and end trimming are done by the caller, so the shim is given no pre-skip.
  const decoder = wasm.opus_frame_decoder_create(rate, head.channels, head.streams, head.coupledStreams, mapping, 0, 0);
  wasm.free(mapping);
  if (decoder === 0) throw new Error('libopus is out of memory');
  const field = (name: keyof typeof STRUCT): number => new Int32Array(wasm.HEAP, decoder + STRUCT[name], 1)[0];
  if (field('channels') !== head.channels || field('outputChannels') !== head.channels) {
    throw new Error('the opus-decoder package lays out its decoder differently than Earshot expects (was it upgraded?)');
  }
  if (field('pcm') === 0) {
    wasm.opus_frame_decoder_destroy(decoder);
    throw new Error('libopus is out of memory');
  }
  if (field('state') === 0) {
    wasm.free(field('pcm'));
    wasm.free(decoder);
    throw new FormatProblem('bad-header', `libopus refuses the stream layout (${head.channels} channels, ${head.streams} streams, ${head.coupledStreams} coupled)`);
  }
  // The output buffer is shared by every open stream (and may move when one with more channels
  // opens), so each decode looks it up and its samples are copied out before the next.
  let output = 0;
  let closed = false;
  return {
    channels: head.channels,
    decode(packet) {
      output = lib.output(head.channels);
      return wasm.opus_frame_decode_float_deinterleaved(decoder, lib.input(packet), packet.length, output);
    },
    copyChannel(c, n, from, target, offset, gain) {
      // The shim writes channel c's n samples at output + c·n floats.
      const heap = lib.heap;
      const start = (output >> 2) + c * n + from;
      const end = (output >> 2) + (c + 1) * n;
      if (gain === 1) target.set(heap.subarray(start, end), offset);
      else for (let i = start; i < end; i++) target[offset + i - start] = heap[i] * gain;
    },
    close() {
      if (closed) return;
      closed = true;
      const pcm = field('pcm');
      wasm.opus_frame_decoder_destroy(decoder);
      wasm.free(pcm);
    },
  };
}
