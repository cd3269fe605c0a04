import type { FrameTrace, PartialResult, TokenEmission, VadTracks } from '../../shared/domain/decode';
import { detokenize, type EndpointStream } from './endpoint-stream';
import type { EvaluationUtterance } from './metrics';
import { mulberry32 } from '../metrics/seeded-random';

/**
 * Synthetic but realistic decoded streams, for tests, the benchmark and demos before real
 * decodes exist: leading silence, words whose tokens the transducer emits a frame or two after
 * their acoustics, optional mid-utterance pauses (where the end-of-query head may wrongly rise),
 * and trailing silence. The labelled end of speech is the end of the last word's audio.
 */
export interface SyntheticOptions {
  frameShiftS: number;
  /** Encoder frames per decoded chunk (partials). */
  chunkFrames: number;
  /** Chance of a pause inside the utterance. */
  pauseChance: number;
  /** Whether the model has an end-of-query head. */
  withEoq: boolean;
  maxFrames: number;
}

export const defaultSyntheticOptions: SyntheticOptions = { frameShiftS: 0.04, chunkFrames: 4, pauseChance: 0.3, withEoq: true, maxFrames: 200 };

const VOCABULARY = ['turn', 'on', 'the', 'kitchen', 'lights', 'set', 'a', 'timer', 'for', 'ten', 'minutes', 'play', 'some', 'music', 'what', 'is', 'weather', 'tomorrow', 'call', 'mom', 'please', 'stop'];

export function syntheticUtterance(seed: number, options: SyntheticOptions = defaultSyntheticOptions): EvaluationUtterance {
  const random = mulberry32(seed);
  const between = (lo: number, hi: number): number => lo + (hi - lo) * random();
  const int = (lo: number, hi: number): number => Math.floor(between(lo, hi + 1));

  const frames: Array<{ blank: number; eoq: number; energy: number }> = [];
  const tokenPlan: Array<{ frame: number; symbol: string }> = [];
  const silence = (count: number, eoqTarget: number): void => {
    for (let i = 0; i < count; i++) {
      // The head rises over a few frames after speech stops, with noise.
      const rise = 1 - Math.exp(-(i + 1) / between(1.5, 4));
      const eoq = clamp(eoqTarget * rise + between(-0.04, 0.04), 0.001, 0.999);
      frames.push({ blank: between(0.96, 0.999), eoq, energy: between(-14.5, -13) });
    }
  };

  silence(int(5, 15), 0.05);
  const words = int(2, 9);
  const pauseAfter = random() < options.pauseChance && words > 1 ? int(0, words - 2) : -1;
  const text: string[] = [];
  let speechEndFrame = 0;
  for (let w = 0; w < words; w++) {
    const word = VOCABULARY[int(0, VOCABULARY.length - 1)];
    text.push(word);
    const length = int(3, 8);
    const start = frames.length;
    for (let i = 0; i < length; i++) frames.push({ blank: between(0.3, 0.8), eoq: between(0.005, 0.08), energy: between(-6, -3.5) });
    speechEndFrame = frames.length;
    // Pieces of the word, emitted in order, the last one a frame or two after its audio.
    const pieces = splitWord(word, int(1, Math.min(3, word.length)));
    const lastFrame = start + length - 1 + int(0, 2);
    pieces.forEach((piece, i) => {
      const frame = Math.max(start + i, lastFrame - (pieces.length - 1 - i));
      tokenPlan.push({ frame, symbol: (i === 0 ? '▁' : '') + piece });
    });
    // Most pauses leave the head low; some look like an end (the hard cases for cut-offs).
    if (w === pauseAfter) silence(int(8, 22), random() < 0.15 ? between(0.6, 0.95) : between(0.05, 0.5));
    else if (w < words - 1) silence(int(0, 2), 0.05);
  }
  silence(int(30, 60), between(0.85, 0.99));
  const numFrames = Math.min(frames.length, options.maxFrames);

  const emitted = new Array<number>(numFrames).fill(0);
  const tokens: TokenEmission[] = [];
  for (const planned of tokenPlan) {
    if (planned.frame >= numFrames) break;
    // One token per frame at most, as greedy search emits.
    const frame = Math.max(planned.frame, tokens.length > 0 ? tokens[tokens.length - 1].frame + 1 : 0);
    if (frame >= numFrames) break;
    emitted[frame] = 1;
    tokens.push({ id: 1 + (planned.symbol.charCodeAt(planned.symbol.length - 1) % 500), symbol: planned.symbol, frame, timeS: frame * options.frameShiftS, logProb: Math.log(between(0.5, 0.99)), biasBonus: 0 });
  }
  const kept = frames.slice(0, numFrames);
  const trace: FrameTrace = {
    frameShiftS: options.frameShiftS,
    numFrames,
    blankProb: kept.map((f, t) => (emitted[t] > 0 ? between(0.01, 0.2) : f.blank)),
    bestToken: kept.map((_, t) => (emitted[t] > 0 ? 1 : 0)),
    eoqProb: options.withEoq ? kept.map((f) => f.eoq) : [],
    logEnergy: kept.map((f) => f.energy),
    emitted,
    vad: syntheticVad(kept.map((f) => f.energy > -8), options.frameShiftS, seed),
  };
  const stream: EndpointStream = {
    id: `synthetic-${seed}`,
    trace,
    partials: chunkPartials(trace, tokens, options.chunkFrames),
    tokens,
    text: detokenize(tokens),
  };
  return {
    stream,
    reference: { endS: Math.min(speechEndFrame, numFrames) * options.frameShiftS, source: 'labels' },
    referenceText: text.join(' '),
  };
}

/**
 * Silero-like P(speech) on 32 ms windows and WebRTC-like decisions on 30 ms frames from which
 * encoder frames hold speech, with their own random stream so the traces above do not change.
 */
function syntheticVad(speech: boolean[], frameShiftS: number, seed: number): VadTracks {
  const random = mulberry32(seed ^ 0x5eed);
  const durationS = speech.length * frameShiftS;
  const track = (shift: number, value: (isSpeech: boolean) => number) => ({
    frameShiftS: shift,
    speechProb: Array.from({ length: Math.floor(durationS / shift) }, (_, i) => value(speech[Math.min(speech.length - 1, Math.floor(((i + 0.5) * shift) / frameShiftS))])),
  });
  return {
    silero: track(0.032, (isSpeech) => Math.round((isSpeech ? 0.75 + 0.24 * random() : 0.2 * random()) * 1000) / 1000),
    webrtc: track(0.03, (isSpeech) => (isSpeech || random() < 0.05 ? 1 : 0)),
  };
}

/** `count` utterances with seeds seed, seed + 1, … */
export function syntheticCorpus(count: number, seed = 1, options: SyntheticOptions = defaultSyntheticOptions): EvaluationUtterance[] {
  return Array.from({ length: count }, (_, i) => syntheticUtterance(seed + i, options));
}

/** Partial results at the end of every chunk, as the runtime reports them. */
export function chunkPartials(trace: FrameTrace, tokens: readonly TokenEmission[], chunkFrames: number): PartialResult[] {
  const partials: PartialResult[] = [];
  for (let end = chunkFrames, chunkIndex = 0; end - chunkFrames < trace.numFrames; end += chunkFrames, chunkIndex++) {
    const numFrames = Math.min(end, trace.numFrames);
    partials.push({ chunkIndex, numFrames, timeS: numFrames * trace.frameShiftS, text: detokenize(tokens, numFrames - 1) });
  }
  return partials;
}

function splitWord(word: string, parts: number): string[] {
  const size = Math.ceil(word.length / parts);
  const pieces: string[] = [];
  for (let i = 0; i < word.length; i += size) pieces.push(word.slice(i, i + size));
  return pieces;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
