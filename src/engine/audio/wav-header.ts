import { FormatProblem } from './audio-error';
import type { ByteSource } from './byte-source';
import { checkChannels, checkSampleRate } from './limits';

/** How the samples of a WAV file's data chunk are stored. */
export type WavSampleFormat = 'pcm' | 'float';

/** What a WAV (RIFF or RF64) header says, corrected against the file's real size. */
export interface WavHeader {
  sampleFormat: WavSampleFormat;
  /** Bits per stored sample: 8, 16, 24 or 32 for PCM, 32 or 64 for float. */
  bitsPerSample: number;
  channels: number;
  sampleRate: number;
  /** Bytes per frame (one sample of every channel). */
  blockAlign: number;
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Bytes of whole frames that are really in the file (at most what the header declares). */
  dataBytes: number;
  frames: number;
  /** Recoverable damage: lengths that lie, missing pad bytes, a dropped partial frame. */
  warnings: string[];
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Codecs people meet in WAV files, so that the error can say what the file holds. */
const CODEC_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
  0x0161: 'WMA',
  0x2000: 'AC-3',
};

/** Chunk walking stops here: real files have a handful of chunks before the data. */
const MAX_CHUNKS = 10_000;
/** Writers that stream a WAV put one of these in the data size before they know it. */
const PLACEHOLDER_SIZES = new Set([0, 0xffffffff]);

function fourCC(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

function u16(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8);
}

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 0x1000000;
}

function u64(bytes: Uint8Array, at: number): number {
  return u32(bytes, at) + u32(bytes, at + 4) * 0x100000000;
}

function isChunkId(source: ByteSource, at: number): boolean {
  const id = source.read(at, 4);
  if (id.length < 4) return false;
  return id.every((c) => c >= 0x20 && c <= 0x7e);
}

interface FmtChunk {
  sampleFormat: WavSampleFormat;
  bitsPerSample: number;
  channels: number;
  sampleRate: number;
  declaredBlockAlign: number;
}

function codecName(tag: number): string {
  return CODEC_NAMES[tag] ?? `format tag 0x${tag.toString(16).padStart(4, '0')}`;
}

function parseFmt(body: Uint8Array): FmtChunk {
  if (body.length < 16) throw new FormatProblem('bad-header', `"fmt " chunk is ${body.length} bytes, shorter than the 16 it needs`);
  let tag = u16(body, 0);
  const channels = u16(body, 2);
  const sampleRate = u32(body, 4);
  const declaredBlockAlign = u16(body, 12);
  const bitsPerSample = u16(body, 14);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    // The real codec is the first two bytes of the SubFormat GUID at offset 24.
    if (body.length < 26) throw new FormatProblem('bad-header', 'WAVE_FORMAT_EXTENSIBLE header is too short to name its sub-format');
    tag = u16(body, 24);
  }
  let sampleFormat: WavSampleFormat;
  if (tag === WAVE_FORMAT_PCM && [8, 16, 24, 32].includes(bitsPerSample)) sampleFormat = 'pcm';
  else if (tag === WAVE_FORMAT_IEEE_FLOAT && (bitsPerSample === 32 || bitsPerSample === 64)) sampleFormat = 'float';
  else if (tag === WAVE_FORMAT_PCM || tag === WAVE_FORMAT_IEEE_FLOAT) {
    const kind = tag === WAVE_FORMAT_PCM ? 'PCM' : 'float';
    throw new FormatProblem('unsupported-codec', `${kind} with ${bitsPerSample}-bit samples is not supported`);
  } else {
    throw new FormatProblem('unsupported-codec', `codec ${codecName(tag)} is not supported (only PCM and float WAV)`);
  }
  checkChannels(channels);
  checkSampleRate(sampleRate);
  return { sampleFormat, bitsPerSample, channels, sampleRate, declaredBlockAlign };
}

/**
 * Parses a WAV header by walking its chunks. Trusts nothing: lengths are checked against the
 * file's size, a data length that runs past the end (or a streaming writer's placeholder) is
 * cut to the bytes that exist, odd-sized chunks are accepted with or without their pad byte,
 * and every way of failing is a FormatProblem, never an exception from reading out of range.
 */
export function parseWavHeader(source: ByteSource): WavHeader {
  const size = source.size;
  if (size === 0) throw new FormatProblem('empty', 'file is empty');
  const head = source.read(0, 12);
  const magic = head.length >= 4 ? fourCC(head, 0) : '';
  if (head.length < 12) {
    const looksRiff = ['RIFF', 'RF64'].some((m) => m.startsWith(String.fromCharCode(...head.subarray(0, 4))));
    throw new FormatProblem(looksRiff ? 'truncated' : 'not-audio', `file is ${size} bytes, too short for a WAV header`);
  }
  if (magic === 'RIFX') throw new FormatProblem('unsupported-codec', 'big-endian WAV (RIFX) is not supported');
  if ((magic !== 'RIFF' && magic !== 'RF64') || fourCC(head, 8) !== 'WAVE') {
    throw new FormatProblem('not-audio', 'not a WAV file (no RIFF/WAVE signature)');
  }

  const warnings: string[] = [];
  let fmt: FmtChunk | undefined;
  let data: { offset: number; declared: number } | undefined;
  let rf64DataSize: number | undefined;
  let pos = 12;
  for (let n = 0; n < MAX_CHUNKS && pos + 8 <= size && !(fmt && data); n++) {
    const header = source.read(pos, 8);
    const id = fourCC(header, 0);
    const chunkSize = u32(header, 4);
    const bodyAt = pos + 8;
    if (!/^[\x20-\x7e]{4}$/.test(id)) {
      throw new FormatProblem('bad-header', `damaged chunk list: unreadable chunk id at byte ${pos}`);
    }
    if (id === 'data') {
      const declared = chunkSize === 0xffffffff && rf64DataSize !== undefined ? rf64DataSize : chunkSize;
      data = { offset: bodyAt, declared };
      // fmt normally comes first; if it does not, keep walking past the data to find it.
      if (fmt) break;
    } else if (bodyAt + chunkSize > size) {
      const what = id === 'fmt ' ? '"fmt " chunk' : `chunk "${id}"`;
      throw new FormatProblem('truncated', `${what} runs past the end of the file (header truncated?)`);
    } else if (id === 'fmt ') {
      fmt = parseFmt(source.read(bodyAt, Math.min(chunkSize, 64)));
    } else if (id === 'ds64' && magic === 'RF64') {
      if (chunkSize < 24) throw new FormatProblem('bad-header', 'RF64 "ds64" chunk is too short');
      rf64DataSize = u64(source.read(bodyAt, 24), 8);
    }
    let next = bodyAt + chunkSize + (chunkSize & 1);
    // Some writers leave out the pad byte after an odd-sized chunk; follow whichever reading
    // lands on a chunk id.
    if (chunkSize & 1 && !isChunkId(source, next) && isChunkId(source, next - 1)) {
      next -= 1;
      warnings.push(`chunk "${id}" has an odd size and no pad byte`);
    }
    pos = next;
  }
  if (!fmt) throw new FormatProblem(data ? 'bad-header' : 'truncated', 'no "fmt " chunk found (header truncated or damaged)');
  if (!data) throw new FormatProblem('truncated', 'no "data" chunk found (header truncated?)');

  const blockAlign = fmt.channels * (fmt.bitsPerSample / 8);
  if (fmt.declaredBlockAlign !== blockAlign) {
    warnings.push(`header block align ${fmt.declaredBlockAlign} corrected to ${blockAlign}`);
  }
  const available = Math.max(0, size - data.offset);
  let bytes = data.declared;
  if (PLACEHOLDER_SIZES.has(data.declared)) {
    bytes = available;
  } else if (data.declared > available) {
    const seconds = (n: number): string => `${(Math.floor(n / blockAlign) / fmt.sampleRate).toFixed(2)} s`;
    warnings.push(`header claims ${megabytes(data.declared)} of audio (${seconds(data.declared)}), the file holds ${megabytes(available)} (${seconds(available)}); reading what is there`);
    bytes = available;
  }
  const frames = Math.floor(bytes / blockAlign);
  if (frames * blockAlign !== bytes) warnings.push(`data ends in a partial frame (${bytes - frames * blockAlign} of ${blockAlign} bytes), which is dropped`);
  return {
    sampleFormat: fmt.sampleFormat,
    bitsPerSample: fmt.bitsPerSample,
    channels: fmt.channels,
    sampleRate: fmt.sampleRate,
    blockAlign,
    dataOffset: data.offset,
    dataBytes: frames * blockAlign,
    frames,
    warnings,
  };
}

function megabytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${bytes} bytes`;
}

/** The RecordingInfo format string, e.g. "wav/pcm16" or "wav/float32". */
export function wavFormatName(header: Pick<WavHeader, 'sampleFormat' | 'bitsPerSample'>): string {
  return `wav/${header.sampleFormat}${header.bitsPerSample}`;
}
