import { describe, expect, it } from 'vitest';
import { energyEndS, lastEmissionEndS, referenceEnd } from '../../../src/engine/endpoint/reference-end';
import { silence, stream } from './trace-builder';

describe('reference end of speech', () => {
  const { trace } = stream(`${silence(5)}W---W--${silence(20)}`);

  it('prefers an annotation, then labels, recording the source', () => {
    expect(referenceEnd(trace, { annotationEndS: 0.5, speechEndS: 0.4 })).toEqual({ endS: 0.5, source: 'annotation' });
    expect(referenceEnd(trace, { speechEndS: 0.4 })).toEqual({ endS: 0.4, source: 'labels' });
    expect(referenceEnd(trace, { speechSegments: [[0.24, 1.8], [2.88, 12.12]] })).toEqual({ endS: 12.12, source: 'labels' });
  });

  it('empty speech segments label the audio speech-free', () => {
    expect(referenceEnd(trace, { speechSegments: [] })).toEqual({ endS: null, source: 'labels' });
  });

  it('falls back to the last non-blank emission', () => {
    expect(lastEmissionEndS(trace)).toBeCloseTo(10 * 0.04);
    expect(referenceEnd(trace)).toEqual({ endS: lastEmissionEndS(trace), source: 'last-emission' });
  });

  it('falls back to energy when nothing was emitted', () => {
    const quiet = { ...trace, emitted: trace.emitted.map(() => 0) };
    expect(energyEndS(quiet)).toBeCloseTo(12 * 0.04);
    expect(referenceEnd(quiet).source).toBe('energy');
  });

  it('reads null log energies (digital silence through JSON) as silence', () => {
    const digital = { ...trace, emitted: trace.emitted.map(() => 0), logEnergy: trace.logEnergy.map(() => null as unknown as number) };
    expect(referenceEnd(digital)).toEqual({ endS: null, source: 'none' });
  });
});
