/** Samples per frame at 48 kHz by TOC configuration (RFC 6716 §3.1): SILK, hybrid, CELT. */
const SILK = [480, 960, 1920, 2880];
const CELT = [120, 240, 480, 960];

/** The longest a packet may be: 120 ms at 48 kHz. */
export const MAX_PACKET_SAMPLES = 5760;

/** How many samples at 48 kHz an Opus packet holds, from its TOC byte; 0 for a malformed packet. */
export function opusPacketSamples(packet: Uint8Array): number {
  if (packet.length === 0) return 0;
  const config = packet[0] >> 3;
  const frame = config < 12 ? SILK[config & 3] : config < 16 ? (config & 1 ? 960 : 480) : CELT[config & 3];
  const code = packet[0] & 3;
  const frames = code === 0 ? 1 : code < 3 ? 2 : packet.length < 2 ? 0 : packet[1] & 0x3f;
  const samples = frames * frame;
  return samples > MAX_PACKET_SAMPLES ? 0 : samples;
}
