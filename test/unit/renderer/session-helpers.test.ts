import { describe, expect, it } from 'vitest';
import { annotationEffect } from '../../../src/renderer/src/session/annotation-effect';
import { readView } from '../../../src/renderer/src/session/view-state';
import type { UtteranceSummary } from '../../../src/shared/domain/workbench';

const summary = (wer: number, timeS: number, latencyS: number | null): UtteranceSummary =>
  ({
    id: 'u',
    durationS: 4,
    hyp: 'set a timer',
    errors: { wer, errors: 0, referenceWords: 3, hypothesisWords: 3, substitutions: 0, deletions: 0, insertions: 0 },
    endpoints: { final: { timeS, latencyS } },
  }) as unknown as UtteranceSummary;

describe('the annotation panel helpers', () => {
  it('shows before and after: the data set reference and end against the annotated ones', () => {
    const annotated = { ...summary(0, 4.2, 1.2), unannotated: { errors: { ...summary(0.5, 0, 0).errors!, wer: 0.5 }, finalLatencyS: 0.8 } };
    expect(annotationEffect(annotated)).toEqual({ werBefore: 0.5, werAfter: 0, latencyBeforeS: 0.8, latencyAfterS: 1.2 });
  });

  it('shows no change for an utterance without annotations', () => {
    expect(annotationEffect(summary(0.25, 4.2, 1.2))).toEqual({ werBefore: 0.25, werAfter: 0.25, latencyBeforeS: 1.2, latencyAfterS: 1.2 });
  });

  it('keeps only what is valid of a saved view', () => {
    expect(readView({ selectedId: 'u', pxPerSec: 120, scrollS: 1.5, panel: 'annotations', theme: 'dark' })).toEqual({ selectedId: 'u', pxPerSec: 120, scrollS: 1.5, panel: 'annotations', theme: 'dark' });
    expect(readView({ selectedId: 3, pxPerSec: -1, scrollS: 'x', panel: 'nope', theme: 'blue' })).toEqual({ selectedId: undefined, pxPerSec: undefined, scrollS: undefined, panel: undefined, theme: undefined });
  });
});
