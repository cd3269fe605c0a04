/**
 * Ogg Opus files through Earshot's demuxer and libopus: the samples ogg-opus-decoder (the
 * library this replaced) gives, the length the last granule position asks for (RFC 7845 §4.5),
 * the output gain, multistream and chained files, and damaged ones.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OggOpusDecoder as ReferenceDecoder } from 'ogg-opus-decoder';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';
import { openOggOpusDecoder } from '../../../src/engine/audio/ogg-opus';
import { readGranule } from '../../../src/engine/audio/ogg-page';
import { audioError } from './expect-audio-error';
import { toneLevel } from './make-wav';
import { bytesOf, concatBytes, makeOggPage, splitPages, withCrc } from './ogg-bytes';

const CLIPS = join(__dirname, '../../../bench/data/clips');
const FIXTURES = join(__dirname, '../../fixtures/audio');
const dir = mkdtempSync(join(tmpdir(), 'earshot-opus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPUS_FILES = [...readdirSync(CLIPS).filter((f) => f.endsWith('.opus')).map((f) => join(CLIPS, f)), join(FIXTURES, 'tone-stereo.opus'), join(FIXTURES, 'tone-3ch.opus')];

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function reference(path: string, rate: number): Promise<Float32Array[]> {
  // sampleRate is documented in ogg-opus-decoder's README, missing from its types.
  const decoder = new ReferenceDecoder({ sampleRate: rate } as ConstructorParameters<typeof ReferenceDecoder>[0]);
  await decoder.ready;
  const { channelData } = await decoder.decodeFile(readFileSync(path));
  decoder.free();
  return channelData.map((c) => c.map((v) => Math.max(-1, Math.min(1, v))));
}

async function channels(path: string, rate: number): Promise<Float32Array[]> {
  const { channels: count } = await decodeAudioFile(path, { targetRate: rate, channel: 0 });
  return Promise.all(Array.from({ length: count }, async (_, c) => (await decodeAudioFile(path, { targetRate: rate, channel: c })).samples));
}

/** RFC 7845 §4.5: the last page's granule position less the pre-skip, at `rate`. */
function rfcLength(bytes: Uint8Array, rate: number): number {
  const pages = splitPages(bytes);
  const last = pages[pages.length - 1];
  const head = pages[0].subarray(28);
  const preSkip = head[10] | (head[11] << 8);
  return ((readGranule(last, 6) - preSkip) * rate) / 48000;
}

/** How many samples differ (vitest's deep equality is slow on long arrays). */
function differing(a: Float32Array, b: Float32Array): number {
  let n = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) n += 1;
  return n;
}

/** A copy of an Opus file with its OpusHead packet edited (CRC recomputed). */
function withHead(path: string, edit: (head: DataView) => void): Uint8Array {
  const pages = splitPages(readFileSync(path));
  edit(new DataView(pages[0].buffer, 28));
  withCrc(pages[0]);
  return concatBytes(pages);
}

describe('Ogg Opus decoding', () => {
  it.each([16000, 48000])('gives every clip the samples ogg-opus-decoder gives at %i Hz, ending where the granule position says', async (rate) => {
    for (const path of OPUS_FILES) {
      const ours = await channels(path, rate);
      const theirs = await reference(path, rate);
      expect(ours).toHaveLength(theirs.length);
      expect(ours[0].length).toBe(rfcLength(readFileSync(path), rate));
      // ogg-opus-decoder keeps a few encoder padding samples past the end of one-page clips.
      expect(theirs[0].length).toBeGreaterThanOrEqual(ours[0].length);
      ours.forEach((samples, c) => expect(differing(samples, theirs[c].subarray(0, samples.length))).toBe(0));
    }
  });

  it('maps the channels of a multistream file (family 1) in the order of its table', async () => {
    const [left, centre, right] = await channels(join(FIXTURES, 'tone-3ch.opus'), 16000);
    expect(left.length).toBe(8000);
    expect(toneLevel(left.subarray(1000, 7000), 300, 16000)).toBeGreaterThan(0.2);
    expect(toneLevel(centre.subarray(1000, 7000), 500, 16000)).toBeGreaterThan(0.2);
    expect(toneLevel(right.subarray(1000, 7000), 700, 16000)).toBeGreaterThan(0.2);
    expect(toneLevel(left.subarray(1000, 7000), 500, 16000)).toBeLessThan(0.02);
  });

  it('applies the output gain of the header', async () => {
    const path = join(CLIPS, 'call-anna-0.5.opus');
    const plain = (await decodeAudioFile(path)).samples;
    const quieter = (await decodeAudioFile(file('gain.opus', withHead(path, (h) => h.setInt16(16, -6 * 256, true))))).samples;
    const factor = 10 ** (-6 / 20);
    expect(quieter.length).toBe(plain.length);
    for (let i = 0; i < plain.length; i += 97) expect(quieter[i]).toBeCloseTo(plain[i] * factor, 6);
  });

  it('decodes a chained file (two recordings concatenated) as one after the other', async () => {
    const [a, b] = [join(CLIPS, 'call-anna-0.0.opus'), join(FIXTURES, 'tone-stereo.opus')];
    const chained = await decodeAudioFile(file('chained.opus', concatBytes([readFileSync(a), readFileSync(b)])));
    const first = (await decodeAudioFile(a)).samples;
    // The first link's layout (mono) is kept: the stereo link gives its first channel.
    const second = (await decodeAudioFile(b, { channel: 0 })).samples;
    expect(chained.channels).toBe(1);
    expect(chained.samples).toEqual(Float32Array.from([...first, ...second]));
  });

  it('skips a chained stream that is not Opus, and says so', async () => {
    const opus = join(CLIPS, 'call-anna-0.0.opus');
    const vorbis = join(FIXTURES, 'tone-44k1-stereo.ogg');
    const d = await decodeAudioFile(file('opus-then-vorbis.opus', concatBytes([readFileSync(opus), readFileSync(vorbis)])));
    expect(d.samples).toEqual((await decodeAudioFile(opus)).samples);
    expect(d.warnings).toContain('skipped 1 chained stream that is not Opus');
  });

  it('keeps what decodes of a file that ends inside a page, and says so', async () => {
    const bytes = readFileSync(join(FIXTURES, 'tone-stereo.opus'));
    const d = await decodeAudioFile(file('cut.opus', bytes.subarray(0, bytes.length - 30)));
    // The first audio page is whole: 50 packets of 20 ms, less the 312-sample pre-skip.
    expect(d.samples.length).toBe((48000 - 312) / 3);
    expect(d.warnings).toContainEqual(expect.stringMatching(/file ends inside an Ogg page/));
  });

  it('skips a page that fails its checksum, and says so', async () => {
    const pages = splitPages(readFileSync(join(FIXTURES, 'tone-stereo.opus')));
    pages[2][200] ^= 0x55;
    const d = await decodeAudioFile(file('flipped.opus', concatBytes(pages)));
    expect(d.warnings).toContainEqual(expect.stringMatching(/1 page failed the checksum and was skipped/));
    expect(d.samples.length).toBeLessThan(1000);
  });

  it.each([
    ['a header family 0 cannot have', (h: DataView) => h.setUint8(9, 3), 'bad-header', /OpusHead: channel mapping family 0 allows 1 or 2 channels, not 3/],
    ['an ambisonics header', (h: DataView) => h.setUint8(18, 3), 'unsupported-codec', /channel mapping family 3 \(ambisonics\) is not supported/],
  ] as const)('refuses %s with an error naming the file and the problem', async (_label, edit, code, message) => {
    const path = file('bad-head.opus', withHead(join(CLIPS, 'call-anna-0.0.opus'), edit));
    const e = await audioError(decodeAudioFile(path));
    expect(e).toMatchObject({ code, path });
    expect(e.message).toMatch(message);
  });

  it('refuses a stream whose second packet is not OpusTags', async () => {
    const pages = splitPages(readFileSync(join(CLIPS, 'call-anna-0.0.opus')));
    pages[1] = makeOggPage({ packets: [bytesOf('NotTags!')], serial: new DataView(pages[1].buffer).getUint32(14, true), sequence: 1 });
    const e = await audioError(decodeAudioFile(file('no-tags.opus', concatBytes(pages))));
    expect(e).toMatchObject({ code: 'bad-header' });
    expect(e.message).toMatch(/lacks its OpusTags packet/);
  });

  it('says that nothing could be decoded from a file cut inside its only audio page', async () => {
    const bytes = readFileSync(join(CLIPS, 'call-anna-0.0.opus'));
    const e = await audioError(decodeAudioFile(file('cut-short.opus', bytes.subarray(0, bytes.length - 500))));
    expect(e).toMatchObject({ code: 'decode-failed' });
    expect(e.message).toMatch(/no audio could be decoded.*file ends inside an Ogg page/);
  });
});

describe('one libopus per thread', () => {
  /** A short stream of the clip: its headers and its first two audio packets. */
  function shortStream(bytes: Uint8Array): Uint8Array {
    const pages = splitPages(bytes);
    const serial = new DataView(pages[0].buffer).getUint32(14, true);
    const audio = pages[2].subarray(27 + pages[2][26]);
    const sizes = pages[2].subarray(27, 29);
    const packets = [audio.subarray(0, sizes[0]), audio.subarray(sizes[0], sizes[0] + sizes[1])];
    return concatBytes([pages[0], pages[1], makeOggPage({ packets, serial, sequence: 2, eos: true, granule: 960 * 2 })]);
  }

  async function decodeAll(bytes: Uint8Array): Promise<Float32Array[]> {
    const decoder = await openOggOpusDecoder(16000);
    const out = decoder.decode(bytes);
    decoder.flush();
    return out.channelData.map((c) => c.slice(0, out.samplesDecoded));
  }

  it('decodes a stream alike after 2,000 others (the shim leaked per stream: its heap ran out near 1,200)', async () => {
    const bytes = OPUS_FILES.map((f) => shortStream(readFileSync(f)));
    const first = await decodeAll(bytes[0]);
    expect(first[0].length).toBe((2 * 960 - 312) / 3);
    for (let i = 0; i < 2000; i++) await decodeAll(bytes[i % bytes.length]);
    expect(await decodeAll(bytes[0])).toEqual(first);
  });

  it('keeps streams of other layouts that are open at the same time apart', async () => {
    const threeChannels = readFileSync(join(FIXTURES, 'tone-3ch.opus'));
    const pages = splitPages(threeChannels);
    const alone = await decodeAll(threeChannels);
    const open = await openOggOpusDecoder(16000);
    const head = open.decode(concatBytes(pages.slice(0, 3)));
    for (const f of OPUS_FILES.slice(0, 5)) await decodeAll(readFileSync(f));
    const rest = open.decode(concatBytes(pages.slice(3)));
    open.flush();
    alone.forEach((samples, c) => {
      const joined = Float32Array.from([...head.channelData[c].subarray(0, head.samplesDecoded), ...rest.channelData[c].subarray(0, rest.samplesDecoded)]);
      expect(differing(joined, samples)).toBe(0);
    });
  });
});
