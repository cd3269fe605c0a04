/**
 * Evaluation trace sets: what the end-pointers read of each utterance (the recognizer's
 * per-frame trace, chunk times, the 1-best's emissions and both VADs), decoded once from
 * audio, so sweeps and the benchmark re-score every end-pointer without decoding again.
 * Each recording gets `padS` of its own background appended (see continue-background.ts).
 */
import type { DecodeResult } from '../../shared/domain/decode';
import { decodeAudioFile } from '../audio/decode-audio';
import { continueBackground } from '../audio/continue-background';
import { decodeSamples } from '../asr/decode-utterance';
import type { DecodeOptions } from '../asr/stream-decoder';
import type { TransducerModel } from '../asr/transducer-model';
import { vadTracks } from '../vad/vad-tracks';
import type { DecodeResultLine } from './sweep-results-file';

const RATE = 16000;

/** Seconds of background appended to every evaluation recording. */
export const EVALUATION_PAD_S = 2;

export interface LabelledRecording {
  id: string;
  /** Path to read the audio from. */
  path: string;
  text: string | null;
  /** Reference end of speech (s); null when the recording holds no speech. */
  speechEndS: number | null;
}

const round = (digits: number) => {
  const scale = 10 ** digits;
  return (x: number): number => (Number.isFinite(x) ? Math.round(x * scale) / scale : x);
};

/** A decode as a compact results line: only what the end-pointer metrics read, rounded. */
export function traceLine(recording: Pick<LabelledRecording, 'id' | 'text' | 'speechEndS'>, decode: DecodeResult, audio: string): DecodeResultLine {
  const { trace } = decode;
  const r3 = round(3);
  return {
    id: recording.id,
    audio,
    hyp: decode.hyp,
    nbest: [{ text: decode.nbest[0]?.text ?? decode.hyp, tokens: (decode.nbest[0]?.tokens ?? []).map((t) => ({ ...t, timeS: r3(t.timeS), logProb: r3(t.logProb), biasBonus: r3(t.biasBonus) })), score: 0, acousticScore: 0, biasScore: 0 }],
    trace: {
      frameShiftS: trace.frameShiftS,
      numFrames: trace.numFrames,
      blankProb: trace.blankProb.map(r3),
      bestToken: [],
      eoqProb: trace.eoqProb.map(r3),
      logEnergy: trace.logEnergy.map(round(2)),
      emitted: trace.emitted,
      vad: trace.vad && {
        silero: trace.vad.silero && { frameShiftS: trace.vad.silero.frameShiftS, speechProb: trace.vad.silero.speechProb.map(r3) },
        webrtc: trace.vad.webrtc,
      },
    },
    partials: decode.partials.map((p) => ({ chunkIndex: p.chunkIndex, numFrames: p.numFrames, timeS: r3(p.timeS), text: '' })),
    reference: { text: recording.text, speechEndS: recording.speechEndS, speechSegments: recording.speechEndS === null ? [] : null },
  };
}

/** Decodes one recording (plus its background continuation) with both VADs. */
export async function decodeForEndpointing(model: TransducerModel, path: string, options: DecodeOptions = {}, padS = EVALUATION_PAD_S): Promise<DecodeResult> {
  const audio = await decodeAudioFile(path, { targetRate: RATE });
  const samples = continueBackground(audio.samples, RATE, padS);
  const decode = decodeSamples(model, samples, options, path);
  decode.trace.vad = await vadTracks(samples);
  return decode;
}
