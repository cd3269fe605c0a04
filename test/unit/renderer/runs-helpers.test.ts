import { describe, expect, it } from 'vitest';
import type { ComparedUtterance } from '@shared/domain/compare';
import { difference, filterRows } from '../../../src/renderer/src/runs/ab-rows';
import { describeRunSettings, suggestRunName } from '../../../src/renderer/src/runs/run-labels';

const row = (id: string, over: Partial<ComparedUtterance>): ComparedUtterance => ({
  id,
  reference: 'a b',
  hypA: 'a b',
  hypB: 'a b',
  words: 2,
  errorsA: 0,
  errorsB: 0,
  werA: 0,
  werB: 0,
  wordsChanged: 0,
  latencyA: 0.3,
  latencyB: 0.3,
  firedA: true,
  firedB: true,
  cutOffA: false,
  cutOffB: false,
  verdict: 'same',
  ...over,
});

describe('the A/B table filters', () => {
  const rows = [row('same', {}), row('worse', { verdict: 'worse', errorsB: 1, wordsChanged: 1 }), row('better', { verdict: 'better', errorsA: 1, wordsChanged: 1 }), row('cut', { cutOffB: true })];

  it('keep the utterances B made worse, better, changed, or cut off differently', () => {
    expect(filterRows(rows, 'all').map((r) => r.id)).toEqual(['same', 'worse', 'better', 'cut']);
    expect(filterRows(rows, 'worse').map((r) => r.id)).toEqual(['worse']);
    expect(filterRows(rows, 'better').map((r) => r.id)).toEqual(['better']);
    expect(filterRows(rows, 'changed').map((r) => r.id)).toEqual(['worse', 'better']);
    expect(filterRows(rows, 'cutoff').map((r) => r.id)).toEqual(['cut']);
  });

  it('give B − A only where both figures exist', () => {
    expect(difference(10, 25)).toBe(15);
    expect(difference(null, 25)).toBeNull();
  });
});

describe('run labels', () => {
  it('say a run\'s model, search and biasing in a line', () => {
    const run = { model: { id: 'earshot-rnnt', config: {} }, decoding: { beam: 4, shallowFusion: true, attentionBias: false, fusionBoost: 3, variant: 'int8' as const }, context: { mode: 'list' as const, entries: [{ phrase: 'yes' }, { phrase: 'go' }] } };
    expect(describeRunSettings(run)).toBe('earshot-rnnt · beam 4 · one list of 2 · fusion 3, no attention');
    expect(describeRunSettings({ ...run, decoding: { ...run.decoding, beam: 1 }, context: { mode: 'per-utterance', entries: [] } })).toBe('earshot-rnnt · greedy · utterance names · fusion 3, no attention');
  });

  it('propose a name from what the re-run changes, never one already taken', () => {
    const change = { contextMode: 'list' as const, entries: 6, beam: 4, shallowFusion: true, attentionBias: true, boost: 3, lmWeight: null, lmBonus: null };
    expect(suggestRunName(change, ['run 1'])).toBe('list of 6, boost 3');
    expect(suggestRunName(change, ['run 1', 'list of 6, boost 3'])).toBe('list of 6, boost 3 (2)');
    expect(suggestRunName({ ...change, contextMode: 'per-utterance', entries: 0, boost: null, beam: 8, attentionBias: false }, [])).toBe('beam 8, no attention');
  });

  it('name the token LM a run fused, from its own setting or else what its model record says was fused', () => {
    const run = { model: { id: 'earshot-rnnt', config: { lmWeight: 0.4, lmBonus: 0.5 } }, decoding: { beam: 4, shallowFusion: true, attentionBias: true, variant: 'int8' as const }, context: { mode: 'per-utterance' as const, entries: [] } };
    expect(describeRunSettings(run)).toBe('earshot-rnnt · beam 4, LM 0.4 · utterance names · fusion, attention');
    expect(describeRunSettings({ ...run, decoding: { ...run.decoding, lmWeight: 0 } })).toBe('earshot-rnnt · beam 4, no LM · utterance names · fusion, attention');
    expect(describeRunSettings({ ...run, decoding: { ...run.decoding, lmWeight: 0.8, lmBonus: 1 } })).toBe('earshot-rnnt · beam 4, LM 0.8, bonus 1 · utterance names · fusion, attention');
    // Greedy search never fuses the LM, whatever the run asked for.
    expect(describeRunSettings({ ...run, decoding: { ...run.decoding, beam: 1, lmWeight: 0.8 } })).toBe('earshot-rnnt · greedy, no LM · utterance names · fusion, attention');
    // A model without an LM (or a result from before LMs) says nothing about one.
    expect(describeRunSettings({ ...run, model: { id: 'tiny', config: {} } })).toBe('tiny · beam 4 · utterance names · fusion, attention');
  });

  it('propose "no LM" or the LM weight when the re-run sets one', () => {
    const change = { contextMode: 'per-utterance' as const, entries: 0, beam: 4, shallowFusion: true, attentionBias: true, boost: null, lmWeight: 0, lmBonus: null };
    expect(suggestRunName(change, [])).toBe('no LM');
    expect(suggestRunName({ ...change, lmBonus: 2 }, [])).toBe('no LM');
    expect(suggestRunName({ ...change, lmWeight: 0.6, lmBonus: 2 }, [])).toBe('LM 0.6, LM bonus 2');
    expect(suggestRunName({ ...change, lmWeight: null }, [])).toBe('again');
  });
});
