import { closeSync, openSync, fstatSync } from 'node:fs';
import { basename } from 'node:path';
import type { RecordingInfo } from '../../shared/domain/audio';
import { AudioError, FormatProblem, withPath } from './audio-error';
import { fileSource, type ByteSource } from './byte-source';
import { detectFormat, DETECT_BYTES, id3Size } from './detect-format';
import { checkChannels, checkSampleRate } from './limits';
import { readMpegFrameHeader } from './mpeg-frame';
import { isCapturePattern, readGranule } from './ogg-page';
import { parseOpusHead } from './opus-head';
import { parseWavHeader, wavFormatName } from './wav-header';

type Probed = Omit<RecordingInfo, 'path' | 'name' | 'sizeBytes'>;

/** How far from each end probing looks: headers, an MP3's first frame, an Ogg's last page. */
const SCAN_BYTES = 64 * 1024;

function u32be(b: Uint8Array, at: number): number {
  return ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
}

/** FLAC: everything is in STREAMINFO, the first metadata block. */
function probeFlac(src: ByteSource): Probed {
  const start = id3Size(src.read(0, 10));
  const b = src.read(start, 42);
  if (b.length < 42 || (b[4] & 0x7f) !== 0) throw new FormatProblem('truncated', 'FLAC file ends before its STREAMINFO block');
  // 20 bits rate, 3 bits channels − 1, 5 bits bits-per-sample − 1, 36 bits total samples.
  const sampleRate = (b[18] << 12) | (b[19] << 4) | (b[20] >> 4);
  const channels = ((b[20] >> 1) & 7) + 1;
  const bitsPerSample = (((b[20] & 1) << 4) | (b[21] >> 4)) + 1;
  const totalSamples = (b[21] & 0x0f) * 2 ** 32 + u32be(b, 22);
  checkSampleRate(sampleRate);
  // A total of 0 means "unknown" (some streaming encoders); duration is then reported as 0.
  return { format: 'flac', sampleRate, channels, bitsPerSample, durationS: totalSamples / sampleRate };
}

/** The granule position of the last complete Ogg page: the stream's length in samples. */
function lastGranule(src: ByteSource): number {
  const from = Math.max(0, src.size - SCAN_BYTES);
  const tail = src.read(from, src.size - from);
  for (let i = tail.length - 27; i >= 0; i--) {
    if (!isCapturePattern(tail, i) || tail[i + 4] !== 0) continue;
    // −1 marks a page on which no packet ends.
    const granule = readGranule(tail, i + 6);
    if (granule >= 0) return granule;
  }
  return 0;
}

/** Ogg: the identification header gives rate and channels, the last page's granule the length. */
function probeOgg(src: ByteSource, kind: 'ogg/vorbis' | 'ogg/opus'): Probed {
  // The first page holds just the identification header: up to 255 segments, and OpusHead's
  // mapping table is at most 21 + 255 bytes.
  const head = src.read(0, 27 + 255 + 21 + 255);
  const p = 27 + head[26];
  if (head.length < p + 19) throw new FormatProblem('truncated', 'Ogg file ends inside its first page');
  const granule = lastGranule(src);
  if (kind === 'ogg/opus') {
    const { channels, preSkip } = parseOpusHead(head.subarray(p));
    checkChannels(channels);
    // Opus always decodes at 48 kHz, whatever rate the input had (stored at p + 12).
    return { format: kind, sampleRate: 48000, channels, durationS: Math.max(0, granule - preSkip) / 48000 };
  }
  const channels = head[p + 11];
  const sampleRate = head[p + 12] | (head[p + 13] << 8) | (head[p + 14] << 16) | (head[p + 15] << 24);
  checkChannels(channels);
  checkSampleRate(sampleRate);
  return { format: kind, sampleRate, channels, durationS: granule / sampleRate };
}

/**
 * MP3: the first frame header gives rate and channels. The length comes from the Xing/Info or
 * VBRI frame count when the encoder wrote one (LAME always does), else it is estimated from the
 * first frame's bitrate and the file size, exact for constant-bitrate files.
 */
function probeMp3(src: ByteSource): Probed {
  const start = id3Size(src.read(0, 10));
  const b = src.read(start, SCAN_BYTES);
  for (let i = 0; i + 4 <= b.length; i++) {
    const frame = readMpegFrameHeader(b, i);
    if (!frame) continue;
    const { sampleRate, channels, kbps, samplesPerFrame } = frame;
    const xing = i + 4 + frame.sideInfoBytes;
    const tag = String.fromCharCode(...b.subarray(xing, xing + 4));
    let frames: number | undefined;
    if ((tag === 'Xing' || tag === 'Info') && b[xing + 7] & 1) frames = u32be(b, xing + 8);
    else if (String.fromCharCode(...b.subarray(i + 36, i + 40)) === 'VBRI') frames = u32be(b, i + 36 + 14);
    const durationS =
      frames !== undefined ? (frames * samplesPerFrame) / sampleRate : ((src.size - start - i) * 8) / (kbps * 1000);
    return { format: 'mp3', sampleRate, channels, durationS };
  }
  throw new FormatProblem('not-audio', `no MPEG audio frame in the first ${SCAN_BYTES / 1024} KiB`);
}

/**
 * What a recording is, from its headers only: quick for a file of any length (a few small
 * reads at the start, and for Ogg one 64 KiB read at the end). Errors name the file.
 */
export async function probeAudioFile(path: string): Promise<RecordingInfo> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new AudioError(path, 'io', `cannot open: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const size = fstatSync(fd).size;
    const src = fileSource(fd, size);
    const kind = detectFormat(src.read(0, DETECT_BYTES), size);
    let probed: Probed;
    if (kind === 'wav') {
      const h = parseWavHeader(src);
      probed = { format: wavFormatName(h), sampleRate: h.sampleRate, channels: h.channels, bitsPerSample: h.bitsPerSample, durationS: h.frames / h.sampleRate };
    } else if (kind === 'flac') probed = probeFlac(src);
    else if (kind === 'mp3') probed = probeMp3(src);
    else probed = probeOgg(src, kind);
    checkChannels(probed.channels);
    return { path, name: basename(path), sizeBytes: size, ...probed };
  } catch (error) {
    throw withPath(path, error);
  } finally {
    closeSync(fd);
  }
}
