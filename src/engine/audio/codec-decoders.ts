import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import type { CodecOutput } from './codec-output';
import { id3Size, type ContainerKind } from './detect-format';
import { readMpegFrameHeader } from './mpeg-frame';
import { openOggOpusDecoder } from './ogg-opus';
import { recycleWasmInstances } from './wasm-instance-pool';

/**
 * FLAC's inner decoder class is not exported; a FLACDecoder holds an instance of it. The probe
 * is made once, never decodes, and is left to the garbage collector (freeing it before its
 * WASM is ready would throw).
 */
function flacInnerClass(): object {
  const probe = new FLACDecoder() as unknown as { _decoder: object };
  return Object.getPrototypeOf(probe._decoder).constructor as object;
}

// Short clips cost more to set up than to decode: WASM instances are reused across files.
// (Opus keeps one libopus instance per thread itself: libopus.ts.)
recycleWasmInstances(MPEGDecoder, flacInnerClass());

export type { CodecOutput };

/**
 * One interface over the wasm-audio-decoders family (pure WASM, no system libraries): feed the
 * file in pieces of any size, then flush. MPEG has no flush: mpg123 emits every complete frame
 * as soon as it has it.
 */
export interface CodecDecoder {
  decode(bytes: Uint8Array): Promise<CodecOutput>;
  flush(): Promise<CodecOutput | undefined>;
  free(): void;
}

/** The rates libopus decodes to directly (its own band-limited synthesis, no resampler). */
export const OPUS_RATES: readonly number[] = [8000, 12000, 16000, 24000, 48000];

export interface CodecOptions {
  /** Opus only: decode straight to this rate (one of OPUS_RATES; default 48000). */
  opusRate?: number;
}

/** A decoder of the family as this module drives it: reset() readies it for another file. */
interface Codec {
  decode(bytes: Uint8Array): Promise<CodecOutput>;
  flush(): Promise<CodecOutput | undefined>;
  reset(): Promise<void>;
  free(): void;
}

async function openCodec(kind: Exclude<ContainerKind, 'wav'>, options: CodecOptions): Promise<Codec> {
  switch (kind) {
    case 'flac': {
      const d = new FLACDecoder();
      await d.ready;
      return { decode: (b) => d.decode(b), flush: () => d.flush(), reset: () => d.reset(), free: () => d.free() };
    }
    case 'ogg/vorbis': {
      const d = new OggVorbisDecoder();
      await d.ready;
      return { decode: (b) => d.decode(b), flush: () => d.flush(), reset: () => d.reset(), free: () => d.free() };
    }
    case 'ogg/opus': {
      const d = await openOggOpusDecoder(options.opusRate ?? 48000);
      return { decode: async (b) => d.decode(b), flush: async () => d.flush(), reset: async () => d.reset(), free: () => d.reset() };
    }
    case 'mp3': {
      const d = new MPEGDecoder();
      await d.ready;
      // This mpg123 build always outputs two channels, a mono file's twice over: a file whose
      // audio starts (after any ID3 tag) with a mono frame gives one.
      let read = 0;
      let audioAt: number | undefined;
      let mono: boolean | undefined;
      return {
        decode: async (b) => {
          audioAt ??= id3Size(b);
          if (mono === undefined && audioAt < read + b.length) mono = readMpegFrameHeader(b, audioAt - read)?.channels === 1;
          read += b.length;
          const out = withoutConsoleErrors(() => d.decode(b));
          return mono ? { ...out, channelData: out.channelData.slice(0, 1) } : out;
        },
        flush: async () => undefined,
        reset: () => {
          read = 0;
          audioAt = mono = undefined;
          return d.reset();
        },
        free: () => d.free(),
      };
    }
  }
}

/**
 * Decoders no file is using, by kind and output rate, reset and ready for the next file: a
 * worker decoding a corpus of short clips reuses them (test/unit/audio/decoder-reuse.test.ts).
 * A few per thread at most.
 */
const idleCodecs = new Map<string, Codec[]>();
const IDLE_PER_KIND = 2;

export async function createCodecDecoder(kind: Exclude<ContainerKind, 'wav'>, options: CodecOptions = {}): Promise<CodecDecoder> {
  const key = `${kind}|${kind === 'ogg/opus' ? (options.opusRate ?? 48000) : ''}`;
  const codec = idleCodecs.get(key)?.pop() ?? (await openCodec(kind, options));
  let freed = false;
  return {
    decode: (b) => codec.decode(b),
    flush: () => codec.flush(),
    free: () => {
      if (freed) return;
      freed = true;
      // A reset decoder is as good as a new one, whatever happened to the file before.
      codec.reset().then(
        () => {
          const idle = idleCodecs.get(key) ?? [];
          idleCodecs.set(key, idle);
          if (idle.length < IDLE_PER_KIND) idle.push(codec);
          else codec.free();
        },
        () => codec.free(),
      );
    },
  };
}

/**
 * mpg123-decoder prints every damaged frame to the console as well as returning it in
 * `errors`; the returned ones become the recording's repairs, so the printing is dropped.
 * Its decode is synchronous, so nothing else logs while the console is borrowed.
 */
function withoutConsoleErrors<T>(run: () => T): T {
  const error = console.error;
  console.error = () => {};
  try {
    return run();
  } finally {
    console.error = error;
  }
}
