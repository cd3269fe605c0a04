import type { FrameTrace } from '@shared/domain/decode';
import type { EndpointKnobs } from '@shared/domain/endpoint';

/** 10·log10(x) = DB_PER_NEPER·ln(x): the trace's log energy is a natural log. */
const DB_PER_NEPER = 10 / Math.LN10;

/**
 * Trailing non-speech (s) at each encoder frame, as the end-pointer counts it with these
 * knobs: frames since the last one that was speech. `blank` counts frames where the 1-best
 * emitted nothing; `energy` frames at least `energyFloorDb` below the loudest so far;
 * `blank-and-energy` needs both. Drawn under the trailing-silence threshold lines.
 */
export function trailingSilence(trace: FrameTrace, knobs: Pick<EndpointKnobs, 'nonSpeech' | 'energyFloorDb'>): Float32Array {
  const out = new Float32Array(trace.numFrames);
  let loudestDb = -Infinity;
  let run = 0;
  for (let f = 0; f < trace.numFrames; f++) {
    const db = (trace.logEnergy[f] ?? -Infinity) * DB_PER_NEPER;
    loudestDb = Math.max(loudestDb, db);
    const blank = (trace.emitted[f] ?? 0) === 0;
    const quiet = db <= loudestDb - knobs.energyFloorDb;
    const nonSpeech = knobs.nonSpeech === 'blank' ? blank : knobs.nonSpeech === 'energy' ? quiet : blank && quiet;
    run = nonSpeech ? run + 1 : 0;
    out[f] = run * trace.frameShiftS;
  }
  return out;
}
