import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import type { ContainerKind } from './detect-format';

/** What each WASM decoder returns for a piece of the file. */
export interface CodecOutput {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

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

export async function createCodecDecoder(kind: Exclude<ContainerKind, 'wav'>, options: CodecOptions = {}): Promise<CodecDecoder> {
  switch (kind) {
    case 'flac': {
      const d = new FLACDecoder();
      await d.ready;
      return { decode: (b) => d.decode(b), flush: () => d.flush(), free: () => d.free() };
    }
    case 'ogg/vorbis': {
      const d = new OggVorbisDecoder();
      await d.ready;
      return { decode: (b) => d.decode(b), flush: () => d.flush(), free: () => d.free() };
    }
    case 'ogg/opus': {
      // sampleRate is documented in ogg-opus-decoder's README, missing from its types.
      const d = new OggOpusDecoder({ sampleRate: options.opusRate ?? 48000 } as ConstructorParameters<typeof OggOpusDecoder>[0]);
      await d.ready;
      return { decode: async (b) => d.decode(b), flush: () => d.flush(), free: () => d.free() };
    }
    case 'mp3': {
      const d = new MPEGDecoder();
      await d.ready;
      return { decode: async (b) => withoutConsoleErrors(() => d.decode(b)), flush: async () => undefined, free: () => d.free() };
    }
  }
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
