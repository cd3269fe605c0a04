import { FormatProblem } from './audio-error';

/** Opus's identification header (RFC 7845 §5.1). */
export interface OpusHead {
  channels: number;
  /** Samples at 48 kHz to drop from the start of the decoded stream. */
  preSkip: number;
  /** The encoder's input rate: information only, Opus always codes at 48 kHz. */
  inputRate: number;
  /** Gain to apply to the decoded output, in dB. */
  outputGainDb: number;
  mappingFamily: number;
  streams: number;
  coupledStreams: number;
  /** Decoded channel of each output channel (255: silence). */
  mapping: number[];
}

const text = (b: Uint8Array, at: number, n: number): string => String.fromCharCode(...b.subarray(at, at + n));

export const isOpusHead = (packet: Uint8Array): boolean => text(packet, 0, 8) === 'OpusHead';
export const isOpusTags = (packet: Uint8Array): boolean => text(packet, 0, 8) === 'OpusTags';

const bad = (why: string): FormatProblem => new FormatProblem('bad-header', `OpusHead: ${why}`);

/**
 * Parses an OpusHead packet. Families 0 (mono/stereo), 1 (Vorbis order, up to 8 channels) and
 * 255 (undefined layout) are decoded; ambisonics (2, 3) are refused.
 */
export function parseOpusHead(packet: Uint8Array): OpusHead {
  if (!isOpusHead(packet)) throw new FormatProblem('bad-header', 'Ogg Opus stream does not begin with an OpusHead packet');
  if (packet.length < 19) throw bad(`${packet.length} bytes, shorter than the 19 it needs`);
  const version = packet[8];
  // The upper four bits are the major version; a decoder of version 0 reads versions 0–15.
  if (version >> 4 !== 0) throw new FormatProblem('unsupported-codec', `OpusHead version ${version >> 4}.${version & 15} is not supported (only 0.x is)`);
  const channels = packet[9];
  if (channels === 0) throw bad('0 channels');
  const preSkip = packet[10] | (packet[11] << 8);
  const inputRate = (packet[12] | (packet[13] << 8) | (packet[14] << 16) | (packet[15] << 24)) >>> 0;
  // Q7.8 fixed point, signed.
  const outputGainDb = (((packet[16] | (packet[17] << 8)) << 16) >> 16) / 256;
  const mappingFamily = packet[18];
  const head = { channels, preSkip, inputRate, outputGainDb, mappingFamily };
  if (mappingFamily === 0) {
    if (channels > 2) throw bad(`channel mapping family 0 allows 1 or 2 channels, not ${channels}`);
    return { ...head, streams: 1, coupledStreams: channels - 1, mapping: channels === 2 ? [0, 1] : [0] };
  }
  if (mappingFamily !== 1 && mappingFamily !== 255) {
    throw new FormatProblem('unsupported-codec', `Opus channel mapping family ${mappingFamily} (${mappingFamily === 2 || mappingFamily === 3 ? 'ambisonics' : 'unknown'}) is not supported`);
  }
  if (mappingFamily === 1 && channels > 8) throw bad(`channel mapping family 1 allows up to 8 channels, not ${channels}`);
  if (packet.length < 21 + channels) throw bad(`${packet.length} bytes, too short for a ${channels}-channel mapping table`);
  const streams = packet[19];
  const coupledStreams = packet[20];
  if (streams === 0) throw bad('0 streams');
  if (coupledStreams > streams) throw bad(`${coupledStreams} coupled streams of ${streams}`);
  if (streams + coupledStreams > 255) throw bad(`${streams} streams with ${coupledStreams} coupled make more than 255 decoded channels`);
  const mapping = Array.from(packet.subarray(21, 21 + channels));
  const decoded = streams + coupledStreams;
  const wrong = mapping.find((m) => m !== 255 && m >= decoded);
  if (wrong !== undefined) throw bad(`mapping table names decoded channel ${wrong}, but there are only ${decoded}`);
  return { ...head, streams, coupledStreams, mapping };
}
