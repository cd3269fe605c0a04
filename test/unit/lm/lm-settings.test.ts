/**
 * The token LM a model fuses by default reaches what the workbench is told about the model, what
 * a decode's record says it ran with, a run's settings and the session file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeOptionsSchema } from '../../../src/shared/api';
import type { ModelDecoding } from '../../../src/engine/asr/model-dir';
import { describeModel } from '../../../src/engine/asr/model-info';
import { summarizeModel } from '../../../src/engine/models/model-folders';
import { decodeSettingsOf } from '../../../src/engine/models/model-provenance';
import { runDecodingOf, runDecodingOfConfig, sameRunSettings } from '../../../src/engine/runs/run-settings';
import { loadSession } from '../../../src/engine/session/load-session';
import { PathGuard } from '../../../src/engine/session/path-guard';
import { saveSession } from '../../../src/engine/session/save-session';
import { sampleSession } from '../session/session-fixtures';
import { modelWithTokenLm } from './model-with-token-lm';

const tiny = join(__dirname, '..', '..', 'fixtures', 'tiny-model');
const work = mkdtempSync(join(tmpdir(), 'earshot-lm-settings-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const options = (over: object = {}) => decodeOptionsSchema.parse(over);
const withLm: ModelDecoding = { maxSymbolsPerFrame: 1, fusionBoost: 1.5, fusion: 'words', tailPaddingS: 0, lm: { file: '/m/lm/tokens.arpa', weight: 0.4, tokenBonus: 0.5 } };
const withoutLm: ModelDecoding = { maxSymbolsPerFrame: 1, fusionBoost: 1.5, fusion: 'words', tailPaddingS: 0 };

describe('the model info the workbench gets', () => {
  it("carries the model's token LM: its file in the folder, weight and per-token bonus", () => {
    const dir = modelWithTokenLm(tiny, join(work, 'with-lm'), { weight: 0.3, token_bonus: 1.25 });
    const info = describeModel(dir);
    expect(info.decoding.lm).toEqual({ file: join('lm', 'tokens-4gram.arpa'), weight: 0.3, tokenBonus: 1.25 });
    expect(summarizeModel(info).lm).toEqual({ weight: 0.3, tokenBonus: 1.25 });
  });

  it('has no LM for a model that names none', () => {
    const info = describeModel(tiny);
    expect(info.decoding.lm).toBeUndefined();
    expect(summarizeModel(info).lm).toBeUndefined();
  });
});

describe("a decode's record of its settings", () => {
  it("gives the LM weights fused: the model's, or the request's", () => {
    expect(decodeSettingsOf(options(), { decoding: withLm, variant: 'int8' })).toMatchObject({ beam: 4, lmWeight: 0.4, lmBonus: 0.5 });
    expect(decodeSettingsOf(options({ lmWeight: 0.9, lmBonus: -1 }), { decoding: withLm, variant: 'int8' })).toMatchObject({ lmWeight: 0.9, lmBonus: -1 });
  });

  it('says weight 0 when the LM was off or greedy search could not fuse it', () => {
    const off = decodeSettingsOf(options({ lmWeight: 0 }), { decoding: withLm, variant: 'int8' });
    expect(off.lmWeight).toBe(0);
    expect(off).not.toHaveProperty('lmBonus');
    expect(decodeSettingsOf(options({ beam: 1 }), { decoding: withLm, variant: 'int8' }).lmWeight).toBe(0);
  });

  it('says nothing of an LM for a model without one', () => {
    const settings = decodeSettingsOf(options(), { decoding: withoutLm, variant: 'int8' });
    expect(settings).not.toHaveProperty('lmWeight');
    expect(settings).not.toHaveProperty('lmBonus');
  });
});

describe("a run's settings", () => {
  const model = { id: 'm', dir: '/m', sha256: 'abc', config: {} };
  const context = { mode: 'per-utterance' as const, entries: [] };

  it('keep the LM weight and bonus the request set, and none it left to the model', () => {
    expect(runDecodingOf(options({ lmWeight: 0, lmBonus: 1 }))).toMatchObject({ lmWeight: 0, lmBonus: 1 });
    expect(runDecodingOf(options())).not.toHaveProperty('lmWeight');
  });

  it('tell a run without the LM from one with the default', () => {
    const defaults = { model, decoding: runDecodingOf(options()), context, endpoints: {} };
    const noLm = { ...defaults, decoding: runDecodingOf(options({ lmWeight: 0 })) };
    expect(sameRunSettings(defaults, noLm)).toBe(false);
    expect(sameRunSettings(noLm, { ...noLm, decoding: runDecodingOf(options({ lmWeight: 0 })) })).toBe(true);
  });

  it("come back from a model record's config, out-of-range weights left out", () => {
    expect(runDecodingOfConfig({ beam: 4, lmWeight: 0.4, lmBonus: 0.5 })).toMatchObject({ lmWeight: 0.4, lmBonus: 0.5 });
    expect(runDecodingOfConfig({ beam: 4, lmWeight: -3, lmBonus: 'x' })).not.toHaveProperty('lmWeight');
  });
});

describe('the session file', () => {
  it("keeps each run's LM setting through save and load", async () => {
    const session = sampleSession();
    const runs = [session.runs[0], { ...session.runs[0], id: 'run-2', name: 'no LM', decoding: { ...session.runs[0].decoding, lmWeight: 0 } }, { ...session.runs[0], id: 'run-3', name: 'LM 0.8', decoding: { ...session.runs[0].decoding, lmWeight: 0.8, lmBonus: 1 } }];
    const file = join(work, 'lm.earshot.json');
    const guard = new PathGuard([work]);
    await saveSession(file, { ...session, runs }, { guard });
    const { session: loaded } = await loadSession(file, { guard });
    expect(loaded.runs.map((r) => [r.name, r.decoding.lmWeight, r.decoding.lmBonus])).toEqual([
      ['run 1', undefined, undefined],
      ['no LM', 0, undefined],
      ['LM 0.8', 0.8, 1],
    ]);
  });
});
