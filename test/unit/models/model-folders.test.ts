import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listModels } from '../../../src/engine/models/model-folders';
import { modelContentHash } from '../../../src/engine/models/model-hash';
import { userModelsDir } from '../../../src/engine/models/models-home';
import { decodeSettingsOf } from '../../../src/engine/models/model-provenance';
import { decodeOptionsSchema } from '../../../src/shared/api';

const tiny = join(__dirname, '../../fixtures/tiny-model');
const shipped = join(__dirname, '../../../resources/models');

describe('the models folders', () => {
  it('lists each model with its type, size on disk, vocabulary, chunk, features, sparsity and biasing; broken folders with the reason', async () => {
    const user = mkdtempSync(join(tmpdir(), 'earshot-models-'));
    cpSync(tiny, join(user, 'tiny'), { recursive: true });
    mkdirSync(join(user, 'broken'));
    writeFileSync(join(user, 'broken', 'tokens.txt'), '<blk> 0\n');
    mkdirSync(join(user, '.downloads'));
    const listed = await listModels({ user, shipped });
    expect(listed.map((m) => `${m.source}:${m.name}`)).toEqual(['user:broken', 'user:tiny', 'shipped:earshot-rnnt']);
    const t = listed[1];
    expect(t.sizeBytes).toBeGreaterThan(500_000);
    expect(t.summary).toMatchObject({
      name: 'earshot-rnnt-tiny-smoke',
      format: 'earshot-rnnt',
      modelType: 'lstm',
      variants: ['fp32', 'int8'],
      vocabSize: 29,
      chunkMs: 320,
      chunk: { T: 32, decodeChunkLen: 32 },
      sparsity: 0.5499,
      biasing: { attention: true, endOfQuery: true },
      eoqThreshold: 0.5,
    });
    expect(t.summary?.features.num_mel_bins).toBe(80);
    expect(listed[0].problem).toMatch(/no encoder\*\.onnx and no model\.json/);
  });

  it('lists the model a run was started with when it lies outside both folders', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'earshot-models-'));
    const listed = await listModels({ user: join(empty, 'none'), shipped: join(empty, 'none') }, tiny);
    expect(listed.map((m) => [m.source, m.dir])).toEqual([['given', tiny]]);
  });

  it('hashes a model by its contents: a copy elsewhere hashes the same, a changed byte does not', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'earshot-hash-')), 'copy');
    cpSync(tiny, copy, { recursive: true });
    const original = await modelContentHash(tiny);
    expect(original).toMatch(/^[0-9a-f]{64}$/);
    expect(await modelContentHash(copy)).toBe(original);
    writeFileSync(join(copy, 'tokens.txt'), 'changed\n', { flag: 'a' });
    expect(await modelContentHash(copy)).not.toBe(original);
  });

  it('puts the user folder in the platform data directory unless EARSHOT_MODELS_DIR moves it', () => {
    expect(userModelsDir({ XDG_DATA_HOME: '/data' }, 'linux', '/home/a')).toBe('/data/earshot/models');
    expect(userModelsDir({}, 'linux', '/home/a')).toBe('/home/a/.local/share/earshot/models');
    expect(userModelsDir({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Application Support/Earshot/models');
    expect(userModelsDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a')).toMatch(/Earshot[\\/]models$/);
    expect(userModelsDir({ EARSHOT_MODELS_DIR: '/tmp/m', XDG_DATA_HOME: '/data' }, 'linux', '/home/a')).toBe('/tmp/m');
  });

  it('records the settings a decode used, with the model’s own where the request left them unset', () => {
    const spec = { variant: 'int8', decoding: { maxSymbolsPerFrame: 3, fusionBoost: 0.5, fusion: 'words' as const, tailPaddingS: 0.5 } };
    expect(decodeSettingsOf(decodeOptionsSchema.parse({ beam: 2, context: [{ phrase: 'anna' }] }), spec)).toEqual({
      beam: 2,
      maxSymbolsPerFrame: 3,
      fusionBoost: 0.5,
      fusion: 'words',
      shallowFusion: true,
      attentionBias: true,
      latticeBeam: 8,
      tailPaddingS: 0.5,
      variant: 'int8',
      contextEntries: 1,
    });
    expect(decodeSettingsOf(decodeOptionsSchema.parse({ maxSymbolsPerFrame: 1, fusionBoost: 2, tailPaddingS: 0 }), spec)).toMatchObject({ maxSymbolsPerFrame: 1, fusionBoost: 2, tailPaddingS: 0 });
  });
});
