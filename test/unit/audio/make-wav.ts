/** Builds WAV files byte by byte for tests, including broken ones. */
import { truncateSync, writeFileSync } from 'node:fs';

export interface WavSpec {
  sampleFormat?: 'pcm' | 'float';
  bitsPerSample?: number;
  sampleRate?: number;
  /** Planar samples in [-1, 1]; the channel count is their number. */
  channels: ArrayLike<number>[];
  /** Write a WAVE_FORMAT_EXTENSIBLE fmt chunk. */
  extensible?: boolean;
  /** Overrides for lying headers. */
  formatTag?: number;
  channelCount?: number;
  blockAlign?: number;
  dataSize?: number;
  /** Chunks to put between fmt and data. */
  extraChunks?: { id: string; body: Uint8Array; padded?: boolean }[];
}

function encodeSamples(spec: WavSpec): Uint8Array {
  const bits = spec.bitsPerSample ?? 16;
  const width = bits / 8;
  const n = spec.channels.length;
  const frames = spec.channels[0]?.length ?? 0;
  const out = new Uint8Array(frames * n * width);
  const view = new DataView(out.buffer);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < n; c++) {
      const v = spec.channels[c][f];
      const at = (f * n + c) * width;
      if (spec.sampleFormat === 'float') {
        if (bits === 32) view.setFloat32(at, v, true);
        else view.setFloat64(at, v, true);
      } else if (bits === 8) {
        view.setUint8(at, Math.max(0, Math.min(255, Math.round(v * 128 + 128))));
      } else {
        const max = 2 ** (bits - 1);
        const q = Math.max(-max, Math.min(max - 1, Math.round(v * max)));
        if (bits === 16) view.setInt16(at, q, true);
        else if (bits === 32) view.setInt32(at, q, true);
        else {
          view.setUint8(at, q & 0xff);
          view.setUint8(at + 1, (q >> 8) & 0xff);
          view.setUint8(at + 2, (q >> 16) & 0xff);
        }
      }
    }
  }
  return out;
}

function chunk(id: string, body: Uint8Array, padded = true): Uint8Array {
  const out = new Uint8Array(8 + body.length + (padded ? body.length & 1 : 0));
  out.set(new TextEncoder().encode(id), 0);
  new DataView(out.buffer).setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

export function fmtBody(spec: WavSpec): Uint8Array {
  const bits = spec.bitsPerSample ?? 16;
  const channels = spec.channelCount ?? spec.channels.length;
  const rate = spec.sampleRate ?? 16000;
  const tag = spec.formatTag ?? (spec.sampleFormat === 'float' ? 3 : 1);
  const blockAlign = spec.blockAlign ?? (channels * bits) / 8;
  const body = new Uint8Array(spec.extensible ? 40 : 16);
  const v = new DataView(body.buffer);
  v.setUint16(0, spec.extensible ? 0xfffe : tag, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rate, true);
  v.setUint32(8, rate * blockAlign, true);
  v.setUint16(12, blockAlign, true);
  v.setUint16(14, bits, true);
  if (spec.extensible) {
    v.setUint16(16, 22, true);
    v.setUint16(18, bits, true);
    v.setUint32(20, 0, true);
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: {0000000X-0000-0010-8000-00aa00389b71}
    const guid = [tag, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71];
    body.set(guid, 24);
  }
  return body;
}

export function makeWav(spec: WavSpec): Uint8Array {
  const data = encodeSamples(spec);
  const parts = [chunk('fmt ', fmtBody(spec)), ...(spec.extraChunks ?? []).map((c) => chunk(c.id, c.body, c.padded ?? true))];
  const dataChunk = chunk('data', data);
  if (spec.dataSize !== undefined) new DataView(dataChunk.buffer).setUint32(4, spec.dataSize >>> 0, true);
  parts.push(dataChunk);
  const body = parts.reduce((n, p) => n + p.length, 4);
  const out = new Uint8Array(8 + body);
  out.set(new TextEncoder().encode('RIFF'), 0);
  new DataView(out.buffer).setUint32(4, body, true);
  out.set(new TextEncoder().encode('WAVE'), 8);
  let at = 12;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A sine of `hz` at `rate`, `seconds` long, amplitude `amp`. */
export function tone(hz: number, rate: number, seconds: number, amp = 0.5): Float64Array {
  return Float64Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));
}

export function rms(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, to - from));
}

/** Magnitude of the `hz` component (Goertzel), normalised so that a sine of amplitude A gives A. */
export function toneLevel(x: ArrayLike<number>, hz: number, rate: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < x.length; i++) {
    re += x[i] * Math.cos((2 * Math.PI * hz * i) / rate);
    im -= x[i] * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / x.length;
}

/** A WAV whose header promises `seconds` of audio, made sparse (zeros) so it costs no disk. */
export function sparseWav(path: string, seconds: number, rate: number, bits: number): void {
  const frames = seconds * rate;
  const bytes = makeWav({ bitsPerSample: bits, sampleRate: rate, channels: [[]], dataSize: (frames * bits) / 8 });
  writeFileSync(path, bytes);
  truncateSync(path, bytes.length + (frames * bits) / 8);
}
