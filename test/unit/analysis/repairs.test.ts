import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import { decodeUtteranceAudio } from '../../../src/engine/analysis/decode-utterance-audio';
import { toResultLine } from '../../../src/engine/dataset/result-line';
import { summarizeAnalysis, analyzeDecodedUtterance } from '../../../src/engine/analysis/analyze-utterance';
import { referenceOf } from '../../../src/engine/analysis/evaluation-utterance';
import { defaultEndpointKnobs, defaultSpeculativeKnobs } from '../../../src/engine/endpoint/endpoint-config';
import { makeWav, tone } from '../audio/make-wav';

const dir = mkdtempSync(join(tmpdir(), 'earshot-repairs-'));
const second = Array.from(tone(440, 16000, 1, 0.3));
let model: TransducerModel;

beforeAll(() => {
  model = TransducerModel.load(join(__dirname, '..', '..', 'fixtures', 'tiny-model'), { variant: 'fp32' });
});
afterAll(() => model.release());

function decode(name: string, bytes: Uint8Array) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return decodeUtteranceAudio(model, { id: name, audio: path }, {});
}

describe('repairs made to damaged audio are reported with each result', () => {
  it('says when the header claims 100 MB and the file holds 1 s', async () => {
    const result = await decode('liar.wav', makeWav({ channels: [second], dataSize: 100_000_000 }));
    expect(result.repairs).toEqual(['header claims 100.0 MB of audio (3125.00 s), the file holds 32000 bytes (1.00 s); reading what is there']);
    expect(toResultLine('liar.wav', undefined, undefined, result).repairs).toEqual(result.repairs);
  });

  it('counts NaN samples replaced by silence', async () => {
    const samples = second.slice();
    samples[10] = NaN;
    samples[20] = Infinity;
    const result = await decode('nan.wav', makeWav({ sampleFormat: 'float', bitsPerSample: 32, channels: [samples] }));
    expect(result.repairs).toEqual(['2 NaN/Inf samples were replaced by silence']);
  });

  it('says a partial frame at the end was dropped', async () => {
    const path = join(dir, 'partial.wav');
    writeFileSync(path, makeWav({ channels: [second, second], dataSize: 64_003 }));
    appendFileSync(path, new Uint8Array(3));
    const result = await decodeUtteranceAudio(model, { id: 'partial', audio: path }, {});
    expect(result.repairs).toEqual(['data ends in a partial frame (3 of 4 bytes), which is dropped']);
  });

  it('passes the repairs through to the workbench’s rows', async () => {
    const utterance = { id: 'liar', audio: join(dir, 'liar.wav') };
    const result = await decodeUtteranceAudio(model, utterance, {});
    const row = summarizeAnalysis(analyzeDecodedUtterance(utterance, result, referenceOf(utterance), { speculative: defaultSpeculativeKnobs, final: defaultEndpointKnobs }));
    expect(row.repairs).toEqual(result.repairs);
  });

  it('reports nothing for a sound file', async () => {
    expect((await decode('sound.wav', makeWav({ channels: [second] }))).repairs).toBeUndefined();
  });

  it('names an empty recording without an undefined segment end', async () => {
    await expect(decode('empty.wav', makeWav({ channels: [[]] }))).rejects.toThrow(/empty\.wav: holds no audio \(the file lasts 0\.00 s\)$/);
  });
});
