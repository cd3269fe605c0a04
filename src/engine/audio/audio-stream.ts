import { open, type FileHandle } from 'node:fs/promises';
import { AudioError, FormatProblem, withPath } from './audio-error';
import { fileSource } from './byte-source';
import { createCodecDecoder, OPUS_RATES, type CodecOptions, type CodecOutput } from './codec-decoders';
import { detectFormat, DETECT_BYTES, type ContainerKind } from './detect-format';
import { checkChannels, checkSampleRate } from './limits';
import { clampToUnit, deinterleave } from './pcm-samples';
import { parseWavHeader, wavFormatName, type WavHeader } from './wav-header';

/**
 * A recording decoded piece by piece, so that nothing ever holds a whole long file. Blocks are
 * planar (one Float32Array per channel, all the same length), samples in [-1, 1] and finite.
 */
export interface AudioStream {
  path: string;
  /** e.g. "wav/pcm16", "flac", "mp3", "ogg/vorbis", "ogg/opus". */
  format: string;
  /** The rate of the blocks. */
  sampleRate: number;
  /** The rate the file codes at, where the blocks come at another (Opus decoded to a preferred rate). */
  codedRate?: number;
  channels: number;
  bitsPerSample?: number;
  /** Frames the header promises (WAV only); compressed formats are counted while decoding. */
  expectedFrames?: number;
  /** Recoverable problems met so far (lying lengths, zeroed NaN/Inf samples, decoder hiccups). */
  warnings: string[];
  /** Single use: iterating decodes the file and closes it at the end (or on `return`). */
  blocks(): AsyncGenerator<Float32Array[]>;
  /** Releases the file and the decoder; needed only when `blocks()` was never run to its end. */
  close(): Promise<void>;
}

/** Bytes read per step: large enough for throughput, small enough to keep memory flat. */
const READ_BYTES = 1 << 20;
/**
 * The same for compressed files, whose pieces decode to ten to a thousand times their size (a
 * megabyte of 6 kbit/s Opus is 23 minutes: 260 MB of 48 kHz floats per channel).
 */
const CODEC_READ_BYTES = 1 << 16;

async function readHead(handle: FileHandle, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  const { bytesRead } = await handle.read(buf, 0, length, 0);
  return buf.subarray(0, bytesRead);
}

async function* wavBlocks(handle: FileHandle, header: WavHeader, warnings: string[]): AsyncGenerator<Float32Array[]> {
  const step = Math.max(1, Math.floor(READ_BYTES / header.blockAlign)) * header.blockAlign;
  // A fresh buffer per read: blocks handed out must not change under the consumer.
  let nonFinite = 0;
  for (let done = 0; done < header.dataBytes; ) {
    const want = Math.min(step, header.dataBytes - done);
    const buf = new Uint8Array(want);
    const { bytesRead } = await handle.read(buf, 0, want, header.dataOffset + done);
    const whole = bytesRead - (bytesRead % header.blockAlign);
    if (whole === 0) {
      warnings.push('file shrank while being read');
      break;
    }
    done += whole;
    const block = deinterleave(buf.subarray(0, whole), header);
    nonFinite += block.nonFinite;
    yield block.channels;
  }
  if (nonFinite > 0) warnings.push(`${nonFinite} NaN/Inf samples were replaced by silence`);
}

async function* codecBlocks(
  path: string,
  handle: FileHandle,
  kind: Exclude<ContainerKind, 'wav'>,
  warnings: string[],
  options: CodecOptions,
  size: number,
): AsyncGenerator<CodecOutput> {
  let decoder;
  try {
    decoder = await createCodecDecoder(kind, options);
  } catch (error) {
    throw new AudioError(path, 'decode-failed', `could not start the ${kind} decoder: ${String(error)}`);
  }
  let errorCount = 0;
  const note = (out: CodecOutput): void => {
    if (out.errors.length > 0 && errorCount === 0) warnings.push(`decoder: ${out.errors[0].message}`);
    errorCount += out.errors.length;
    if (out.warnings) warnings.push(...out.warnings);
  };
  try {
    // Up to the size the file had when it was opened, in reads sized to what is left: a short
    // clip must not cost a zeroed megabyte per read.
    for (let pos = 0; pos < size; ) {
      const want = Math.min(CODEC_READ_BYTES, size - pos);
      const buf = new Uint8Array(want);
      const { bytesRead } = await handle.read(buf, 0, want, pos);
      if (bytesRead === 0) {
        warnings.push('file shrank while being read');
        break;
      }
      pos += bytesRead;
      const out = await decoder.decode(buf.subarray(0, bytesRead));
      note(out);
      if (out.samplesDecoded > 0) yield out;
    }
    const last = await decoder.flush();
    if (last) {
      note(last);
      if (last.samplesDecoded > 0) yield last;
    }
  } catch (error) {
    if (error instanceof AudioError || error instanceof FormatProblem) throw withPath(path, error);
    throw new AudioError(path, 'decode-failed', `${kind} decoder failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    decoder.free();
  }
  if (errorCount > 1) warnings.push(`decoder reported ${errorCount} damaged frames`);
}

async function openCodecStream(
  path: string,
  handle: FileHandle,
  kind: Exclude<ContainerKind, 'wav'>,
  options: OpenOptions,
  size: number,
): Promise<AudioStream> {
  const warnings: string[] = [];
  const opusRate = kind === 'ogg/opus' && options.preferredRate !== undefined && OPUS_RATES.includes(options.preferredRate) ? options.preferredRate : undefined;
  const source = codecBlocks(path, handle, kind, warnings, { opusRate }, size);
  // The container's rate and channel count are known for sure only once audio comes out.
  const first = await source.next();
  if (first.done) {
    await handle.close();
    const why = warnings.length > 0 ? ` (${warnings[0]})` : '';
    throw new AudioError(path, 'decode-failed', `no audio could be decoded from this ${kind} file${why}`);
  }
  const { sampleRate } = first.value;
  const channels = first.value.channelData.length;
  try {
    checkSampleRate(sampleRate);
    checkChannels(channels);
  } catch (error) {
    await source.return(undefined);
    await handle.close();
    throw withPath(path, error);
  }
  const toBlock = (out: CodecOutput): Float32Array[] =>
    // Channel counts can change mid-stream in MP3; keep the first layout.
    Array.from({ length: channels }, (_, c) => {
      const data = out.channelData[Math.min(c, out.channelData.length - 1)].subarray(0, out.samplesDecoded);
      clampToUnit(data);
      return data;
    });
  const close = async (): Promise<void> => {
    await source.return(undefined);
    await handle.close();
  };
  async function* blocks(): AsyncGenerator<Float32Array[]> {
    try {
      yield toBlock(first.value as CodecOutput);
      for await (const out of source) {
        if (out.sampleRate !== sampleRate) {
          throw new AudioError(path, 'decode-failed', `sample rate changes mid-stream (${sampleRate} → ${out.sampleRate} Hz)`);
        }
        yield toBlock(out);
      }
    } finally {
      await close();
    }
  }
  return { path, format: kind, sampleRate, ...(opusRate ? { codedRate: 48000 } : {}), channels, warnings, blocks, close };
}

export interface OpenOptions {
  /**
   * The rate the caller will resample to. Opus decodes straight to it when it is one of the
   * rates libopus synthesises (8, 12, 16, 24, 48 kHz): a resampler after it costs more than
   * the decoding.
   */
  preferredRate?: number;
}

/** Opens a recording for decoding; errors are AudioErrors naming the file and the problem. */
export async function openAudioStream(path: string, options: OpenOptions = {}): Promise<AudioStream> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new AudioError(path, 'io', `cannot open: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const { size } = await handle.stat();
    const kind = detectFormat(await readHead(handle, DETECT_BYTES), size);
    if (kind !== 'wav') return await openCodecStream(path, handle, kind, options, size);
    const header = parseWavHeader(fileSource(handle.fd, size));
    const warnings = [...header.warnings];
    const wavHandle = handle;
    async function* blocks(): AsyncGenerator<Float32Array[]> {
      try {
        yield* wavBlocks(wavHandle, header, warnings);
      } finally {
        await wavHandle.close();
      }
    }
    return {
      path,
      format: wavFormatName(header),
      sampleRate: header.sampleRate,
      channels: header.channels,
      bitsPerSample: header.bitsPerSample,
      expectedFrames: header.frames,
      warnings,
      blocks,
      close: () => wavHandle.close(),
    };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw withPath(path, error);
  }
}
