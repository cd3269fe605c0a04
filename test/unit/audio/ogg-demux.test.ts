/** Ogg pages and packets as RFC 3533 lays them out. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OggDemuxer, type OggPacket } from '../../../src/engine/audio/ogg-demux';
import { oggPageCrc, readOggPage } from '../../../src/engine/audio/ogg-page';
import { bytesOf, concatBytes, makeOggPage, splitPages } from './ogg-bytes';

const CLIPS = join(__dirname, '../../../bench/data/clips');
const FIXTURES = join(__dirname, '../../fixtures/audio');

const filled = (length: number, value: number): Uint8Array => new Uint8Array(length).fill(value);

function demux(...chunks: Uint8Array[]): { packets: OggPacket[]; demuxer: OggDemuxer } {
  const demuxer = new OggDemuxer();
  const packets = chunks.flatMap((c) => demuxer.feed(c));
  demuxer.end();
  return { packets, demuxer };
}

describe('Ogg pages', () => {
  it('checks the checksum libogg wrote on every page of real files', () => {
    const files = [...readdirSync(CLIPS).filter((f) => f.endsWith('.opus')).map((f) => join(CLIPS, f)), join(FIXTURES, 'tone-44k1-stereo.ogg')];
    for (const file of files) {
      const pages = splitPages(readFileSync(file));
      expect(pages.length).toBeGreaterThanOrEqual(3);
      for (const page of pages) expect(oggPageCrc(page)).toBe(new DataView(page.buffer).getUint32(22, true));
    }
  });

  it('reads the header fields', () => {
    const page = makeOggPage({ packets: [bytesOf('abc')], bos: true, eos: true, granule: 2 ** 40 + 7, serial: 0xdeadbeef, sequence: 9 });
    const read = readOggPage(page, 0);
    expect(read.kind).toBe('page');
    if (read.kind !== 'page') return;
    expect(read.size).toBe(page.length);
    expect(read.page).toMatchObject({ continued: false, bos: true, eos: true, granule: 2 ** 40 + 7, serial: 0xdeadbeef, sequence: 9 });
    expect(Array.from(read.page.segments)).toEqual([3]);
  });

  it('takes a granule position of −1 as "no packet ends on this page"', () => {
    const read = readOggPage(makeOggPage({ packets: [], open: filled(255, 1), granule: -1 }), 0);
    expect(read.kind === 'page' && read.page.granule).toBe(-1);
  });

  it('tells a page cut short from one that is not a page', () => {
    const page = makeOggPage({ packets: [filled(100, 1)] });
    expect(readOggPage(page.subarray(0, 20), 0)).toEqual({ kind: 'partial' });
    expect(readOggPage(page.subarray(0, page.length - 1), 0)).toEqual({ kind: 'partial' });
    const flipped = page.slice();
    flipped[60] ^= 1;
    expect(readOggPage(flipped, 0)).toEqual({ kind: 'not-a-page', why: 'checksum' });
    expect(readOggPage(bytesOf('RIFF....WAVEfmt and some more bytes'), 0)).toEqual({ kind: 'not-a-page', why: 'no capture pattern' });
    const v1 = page.slice();
    v1[4] = 1;
    expect(readOggPage(v1, 0)).toEqual({ kind: 'not-a-page', why: 'version' });
  });
});

describe('Ogg demuxer', () => {
  it('splits a page into its packets, the last one carrying the granule position', () => {
    const { packets } = demux(makeOggPage({ packets: [filled(3, 1), filled(0, 0), filled(300, 2)], bos: true, granule: 960 }));
    expect(packets.map((p) => [p.data.length, p.bos, p.granule])).toEqual([
      [3, true, -1],
      [0, false, -1],
      [300, false, 960],
    ]);
  });

  it('joins a packet continued across pages, whatever pieces the file arrives in', () => {
    const big = Uint8Array.from({ length: 255 * 3 + 40 }, (_, i) => i & 0xff);
    const file = concatBytes([
      makeOggPage({ packets: [bytesOf('head')], bos: true, sequence: 0 }),
      makeOggPage({ packets: [], open: big.subarray(0, 510), sequence: 1, granule: -1 }),
      makeOggPage({ packets: [big.subarray(510), filled(255, 7)], continued: true, eos: true, sequence: 2, granule: 1920 }),
    ]);
    for (const step of [file.length, 1, 7, 100]) {
      const chunks = Array.from({ length: Math.ceil(file.length / step) }, (_, i) => file.slice(i * step, (i + 1) * step));
      const { packets, demuxer } = demux(...chunks);
      expect(packets.map((p) => p.data.length)).toEqual([4, big.length, 255]);
      expect(packets[1].data).toEqual(big);
      expect(packets[2]).toMatchObject({ eos: true, granule: 1920 });
      expect(demuxer.damage).toEqual({ skippedBytes: 0, badChecksums: 0, lostPackets: 0, truncatedBytes: 0 });
    }
  });

  it('follows the first stream and passes over one multiplexed beside it', () => {
    const { packets } = demux(
      makeOggPage({ packets: [bytesOf('ours')], bos: true, serial: 1 }),
      makeOggPage({ packets: [bytesOf('theirs')], bos: true, serial: 2 }),
      makeOggPage({ packets: [bytesOf('x')], serial: 2, sequence: 1 }),
      makeOggPage({ packets: [bytesOf('audio')], serial: 1, sequence: 1, eos: true }),
    );
    expect(packets.map((p) => new TextDecoder().decode(p.data))).toEqual(['ours', 'audio']);
  });

  it('goes on to the next stream of a chained file after the first one ends', () => {
    const { packets } = demux(
      makeOggPage({ packets: [bytesOf('a'), bytesOf('b')], bos: true, eos: true, serial: 1 }),
      makeOggPage({ packets: [bytesOf('c')], bos: true, serial: 2 }),
      makeOggPage({ packets: [bytesOf('d')], eos: true, serial: 2, sequence: 1 }),
    );
    expect(packets.map((p) => [new TextDecoder().decode(p.data), p.bos, p.eos])).toEqual([
      ['a', true, false],
      ['b', false, true],
      ['c', true, false],
      ['d', false, true],
    ]);
  });

  it('skips a page that fails its checksum and garbage between pages, and counts the loss', () => {
    const bad = makeOggPage({ packets: [], open: filled(255, 3), sequence: 1, granule: -1 });
    bad[40] ^= 0xff;
    const { packets, demuxer } = demux(
      makeOggPage({ packets: [bytesOf('head')], bos: true }),
      bad,
      makeOggPage({ packets: [filled(10, 4), bytesOf('next')], continued: true, sequence: 2 }),
      bytesOf('junk'),
      makeOggPage({ packets: [bytesOf('last')], sequence: 3, eos: true }),
    );
    expect(packets.map((p) => new TextDecoder().decode(p.data))).toEqual(['head', 'next', 'last']);
    expect(demuxer.damage).toMatchObject({ badChecksums: 1, lostPackets: 1 });
    expect(demuxer.damage.skippedBytes).toBe(bad.length + 4);
  });

  it('drops a packet whose continuation page is missing', () => {
    const { packets, demuxer } = demux(
      makeOggPage({ packets: [bytesOf('head')], open: filled(255, 1), bos: true, sequence: 0 }),
      makeOggPage({ packets: [bytesOf('after')], sequence: 2, eos: true }),
    );
    expect(packets.map((p) => new TextDecoder().decode(p.data))).toEqual(['head', 'after']);
    expect(demuxer.damage.lostPackets).toBe(1);
  });

  it('counts the bytes of a last page the file ends inside', () => {
    const whole = makeOggPage({ packets: [bytesOf('head')], bos: true });
    const cut = makeOggPage({ packets: [filled(50, 1)], sequence: 1 }).subarray(0, 40);
    const { packets, demuxer } = demux(whole, cut);
    expect(packets).toHaveLength(1);
    expect(demuxer.damage.truncatedBytes).toBe(40);
  });
});
