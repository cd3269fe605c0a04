/** One MPEG audio frame header (ISO 11172-3 / 13818-3): four bytes at the start of every frame. */
export interface MpegFrameHeader {
  /** 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5. */
  version: number;
  /** 3: layer I, 2: layer II, 1: layer III. */
  layer: number;
  sampleRate: number;
  channels: 1 | 2;
  kbps: number;
  samplesPerFrame: number;
  /** Bytes of layer III side information after the header (where a Xing/Info tag starts). */
  sideInfoBytes: number;
}

const MPEG_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };
const MPEG1_KBPS: Record<number, number[]> = {
  3: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
};
const MPEG2_KBPS: Record<number, number[]> = {
  3: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  1: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};

/** The frame header at `at`, or undefined where the bytes there are not a valid one. */
export function readMpegFrameHeader(b: Uint8Array, at: number): MpegFrameHeader | undefined {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return undefined;
  const version = (b[at + 1] >> 3) & 3;
  const layer = (b[at + 1] >> 1) & 3;
  const bitrateIndex = b[at + 2] >> 4;
  const rateIndex = (b[at + 2] >> 2) & 3;
  if (version === 1 || layer === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const mono = b[at + 3] >> 6 === 3;
  return {
    version,
    layer,
    sampleRate: MPEG_RATES[version][rateIndex],
    channels: mono ? 1 : 2,
    kbps: (version === 3 ? MPEG1_KBPS : MPEG2_KBPS)[layer][bitrateIndex],
    samplesPerFrame: layer === 3 ? 384 : layer === 2 || version === 3 ? 1152 : 576,
    sideInfoBytes: version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17,
  };
}
