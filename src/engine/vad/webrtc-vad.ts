/**
 * WebRTC's voice-activity detector (libfvad, BSD-3-Clause, as WASM in `@echogarden/fvad-wasm`):
 * a Gaussian-mixture speech/noise classifier on 30 ms frames. Aggressiveness mode 3 (the most
 * aggressive: fewest noise frames called speech), as voice stacks that use it for end-pointing
 * usually set it.
 */
import fvad from '@echogarden/fvad-wasm';
import type { VadTrack } from '../../shared/domain/decode';

const RATE = 16000;
const FRAME = 480;
export const WEBRTC_MODE = 3;

interface FvadModule {
  _fvad_new(): number;
  _fvad_free(handle: number): void;
  _fvad_set_mode(handle: number, mode: number): number;
  _fvad_set_sample_rate(handle: number, rate: number): number;
  _fvad_process(handle: number, frame: number, length: number): number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAP16: Int16Array;
}

let module: Promise<FvadModule> | undefined;

/** Speech (1) or not (0) for every whole 30 ms frame of 16 kHz samples; a short last frame is zero-padded. */
export async function webrtcTrack(samples: Float32Array): Promise<VadTrack> {
  module ??= fvad() as Promise<FvadModule>;
  const m = await module;
  const handle = m._fvad_new();
  const buffer = m._malloc(FRAME * 2);
  try {
    if (m._fvad_set_mode(handle, WEBRTC_MODE) !== 0 || m._fvad_set_sample_rate(handle, RATE) !== 0) throw new Error('libfvad refused mode 3 at 16 kHz');
    const speechProb: number[] = [];
    for (let at = 0; at < samples.length; at += FRAME) {
      // HEAP16 is re-read each frame: it is replaced whenever the WASM memory grows.
      const heap = m.HEAP16.subarray(buffer >> 1, (buffer >> 1) + FRAME);
      for (let i = 0; i < FRAME; i++) {
        const x = at + i < samples.length ? samples[at + i] : 0;
        heap[i] = Math.max(-32768, Math.min(32767, Math.round(x * 32768)));
      }
      const result = m._fvad_process(handle, buffer, FRAME);
      if (result < 0) throw new Error('libfvad rejected a frame');
      speechProb.push(result);
    }
    return { frameShiftS: FRAME / RATE, speechProb };
  } finally {
    m._free(buffer);
    m._fvad_free(handle);
  }
}
