/** OpusHead (RFC 7845 §5.1) and the Opus TOC byte (RFC 6716 §3.1). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatProblem } from '../../../src/engine/audio/audio-error';
import { parseOpusHead } from '../../../src/engine/audio/opus-head';
import { opusPacketSamples } from '../../../src/engine/audio/opus-packet';
import { bytesOf, splitPages } from './ogg-bytes';

const FIXTURES = join(__dirname, '../../fixtures/audio');

/** An OpusHead packet: version, channels, pre-skip, input rate, gain (Q7.8), family, then the table. */
function head(o: { version?: number; channels?: number; preSkip?: number; gain?: number; family?: number; table?: number[] } = {}): Uint8Array {
  const b = new Uint8Array(19 + (o.table?.length ?? 0));
  const v = new DataView(b.buffer);
  b.set(bytesOf('OpusHead'));
  b[8] = o.version ?? 1;
  b[9] = o.channels ?? 1;
  v.setUint16(10, o.preSkip ?? 312, true);
  v.setUint32(12, 16000, true);
  v.setInt16(16, o.gain ?? 0, true);
  b[18] = o.family ?? 0;
  b.set(o.table ?? [], 19);
  return b;
}

function problem(packet: Uint8Array): FormatProblem {
  try {
    parseOpusHead(packet);
  } catch (error) {
    expect(error).toBeInstanceOf(FormatProblem);
    return error as FormatProblem;
  }
  throw new Error('expected a FormatProblem');
}

const firstPacket = (file: string): Uint8Array => {
  const page = splitPages(readFileSync(join(FIXTURES, file)))[0];
  return page.subarray(27 + page[26]);
};

describe('OpusHead', () => {
  it('reads a stereo file (family 0) and a three-channel one (family 1, libsndfile)', () => {
    expect(parseOpusHead(firstPacket('tone-stereo.opus'))).toEqual({
      channels: 2,
      preSkip: 312,
      inputRate: 44100,
      outputGainDb: 0,
      mappingFamily: 0,
      streams: 1,
      coupledStreams: 1,
      mapping: [0, 1],
    });
    expect(parseOpusHead(firstPacket('tone-3ch.opus'))).toMatchObject({ channels: 3, mappingFamily: 1, streams: 2, coupledStreams: 1, mapping: [0, 2, 1] });
  });

  it('reads the output gain as signed Q7.8 dB', () => {
    expect(parseOpusHead(head({ gain: 0x0600 })).outputGainDb).toBe(6);
    expect(parseOpusHead(head({ gain: -384 })).outputGainDb).toBe(-1.5);
  });

  it('reads minor versions of 0 and refuses version 1', () => {
    expect(parseOpusHead(head({ version: 15 })).channels).toBe(1);
    expect(problem(head({ version: 16 }))).toMatchObject({ code: 'unsupported-codec', message: expect.stringMatching(/version 1\.0 is not supported/) });
  });

  it.each([
    ['a short packet', head().subarray(0, 12), /12 bytes, shorter than the 19/],
    ['no channels', head({ channels: 0 }), /0 channels/],
    ['family 0 with three channels', head({ channels: 3 }), /family 0 allows 1 or 2 channels, not 3/],
    ['family 1 with nine channels', head({ channels: 9, family: 1, table: [9, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8] }), /up to 8 channels, not 9/],
    ['a table cut short', head({ channels: 2, family: 1, table: [2, 0, 0] }), /too short for a 2-channel mapping table/],
    ['more coupled streams than streams', head({ channels: 2, family: 1, table: [1, 2, 0, 1] }), /2 coupled streams of 1/],
    ['a table naming a channel that is not decoded', head({ channels: 2, family: 1, table: [1, 0, 0, 1] }), /decoded channel 1, but there are only 1/],
  ])('refuses %s', (_label, packet, message) => {
    expect(problem(packet)).toMatchObject({ code: 'bad-header', message: expect.stringMatching(message) });
  });

  it('refuses ambisonics and unknown mapping families by name', () => {
    expect(problem(head({ channels: 4, family: 2, table: [4, 0, 0, 1, 2, 3] })).message).toMatch(/family 2 \(ambisonics\) is not supported/);
    expect(problem(head({ channels: 1, family: 7, table: [1, 0, 0] })).message).toMatch(/family 7 \(unknown\)/);
  });

  it('says when the packet is not an OpusHead at all', () => {
    expect(problem(bytesOf('\x01vorbis and more bytes here')).message).toMatch(/does not begin with an OpusHead/);
  });
});

describe('Opus packet duration from the TOC byte', () => {
  it.each([
    ['SILK 10 ms, one frame', [0 << 3], 480],
    ['SILK 60 ms, two frames', [(3 << 3) | 1], 5760],
    ['hybrid 20 ms', [(13 << 3) | 0], 960],
    ['CELT 2.5 ms, 48 frames (code 3)', [(16 << 3) | 3, 48], 5760],
    ['CELT 20 ms, 3 frames (code 3)', [(23 << 3) | 3, 3], 2880],
    ['CELT 20 ms, 7 frames: over 120 ms, malformed', [(23 << 3) | 3, 7], 0],
    ['code 3 without its count byte', [(23 << 3) | 3], 0],
    ['an empty packet', [], 0],
  ])('%s', (_label, bytes, samples) => {
    expect(opusPacketSamples(Uint8Array.from(bytes))).toBe(samples);
  });
});
