import type { FrameTrace } from '../../shared/domain/decode';
import type { ReferenceEnd } from '../../shared/domain/endpoint';
import { energyAt } from '../../shared/endpoint/non-speech';

/** What is known about the true end of speech of one utterance, best first. */
export interface ReferenceLabels {
  /** A user's annotation in the workbench (s). */
  annotationEndS?: number | null;
  /** `speech_end` of an Earshot manifest line (s). */
  speechEndS?: number | null;
  /** `speech_segments` of real-speech/endpoints.jsonl: [start, end] pairs (s); [] means no speech. */
  speechSegments?: ReadonlyArray<readonly [number, number]> | null;
}

/** Energy within this many dB of the utterance's loudest frame counts as speech. */
export const REFERENCE_ENERGY_FLOOR_DB = 35;

/**
 * The reference end of speech and where it came from: an annotation, then labels, then the
 * model's last non-blank emission, then an energy estimate. Emissions come before energy
 * because background noise keeps energy up; energy is the fallback for a model that emitted
 * nothing on audio that may still hold speech.
 */
export function referenceEnd(trace: FrameTrace, labels: ReferenceLabels = {}): ReferenceEnd {
  if (isTime(labels.annotationEndS)) return { endS: labels.annotationEndS, source: 'annotation' };
  if (isTime(labels.speechEndS)) return { endS: labels.speechEndS, source: 'labels' };
  if (labels.speechSegments) {
    const ends = labels.speechSegments.map((segment) => segment[1]);
    return { endS: ends.length > 0 ? Math.max(...ends) : null, source: 'labels' };
  }
  const lastEmission = lastEmissionEndS(trace);
  if (lastEmission !== null) return { endS: lastEmission, source: 'last-emission' };
  const energyEnd = energyEndS(trace);
  if (energyEnd !== null) return { endS: energyEnd, source: 'energy' };
  return { endS: null, source: 'none' };
}

function isTime(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** End of the last frame at which the 1-best emitted a token, or null. */
export function lastEmissionEndS(trace: FrameTrace): number | null {
  for (let t = trace.numFrames - 1; t >= 0; t--) {
    if (trace.emitted[t] > 0) return (t + 1) * trace.frameShiftS;
  }
  return null;
}

/** End of the last frame within `floorDb` of the loudest one, or null without energy. */
export function energyEndS(trace: FrameTrace, floorDb = REFERENCE_ENERGY_FLOOR_DB): number | null {
  let peak = -Infinity;
  for (let t = 0; t < trace.numFrames; t++) peak = Math.max(peak, energyAt(trace, t));
  if (peak === -Infinity) return null;
  const threshold = peak - (floorDb * Math.LN10) / 10;
  for (let t = trace.numFrames - 1; t >= 0; t--) {
    if (energyAt(trace, t) >= threshold) return (t + 1) * trace.frameShiftS;
  }
  return null;
}
