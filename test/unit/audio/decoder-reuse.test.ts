/**
 * Converters and decoders are reused from file to file within a thread (creating them cost more
 * than decoding a short clip): whatever came before, a file decodes to the same samples.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';
import { createResampler, resample } from '../../../src/engine/audio/resample';
import { idleWasmInstances } from '../../../src/engine/audio/wasm-instance-pool';
import { tone } from './make-wav';

const CLIPS = join(__dirname, '../../../bench/data/clips');

describe('resampler reuse', () => {
  it('resamples a signal alike before and after other streams at other rates', async () => {
    const a = Float32Array.from(tone(440, 44100, 0.3, 0.5));
    const b = Float32Array.from(tone(1000, 48000, 0.2, 0.8));
    const first = await resample(a, 44100, 16000);
    await resample(b, 48000, 22050);
    await resample(b, 48000, 16000, 'best');
    expect(await resample(a, 44100, 16000)).toEqual(first);
  });

  it('keeps streams that are open at the same time apart', async () => {
    const a = Float32Array.from(tone(440, 48000, 0.3, 0.5));
    const b = Float32Array.from(tone(2000, 48000, 0.3, 0.5));
    const alone = await resample(a, 48000, 16000);
    const ra = await createResampler(48000, 16000);
    const rb = await createResampler(48000, 16000);
    const outA = [...ra.process(a.subarray(0, 7000))];
    rb.process(b);
    outA.push(...ra.process(a.subarray(7000)), ...ra.flush());
    rb.flush();
    expect(Float32Array.from(outA)).toEqual(alone);
  });
});

describe('decoding many compressed clips in one thread', () => {
  const clips = readdirSync(CLIPS).sort();
  it.each(['opus', 'mp3', 'flac'])('gives every %s clip the samples it has when decoded first', async (ext) => {
    const [a, b, c] = clips.filter((f) => f.endsWith(`.${ext}`)).slice(0, 3).map((f) => join(CLIPS, f));
    const first = (await decodeAudioFile(a)).samples;
    const other = (await decodeAudioFile(b)).samples;
    await decodeAudioFile(c);
    expect((await decodeAudioFile(a)).samples).toEqual(first);
    expect((await decodeAudioFile(b)).samples).toEqual(other);
    expect(Math.abs(first.length - 16000)).toBeLessThan(400);
  });

  it.each(['opus', 'mp3', 'flac'])('still gives a %s clip its samples after 250 other files, holding at most two idle decoders', async (ext) => {
    const files = clips.filter((f) => f.endsWith(`.${ext}`)).map((f) => join(CLIPS, f));
    const first = (await decodeAudioFile(files[0])).samples;
    for (let i = 0; i < 250; i++) await decodeAudioFile(files[1 + (i % (files.length - 1))]);
    expect((await decodeAudioFile(files[0])).samples).toEqual(first);
    expect(idleWasmInstances()).toBeLessThanOrEqual(2 * 3);
  });

  it('gives an Ogg Vorbis file its samples again after other files', async () => {
    const vorbis = join(__dirname, '../../fixtures/audio/tone-44k1-stereo.ogg');
    const first = (await decodeAudioFile(vorbis)).samples;
    await decodeAudioFile(join(CLIPS, clips.find((f) => f.endsWith('.opus')) as string));
    expect((await decodeAudioFile(vorbis)).samples).toEqual(first);
  });

  it('decodes Opus straight to 16 kHz, still naming its 48 kHz coding rate', async () => {
    const clip = join(CLIPS, clips.find((f) => f.endsWith('.opus')) as string);
    expect(await decodeAudioFile(clip)).toMatchObject({ format: 'ogg/opus', sampleRate: 16000, sourceRate: 48000 });
  });
});
