import { FormatProblem } from './audio-error';

/** The containers/codecs Earshot decodes. */
export type ContainerKind = 'wav' | 'flac' | 'mp3' | 'ogg/vorbis' | 'ogg/opus';

/** Bytes `detectFormat` wants to see: an ID3 tag header plus the first Ogg page's packet. */
export const DETECT_BYTES = 256;

/** Recognised but unsupported containers, so that the error can name them. */
const UNSUPPORTED_MAGIC: [string, number, string][] = [
  ['FORM', 0, 'AIFF'],
  ['ftyp', 4, 'MP4/M4A (AAC)'],
  ['caff', 0, 'Core Audio (CAF)'],
  ['wvpk', 0, 'WavPack'],
  ['MAC ', 0, "Monkey's Audio"],
  ['#!AMR', 0, 'AMR'],
  ['\x1aE\xdf\xa3', 0, 'Matroska/WebM'],
  ['.snd', 0, 'Sun/NeXT AU'],
];

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

/** An MPEG audio frame header: 11 sync bits, then a version and a layer that are not reserved. */
function isMpegFrameSync(bytes: Uint8Array, at: number): boolean {
  if (at + 2 > bytes.length) return false;
  return bytes[at] === 0xff && (bytes[at + 1] & 0xe0) === 0xe0 && (bytes[at + 1] & 0x18) !== 0x08 && (bytes[at + 1] & 0x06) !== 0;
}

/** An ID3v2 tag's total size (header included), from its syncsafe length. */
export function id3Size(bytes: Uint8Array): number {
  if (bytes.length < 10 || ascii(bytes, 0, 3) !== 'ID3') return 0;
  const body = ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f);
  const footer = bytes[5] & 0x10 ? 10 : 0;
  return 10 + body + footer;
}

/**
 * Decides what a file holds from its first bytes, never from its name. `head` is the file's
 * first DETECT_BYTES bytes (or all of it), `size` the whole file's size.
 */
export function detectFormat(head: Uint8Array, size: number): ContainerKind {
  if (size === 0) throw new FormatProblem('empty', 'file is empty');
  const magic = ascii(head, 0, 4);
  if (magic === 'RIFF' || magic === 'RF64' || magic === 'RIFX') return 'wav';
  if (magic === 'fLaC') return 'flac';
  if (magic === 'OggS') {
    // The first page carries the codec's identification packet right after the segment table.
    const packetAt = 27 + (head[26] ?? 0);
    const packet = ascii(head, packetAt, 8);
    if (packet === 'OpusHead') return 'ogg/opus';
    if (packet.slice(0, 7) === '\x01vorbis') return 'ogg/vorbis';
    if (head.length < packetAt + 8) throw new FormatProblem('truncated', 'Ogg file ends inside its first page');
    const codec = packet.startsWith('\x7fFLAC') ? 'FLAC' : packet.startsWith('Speex') ? 'Speex' : 'an unknown codec';
    throw new FormatProblem('unsupported-codec', `Ogg stream holds ${codec}; only Vorbis and Opus are supported`);
  }
  if (magic.startsWith('ID3')) {
    // Tags are usually followed by MP3, sometimes by FLAC; the tag may be bigger than `head`.
    const after = id3Size(head);
    if (after + 4 <= head.length && ascii(head, after, 4) === 'fLaC') return 'flac';
    return 'mp3';
  }
  if (isMpegFrameSync(head, 0)) return 'mp3';
  if (head[0] === 0xff && (head[1] & 0xf6) === 0xf0) {
    throw new FormatProblem('unsupported-codec', 'AAC (ADTS) is not supported');
  }
  for (const [sig, at, name] of UNSUPPORTED_MAGIC) {
    if (ascii(head, at, sig.length) === sig) throw new FormatProblem('unsupported-codec', `${name} files are not supported`);
  }
  throw new FormatProblem('not-audio', 'not an audio file Earshot can read (expected WAV, FLAC, MP3 or Ogg Vorbis/Opus)');
}
