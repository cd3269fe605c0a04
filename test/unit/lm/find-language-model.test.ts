import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLanguageModel } from '../../../src/engine/lm/find-language-model';
import { listModels } from '../../../src/engine/models/model-folders';

const small = join(__dirname, '..', '..', 'fixtures', 'lm', 'cloud-lm-small');
const tiny = join(__dirname, '..', '..', 'fixtures', 'tiny-model');

describe('finding the language model in the models folders', () => {
  it('takes the user folder first, `cloud-lm` before other names, and is undefined when none is installed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'earshot-find-lm-'));
    const folders = { user: join(root, 'user'), shipped: join(root, 'shipped') };
    mkdirSync(folders.user);
    mkdirSync(folders.shipped);
    expect(findLanguageModel(folders)).toBeUndefined();
    cpSync(small, join(folders.shipped, 'a-lm'), { recursive: true });
    expect(findLanguageModel(folders)).toBe(join(folders.shipped, 'a-lm'));
    cpSync(small, join(folders.user, 'another-lm'), { recursive: true });
    cpSync(small, join(folders.user, 'cloud-lm'), { recursive: true });
    expect(findLanguageModel(folders)).toBe(join(folders.user, 'cloud-lm'));
    // The recogniser picker lists recognisers only.
    cpSync(tiny, join(folders.user, 'tiny-model'), { recursive: true });
    expect((await listModels(folders)).map((m) => m.name)).toEqual(['tiny-model']);
  });
});
