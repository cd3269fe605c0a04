/**
 * The live session on a demo recording fed in odd-sized pieces, as a microphone would deliver
 * it: what it says as the audio arrives and where it ends the utterance must be what the offline
 * decode of the same audio says, and the audio it keeps must be exactly what it was given.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import { decodeSamples } from '../../../src/engine/asr/decode-utterance';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';
import { createResampler, resample, concat } from '../../../src/engine/audio/resample';
import { configPairFromKnobs, runDualEndpointer } from '../../../src/engine/endpoint/dual-endpointer';
import { defaultKnobsPair } from '../../../src/engine/endpoint/endpoint-config';
import { LiveSession, type LiveOutput, type LiveUtterance } from '../../../src/engine/live/live-session';
import { sileroTrack } from '../../../src/engine/vad/silero-vad';
import { fromPcm16, toPcm16 } from '../../../src/shared/pcm16';
import type { LiveUpdate } from '../../../src/shared/live';

const ROOT = join(__dirname, '../../..');
const MODEL = join(ROOT, 'resources/models/earshot-rnnt');
const DEMO = join(ROOT, 'resources/demo/kitchen-lights.wav');
const endpoints = configPairFromKnobs(defaultKnobsPair());
const decoding = { beam: 4 };

let model: TransducerModel;
let samples: Float32Array;

beforeAll(async () => {
  model = TransducerModel.load(MODEL, { variant: 'int8', intraOpNumThreads: 1 });
  samples = (await decodeAudioFile(DEMO, { targetRate: 16000 })).samples;
});
afterAll(() => model?.release());

/** Feeds the samples in pieces of the given sizes, in turn, then stops. */
function feed(session: LiveSession, audio: Float32Array, sizes: number[]): LiveOutput[] {
  const out: LiveOutput[] = [];
  for (let at = 0, i = 0; at < audio.length; i++) {
    const size = sizes[i % sizes.length];
    out.push(...session.accept(audio.subarray(at, at + size)));
    at += size;
  }
  return [...out, ...session.stop()];
}

const updatesOf = (out: LiveOutput[]): LiveUpdate[] => out.flatMap((o) => (o.type === 'update' ? [o.update] : []));
const endedOf = (out: LiveOutput[]): LiveUtterance[] => out.flatMap((o) => (o.type === 'ended' ? [o.ended] : []));

/** The offline analysis of audio: decode, Silero beside it, both end-pointers over the result. */
function offline(audio: Float32Array) {
  const decode = decodeSamples(model, audio, decoding);
  decode.trace.vad = { silero: sileroTrack(audio) };
  const run = runDualEndpointer({ id: 'offline', trace: decode.trace, partials: decode.partials, tokens: decode.nbest[0]?.tokens ?? [], text: decode.hyp }, endpoints);
  return { decode, run };
}

describe('a live session', () => {
  it('ends the utterance at the final end-point the offline decode of its saved audio finds, with the same events', () => {
    const ended = endedOf(feed(new LiveSession(model, { decoding, endpoints }), samples, [1013, 77, 4096, 333]));
    const first = ended[0];
    expect(first.reason).toBe('final');
    expect(first.text).toBe('turn on the kitchen lights');
    const { run } = offline(fromPcm16(first.samples));
    expect(first.events).toEqual(run.events);
    expect(first.events.map((e) => e.type)).toEqual(['speculative', 'final']);
  });

  it('says after every chunk what the offline decode had decoded by then: partial text, end-of-query and events', () => {
    const out = feed(new LiveSession(model, { decoding, endpoints }), samples, [517]);
    const updates = updatesOf(out).filter((u) => u.utterance === 0);
    const { decode } = offline(fromPcm16(endedOf(out)[0].samples));
    // Every chunk the live session decoded, the offline decode decoded the same way (it goes on with the padded tail).
    expect(updates.map((u) => u.timeS)).toEqual(decode.partials.slice(0, updates.length).map((p) => p.timeS));
    expect(updates.map((u) => u.text)).toEqual(decode.partials.slice(0, updates.length).map((p) => p.text));
    const eoq = updates.flatMap((u) => u.eoq);
    expect(updates.map((u) => u.eoqFrom)).toEqual(updates.map((_, i) => updates.slice(0, i).reduce((n, u) => n + u.eoq.length, 0)));
    expect(eoq).toEqual(decode.trace.eoqProb.slice(0, eoq.length));
    expect(updates.at(-1)!.events.at(-1)!.type).toBe('final');
    expect(updates.at(-1)!.lattice.arcs.length).toBeGreaterThan(0);
  });

  it('keeps every sample it was given exactly once: the next utterance starts where the last ended', () => {
    const ended = endedOf(feed(new LiveSession(model, { decoding, endpoints }), samples, [999]));
    expect(ended.map((e) => e.utterance)).toEqual(ended.map((_, i) => i));
    expect(concat(ended.map((e) => fromPcm16(e.samples)))).toEqual(fromPcm16(toPcm16(samples)));
    // After the final end-point only the file's tail is left: the stop ends it, with nothing said.
    expect(ended.at(-1)!.reason).toBe('stopped');
    expect(ended.at(-1)!.text).toBe('');
  });

  it('cuts an utterance with no end-point at the longest it may be', () => {
    const silence = new Float32Array(16000 * 3);
    const ended = endedOf(feed(new LiveSession(model, { decoding, endpoints, maxUtteranceS: 1 }), silence, [1600]));
    expect(ended.map((e) => [e.reason, e.samples.length, e.text])).toEqual([
      ['too-long', 16000, ''],
      ['too-long', 16000, ''],
      ['too-long', 16000, ''],
    ]);
  });
});

describe('capture audio on its way to 16 kHz', () => {
  it('resampled from 48 kHz in odd-sized pieces, equals the whole file resampled at once', async () => {
    const at48k = await resample(samples, 16000, 48000);
    const whole = await resample(at48k, 48000, 16000);
    const streaming = await createResampler(48000, 16000);
    const pieces: Float32Array[] = [];
    for (let at = 0; at < at48k.length; at += 4801) pieces.push(streaming.process(at48k.subarray(at, at + 4801)));
    pieces.push(streaming.flush());
    expect(concat(pieces)).toEqual(whole);
    expect(whole.length).toBe(samples.length);
  });
});
