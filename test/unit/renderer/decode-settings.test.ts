import { describe, expect, it } from 'vitest';
import { decodeOptionsOf, leavesModelSettings, lmInEffect, type SearchSettings } from '../../../src/renderer/src/state/decode-settings';

const modelOwn: SearchSettings = { shallowFusion: true, attentionBias: true, fusionBoost: null, maxSymbolsPerFrame: null, latticeBeam: null, lmWeight: null, lmBonus: null, tailPaddingS: null };
const withLm = { maxSymbolsPerFrame: 2, fusionBoost: 1.5, tailPaddingS: 0, lm: { file: 'lm/tokens-4gram.arpa', weight: 0.4, tokenBonus: 0.5 } };

describe('the search settings a decode request sends', () => {
  it('leave every unset setting to the model, the LM weight and bonus included', () => {
    expect(decodeOptionsOf(modelOwn, [])).toEqual({ context: [], shallowFusion: true, attentionBias: true });
  });

  it('send an LM weight of 0 (the LM off) as a setting, not as the model default', () => {
    const options = decodeOptionsOf({ ...modelOwn, lmWeight: 0, fusionBoost: 3 }, [{ phrase: 'anna' }]);
    expect(options).toEqual({ context: [{ phrase: 'anna' }], shallowFusion: true, attentionBias: true, lmWeight: 0, fusionBoost: 3 });
    expect(decodeOptionsOf({ ...modelOwn, lmWeight: 0.8, lmBonus: -1 }, [])).toMatchObject({ lmWeight: 0.8, lmBonus: -1 });
  });

  it('send a tail padding of 0 (none) as a setting too', () => {
    expect(decodeOptionsOf({ ...modelOwn, tailPaddingS: 0 }, [])).toMatchObject({ tailPaddingS: 0 });
  });
});

describe("whether the data set's cached analysis serves", () => {
  it('holds only while every setting is the model\'s own', () => {
    expect(leavesModelSettings(modelOwn)).toBe(true);
    expect(leavesModelSettings({ ...modelOwn, lmWeight: 0 })).toBe(false);
    expect(leavesModelSettings({ ...modelOwn, lmWeight: 0.4 })).toBe(false);
    expect(leavesModelSettings({ ...modelOwn, lmBonus: 1 })).toBe(false);
    expect(leavesModelSettings({ ...modelOwn, fusionBoost: 2 })).toBe(false);
    expect(leavesModelSettings({ ...modelOwn, attentionBias: false })).toBe(false);
    expect(leavesModelSettings({ ...modelOwn, tailPaddingS: 0.6 })).toBe(false);
  });
});

describe('the token LM a decode fuses', () => {
  it("is the model's with its weights while the settings are unset", () => {
    expect(lmInEffect(modelOwn, withLm)).toEqual({ weight: 0.4, bonus: 0.5 });
  });

  it('takes the weight and bonus set, and is off at weight 0', () => {
    expect(lmInEffect({ lmWeight: 1.2, lmBonus: null }, withLm)).toEqual({ weight: 1.2, bonus: 0.5 });
    expect(lmInEffect({ lmWeight: null, lmBonus: 2 }, withLm)).toEqual({ weight: 0.4, bonus: 2 });
    expect(lmInEffect({ lmWeight: 0, lmBonus: 2 }, withLm)).toBeNull();
  });

  it('is none for a model without an LM', () => {
    expect(lmInEffect(modelOwn, { maxSymbolsPerFrame: 1, fusionBoost: 1.5, tailPaddingS: 0 })).toBeNull();
    expect(lmInEffect(modelOwn, undefined)).toBeNull();
  });
});
