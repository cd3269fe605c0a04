import { describe, expect, it } from 'vitest';
import { endpointQualityUnits, evaluateOnResults } from '../../../src/engine/endpoint/evaluate-results';
import { decodeEndpointsField, sweepResultLines, utteranceFromResultLine, type DecodeResultLine } from '../../../src/engine/endpoint/sweep-results-file';
import { syntheticCorpus } from '../../../src/engine/endpoint/synthetic-stream';

/** Synthetic utterances written the way `earshot decode` lines arrive (through JSON). */
function resultLines(count: number): DecodeResultLine[] {
  return syntheticCorpus(count, 11).map((u) =>
    JSON.parse(
      JSON.stringify({
        id: u.stream.id,
        hyp: u.stream.text,
        nbest: [{ text: u.stream.text, tokens: u.stream.tokens, score: 0, acousticScore: 0, biasScore: 0 }],
        trace: { ...u.stream.trace, logEnergy: u.stream.trace.logEnergy.map((e, t) => (t === 0 ? -Infinity : e)) },
        partials: u.stream.partials,
        reference: { text: u.referenceText, speechEndS: u.reference.endS },
      }),
    ),
  );
}

describe('sweep over a decode results file', () => {
  it('reads a line: trace, tokens, reference end and text, null energies as silence', () => {
    const u = utteranceFromResultLine(resultLines(1)[0], 0);
    expect(u.reference.source).toBe('labels');
    expect(u.stream.trace.logEnergy[0]).toBe(-Infinity);
    expect(u.stream.tokens.length).toBeGreaterThan(0);
    expect(u.referenceText).toBe(u.stream.text);
  });

  it('accepts manifest spellings and falls back to the last emission', () => {
    const [line] = resultLines(1);
    const manifest = utteranceFromResultLine({ ...line, reference: undefined, speech_segments: [] }, 0);
    expect(manifest.reference).toEqual({ endS: null, source: 'labels' });
    expect(utteranceFromResultLine({ ...line, reference: undefined }, 0).reference.source).toBe('last-emission');
    expect(() => utteranceFromResultLine({ id: 'x' } as unknown as DecodeResultLine, 4)).toThrow(/line 5/);
  });

  it('returns the sweep JSON with its options', async () => {
    const file = await sweepResultLines(resultLines(60));
    expect(file.utterances).toBe(60);
    expect(file.points).toHaveLength(500);
    expect(file.options.finalCutoffBudget).toBe(0.01);
  });

  it('gives `earshot decode` its endpoints field', () => {
    const field = decodeEndpointsField(utteranceFromResultLine(resultLines(1)[0], 0));
    expect(Object.keys(field).sort()).toEqual(['final_s', 'reference_end_s', 'reference_source', 'resets', 'speculative_s']);
    expect(field.final_s).not.toBeNull();
    expect(field.speculative_s!).toBeLessThanOrEqual(field.final_s!);
  });

  it('computes every benchmark quality figure, the lead and both gains included', async () => {
    const { metrics, recommended } = await evaluateOnResults(resultLines(200));
    expect(recommended).toMatch(/^qualifies: speculative .*; final /);
    for (const key of Object.keys(endpointQualityUnits)) expect(metrics, key).toHaveProperty(key);
    expect(metrics.spec_lead_p50_ms!).toBeGreaterThanOrEqual(150);
    expect(metrics.p50_gain_vs_sherpa!).toBeGreaterThan(1);
    expect(metrics.p50_gain_vs_silero!).toBeGreaterThan(0);
  });
});
