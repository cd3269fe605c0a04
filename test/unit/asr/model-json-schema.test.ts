import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelDirError, resolveModelDir } from '../../../src/engine/asr/model-dir';

const tinyModel = join(__dirname, '..', '..', 'fixtures', 'tiny-model');
const original = JSON.parse(readFileSync(join(tinyModel, 'model.json'), 'utf8')) as Record<string, Record<string, unknown>>;

describe('model.json and tokens.txt are checked at load, naming the field', () => {
  let dir: string;
  const withModelJson = (json: unknown): void => writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  const withChunk = (chunk: Record<string, unknown>): void => withModelJson({ ...original, chunk: { ...original.chunk, ...chunk } });
  const withFeatures = (features: Record<string, unknown>): void => withModelJson({ ...original, features: { ...original.features, ...features } });
  const load = (): unknown => resolveModelDir(dir);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-model-json-'));
    cpSync(tinyModel, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the shipped fixture as it is', () => {
    expect(resolveModelDir(dir)).toMatchObject({ frameShiftS: 0.04, blankId: 0 });
  });

  it('refuses an encoder frame shift of 1e9 ms, a negative one, or one given as text', () => {
    withChunk({ frame_shift_ms: 1e9 });
    expect(load).toThrow(ModelDirError);
    expect(load).toThrow(/"chunk\.frame_shift_ms" .*(<=|1000)/);
    withChunk({ frame_shift_ms: -40 });
    expect(load).toThrow(/"chunk\.frame_shift_ms" .*(>0|positive|> ?0)/i);
    withChunk({ frame_shift_ms: '40' });
    expect(load).toThrow(/"chunk\.frame_shift_ms" expected number, received string/);
  });

  it('refuses a blank_id outside the token table, before onnxruntime sees it', () => {
    withModelJson({ ...original, blank_id: 99999 });
    expect(load).toThrow(/"blank_id" is 99999, outside tokens\.txt's 29 ids \(0–28\)/);
    withModelJson({ ...original, blank_id: -1 });
    expect(load).toThrow(/"blank_id"/);
  });

  it('refuses absurd features at load rather than at the fbank step', () => {
    withFeatures({ num_mel_bins: 0 });
    expect(load).toThrow(/"features\.num_mel_bins"/);
    withFeatures({ frame_length_ms: 1e9 });
    expect(load).toThrow(/"features\.frame_length_ms"/);
    withFeatures({ sample_rate: 1e9 });
    expect(load).toThrow(/"features\.sample_rate"/);
    withFeatures({ high_freq: 9000 });
    expect(load).toThrow(/"features" need 0 ≤ lowFreq < highFreq ≤ Nyquist, got 20 and 9000 Hz/);
    withFeatures({ window: 'triangle' });
    expect(load).toThrow(/"features\.window"/);
  });

  it('says what is wrong with a model.json of null, an array, or broken JSON', () => {
    writeFileSync(join(dir, 'model.json'), 'null');
    expect(load).toThrow(/model\.json must hold a JSON object \(the model's description\), not null/);
    writeFileSync(join(dir, 'model.json'), '[]');
    expect(load).toThrow(/not an array/);
    writeFileSync(join(dir, 'model.json'), '{"format":');
    expect(load).toThrow(/model\.json is not valid JSON/);
    withModelJson({ ...original, format: 'onnx' });
    expect(load).toThrow(/"format" is "onnx", expected "earshot-rnnt"/);
    withModelJson({ ...original, variants: {} });
    expect(load).toThrow(/"variants" names no variant/);
  });

  it('refuses a vocab_size that disagrees with tokens.txt', () => {
    withModelJson({ ...original, vocab_size: 30 });
    expect(load).toThrow(/"vocab_size" is 30 but tokens\.txt has 29 tokens/);
  });

  it('refuses a symbol that tokens.txt defines twice', () => {
    const tokens = readFileSync(join(tinyModel, 'tokens.txt'), 'utf8').split('\n');
    tokens[5] = `${tokens[4].split(' ')[0]} 5`;
    writeFileSync(join(dir, 'tokens.txt'), tokens.join('\n'));
    expect(load).toThrow(ModelDirError);
    expect(load).toThrow(/tokens\.txt:6: symbol ".*" is already defined on line 5/);
  });
});

describe('graph files named by model.json', () => {
  it('must lie inside the model folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-model-json-'));
    cpSync(tinyModel, dir, { recursive: true });
    const variants = original.variants as Record<string, Record<string, string>>;
    for (const bias of ['../../etc/passwd', '/etc/passwd']) {
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...original, variants: { ...variants, int8: { ...variants.int8, bias } } }));
      expect(() => resolveModelDir(dir)).toThrow(/"variants\.int8\.bias" must name a file inside the model folder/);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
