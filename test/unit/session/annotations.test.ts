import { describe, expect, it } from 'vitest';
import { annotate, annotationOf, metricReference, patchAnnotation, EMPTY_ANNOTATION } from '../../../src/engine/session/annotations';
import { SessionError } from '../../../src/engine/session/session-error';
import { utteranceMetrics } from '../../../src/engine/session/utterance-metrics';
import { sampleSession } from './session-fixtures';

describe('annotations', () => {
  it('patches fields, clears them with null and de-duplicates tags and flags', () => {
    const a = patchAnnotation(EMPTY_ANNOTATION, { correctedText: 'x', trueEndS: 1, tags: ['noisy', ' noisy ', ''], flags: ['bad-cutoff', 'bad-cutoff'] });
    expect(a).toEqual({ correctedText: 'x', trueEndS: 1, tags: ['noisy'], notes: '', flags: ['bad-cutoff'] });
    expect(patchAnnotation(a, { correctedText: null, notes: 'n' })).toEqual({ trueEndS: 1, tags: ['noisy'], notes: 'n', flags: ['bad-cutoff'] });
  });

  it('drops an annotation that becomes empty and leaves the input session untouched', () => {
    const session = sampleSession();
    const marked = annotate(session, 'a', { tags: ['t'] });
    expect(annotationOf(marked, 'a').tags).toEqual(['t']);
    expect(session.annotations).toEqual({});
    expect(annotate(marked, 'a', { tags: [] }).annotations).toEqual({});
  });

  it('refuses unknown utterances and is safe with prototype-like ids', () => {
    expect(() => annotate(sampleSession(), 'nope', { notes: 'x' })).toThrow(SessionError);
    const session = sampleSession();
    session.utterances.push({ id: 'toString', recordingId: 'a', endpoints: [] });
    const marked = annotate(session, 'toString', { notes: 'x' });
    expect(Object.keys(marked.annotations)).toEqual(['toString']);
    expect(annotationOf(marked, 'toString').notes).toBe('x');
    expect(annotationOf(session, 'constructor')).toBe(EMPTY_ANNOTATION);
  });

  it('feeds metrics: a corrected transcript changes WER, a marked end changes latency', () => {
    const session = sampleSession();
    const before = utteranceMetrics(session)[0];
    expect(before.textSource).toBe('dataset');
    expect(before.errors?.wer).toBe(0.5); // "hello word" vs "hello world"
    expect(before.endpoints[0].latencyS).toBeCloseTo(0.2);

    const annotated = annotate(session, 'a', { correctedText: 'hello world', trueEndS: 1.0 });
    const after = utteranceMetrics(annotated)[0];
    expect(after).toMatchObject({ textSource: 'corrected', referenceText: 'hello world', endSource: 'marked', referenceEndS: 1.0 });
    expect(after.errors?.wer).toBe(0);
    expect(after.endpoints[0].latencyS).toBeCloseTo(0.1);
  });

  it('says where each part of the reference came from', () => {
    const u = sampleSession().utterances[1];
    expect(metricReference(u, EMPTY_ANNOTATION)).toEqual({ text: 'second one', textSource: 'dataset', speechEndS: undefined, endSource: 'none' });
  });
});
