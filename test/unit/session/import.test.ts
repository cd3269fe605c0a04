import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/engine/session/import/import-error';
import { importDataset } from '../../../src/engine/session/import/import-dataset';
import { parseKaldiDataDir } from '../../../src/engine/session/import/kaldi-data-dir';
import { parseNemoManifest } from '../../../src/engine/session/import/nemo-manifest';
import { parseEarshotManifest } from '../../../src/engine/session/import/earshot-manifest';
import { PathGuard } from '../../../src/engine/session/path-guard';

let dir: string;
let guard: PathGuard;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-import-'));
  guard = new PathGuard([dir]);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const put = async (path: string, text: string) => {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), text);
};

describe('importers', () => {
  it('reads the demo folder manifest (Earshot format)', async () => {
    const demo = resolve('resources/demo');
    const { kind, utterances } = await importDataset(join(demo, 'manifest.jsonl'), { guard: new PathGuard([demo]) });
    expect(kind).toBe('earshot');
    // Five synthetic commands and four real Speech Commands recordings.
    expect(utterances).toHaveLength(9);
    expect(utterances.find((u) => u.id === 'real-yes')).toEqual({ id: 'real-yes', audio: join(demo, 'real-yes.wav'), text: 'yes', speechEndS: 0.48 });
    expect(utterances[0]).toEqual({
      id: 'call-anna',
      audio: join(demo, 'call-anna.wav'),
      text: 'call anna mitchell on her mobile',
      context: ['anna mitchell', 'priya ramanathan', 'kitchen lights'],
      speechStartS: 0.5,
      speechEndS: 2.299,
    });
  });

  it('reads NeMo manifests, with offsets as segments and unique ids', async () => {
    await put('m.jsonl', ['{"audio_filepath":"a/x.wav","duration":2.5,"text":"hi"}', '', '{"audio_filepath":"b/x.wav","duration":1,"offset":3,"text":"yo","lang":"en"}'].join('\n'));
    const { kind, utterances } = await importDataset(join(dir, 'm.jsonl'), { guard });
    expect(kind).toBe('nemo');
    expect(utterances).toEqual([
      { id: 'x', audio: join(dir, 'a/x.wav'), durationS: 2.5, text: 'hi' },
      { id: 'x-2', audio: join(dir, 'b/x.wav'), startS: 3, endS: 4, durationS: 1, text: 'yo' },
    ]);
  });

  it('reads the corpus generator and end-pointer label manifests, extra fields and all', () => {
    const text = [
      '{"id":"t0","audio":"a.wav","text":"clear my list","speech_start":0.39,"speech_end":2.35,"pauses":[[0.77,1.49]],"names":[],"voice":"espeak:en-us"}',
      '{"audio":"b.wav","text":null,"speech_segments":[[0.24,1.8],[2.88,12.12]],"licence":"BSD"}',
      '{"audio":"c.wav","text":"","speech_segments":[]}',
    ].join('\n');
    const [corpus, segmented, silent] = parseEarshotManifest(text, join(dir, 'e.jsonl'), guard);
    expect(corpus).toMatchObject({ id: 't0', text: 'clear my list', speechStartS: 0.39, speechEndS: 2.35 });
    expect(segmented).toMatchObject({ speechStartS: 0.24, speechEndS: 12.12, speechSegments: [[0.24, 1.8], [2.88, 12.12]] });
    expect(segmented.text).toBeUndefined();
    expect(silent.speechSegments).toEqual([]);
    expect(silent.speechEndS).toBeUndefined();
  });

  it('names the file, the line and the problem', () => {
    expect(() => parseNemoManifest('{"audio_filepath":"a.wav"}\n{"audio_filepath":"b.wav","duration":-1}', join(dir, 'm.jsonl'), guard)).toThrow(
      new RegExp(`m\\.jsonl line 2: duration: .*`),
    );
    expect(() => parseEarshotManifest('{"audio":"a.wav","speach_end":2}', join(dir, 'e.jsonl'), guard)).toThrow(/e\.jsonl line 1: .*Unrecognized key: "speach_end" \(did you mean "speech_end"\?\)/);
    expect(() => parseEarshotManifest('{"audio":"../../etc/passwd"}', join(dir, 'e.jsonl'), guard)).toThrow(/line 1: .*outside the folders you opened/);
  });

  it('reads Kaldi data dirs with segments, and refuses pipe commands clearly', async () => {
    await put('data/train/wav.scp', 'rec1 audio/rec1.wav\nrec2 /abs/rec2.wav\n');
    await put('data/train/segments', 'u1 rec1 0.0 1.5\nu2 rec1 1.5 -1\n');
    await put('data/train/text', 'u1 hello there\nu2 \n');
    const g = new PathGuard([dir, '/abs']);
    const { kind, utterances } = await importDataset(join(dir, 'data/train'), { guard: g });
    expect(kind).toBe('kaldi');
    expect(utterances).toEqual([
      { id: 'u1', audio: join(dir, 'audio/rec1.wav'), startS: 0, endS: 1.5, text: 'hello there' },
      { id: 'u2', audio: join(dir, 'audio/rec1.wav'), startS: 1.5, text: '' },
    ]);
    expect(() => parseKaldiDataDir({ wavScp: 'r1 sox in.flac -t wav - |\n' }, join(dir, 'data/x'), g)).toThrow(
      /wav\.scp line 1: recording "r1" is a pipe command \("sox in\.flac -t wav - \|"\); Earshot reads audio files only/,
    );
    expect(() => parseKaldiDataDir({ wavScp: 'r1 a.wav\n', text: 'zz words\n' }, join(dir, 'd'), g)).toThrow(/text line 1: utterance "zz" is not in wav\.scp/);
  });

  it('reads the LibriSpeech layout', async () => {
    await put('LibriSpeech/dev-clean/84/121123/84-121123.trans.txt', '84-121123-0000 GO DO YOU HEAR\n84-121123-0001 BUT IN LESS THAN FIVE MINUTES\n');
    const { kind, utterances } = await importDataset(join(dir, 'LibriSpeech'), { guard });
    expect(kind).toBe('librispeech');
    expect(utterances[1]).toEqual({ id: '84-121123-0001', audio: join(dir, 'LibriSpeech/dev-clean/84/121123/84-121123-0001.flac'), text: 'BUT IN LESS THAN FIVE MINUTES' });
  });

  it('reads a folder of audio with .txt / .lab sidecars', async () => {
    await put('clips/one.wav', 'x');
    await put('clips/one.txt', 'first clip\n');
    await put('clips/sub/two.flac', 'x');
    await put('clips/sub/two.lab', 'second\nclip');
    await put('clips/three.mp3', 'x');
    const { kind, utterances } = await importDataset(join(dir, 'clips'), { guard });
    expect(kind).toBe('sidecar');
    expect(utterances).toEqual([
      { id: 'one', audio: join(dir, 'clips/one.wav'), text: 'first clip' },
      { id: 'two', audio: join(dir, 'clips/sub/two.flac'), text: 'second clip' },
      { id: 'three', audio: join(dir, 'clips/three.mp3') },
    ]);
  });

  it('refuses inputs outside the opened folders and unknown kinds', async () => {
    await expect(importDataset(join(dir, '..'), { guard })).rejects.toBeInstanceOf(ImportError);
    await put('notes.docx', 'x');
    await expect(importDataset(join(dir, 'notes.docx'), { guard })).rejects.toThrow(/is not a manifest/);
  });
});
