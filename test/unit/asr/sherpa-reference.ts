/**
 * Test and benchmark helper: decodes with sherpa-onnx-node (the reference Earshot's runtime
 * must equal), one whole utterance per stream, the way sherpa-onnx's examples do.
 */
import { createRequire } from 'node:module';
import type { ModelSpec } from '../../../src/engine/asr/model-dir';

interface SherpaStream {
  acceptWaveform(w: { samples: Float32Array; sampleRate: number }): void;
  inputFinished(): void;
}
interface SherpaRecognizer {
  createStream(): SherpaStream;
  isReady(s: SherpaStream): boolean;
  decode(s: SherpaStream): void;
  getResult(s: SherpaStream): { text: string; tokens: string[]; timestamps: number[]; num_trailing_blanks: number };
}

export type SherpaMethod = 'greedy_search' | 'modified_beam_search';

export interface SherpaDecode {
  /** The text as sherpa-onnx reports it, lower case, spaces collapsed. */
  text: string;
  symbols: string[];
  /** Encoder frame of each token (sherpa reports seconds at 40 ms a frame). */
  frames: number[];
  /** Encoder frames after the last emission: what sherpa-onnx's end-pointer counts. */
  trailingBlanks: number;
}

/** sherpa-onnx's hotwords file for a character vocabulary: tokens split by spaces, ▁ between words. */
export function sherpaHotwords(phrases: readonly string[]): string {
  return phrases.map((p) => p.split(' ').map((w) => [...w].join(' ')).join(' ▁ ')).join('\n') + '\n';
}

export function sherpaRecognizer(spec: ModelSpec, method: SherpaMethod, maxActivePaths = 4, hotwords?: { file: string; score: number }, numThreads = 1): SherpaRecognizer {
  const require = createRequire(import.meta.url);
  const sherpa = require('sherpa-onnx-node') as { OnlineRecognizer: new (config: unknown) => SherpaRecognizer };
  return new sherpa.OnlineRecognizer({
    featConfig: { sampleRate: 16000, featureDim: spec.featureDim },
    modelConfig: {
      transducer: { encoder: spec.files.encoder, decoder: spec.files.decoder, joiner: spec.files.joiner },
      tokens: spec.files.tokens,
      numThreads,
      provider: 'cpu',
      debug: 0,
      modelingUnit: 'cjkchar',
    },
    decodingMethod: method,
    maxActivePaths,
    enableEndpoint: 0,
    ...(hotwords ? { hotwordsFile: hotwords.file, hotwordsScore: hotwords.score } : {}),
  });
}

export function sherpaDecode(recognizer: SherpaRecognizer, samples: Float32Array): SherpaDecode {
  const stream = recognizer.createStream();
  stream.acceptWaveform({ samples, sampleRate: 16000 });
  stream.inputFinished();
  while (recognizer.isReady(stream)) recognizer.decode(stream);
  const r = recognizer.getResult(stream);
  return {
    text: r.text.trim().toLowerCase().replace(/\s+/g, ' '),
    // sherpa-onnx shows the word boundary ▁ as a space inside its token symbols.
    symbols: r.tokens.map((t) => t.replaceAll(' ', '▁')),
    frames: r.timestamps.map((s) => Math.round(s / 0.04)),
    trailingBlanks: r.num_trailing_blanks,
  };
}
