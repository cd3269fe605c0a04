/** The live data set: each ended utterance becomes a WAV and a manifest line, readable like any data set. */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveUtteranceId, saveLiveUtterance } from '../../../src/engine/live/live-dataset';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';
import { importDataset } from '../../../src/engine/session/import/import-dataset';
import { PathGuard } from '../../../src/engine/session/path-guard';
import { fromPcm16 } from '../../../src/shared/pcm16';

const tone = (n: number, scale = 8000): Int16Array => Int16Array.from({ length: n }, (_, i) => Math.round(scale * Math.sin(i / 7)));

describe('the live data set', () => {
  it('names an utterance by when it ended, in UTC, so the ids sort in speaking order', () => {
    expect(liveUtteranceId(new Date('2026-12-07T09:05:03.042Z'))).toBe('live-20261207-090503-042');
  });

  it('saves an utterance as a 16 kHz WAV holding exactly its samples, and a manifest line that opens as a data set', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'earshot-live-')), 'live');
    const samples = tone(16000);
    const saved = await saveLiveUtterance(folder, samples, new Date('2026-12-07T09:05:03.042Z'));
    expect(saved).toEqual({ id: 'live-20261207-090503-042', audio: join(folder, 'live-20261207-090503-042.wav'), manifest: join(folder, 'manifest.jsonl') });
    const audio = await decodeAudioFile(saved.audio, { targetRate: 16000 });
    expect(audio.sampleRate).toBe(16000);
    expect(audio.samples).toEqual(fromPcm16(samples));
    const { kind, utterances } = await importDataset(folder, { guard: new PathGuard([folder]) });
    expect(kind).toBe('earshot');
    expect(utterances).toEqual([{ id: 'live-20261207-090503-042', audio: saved.audio }]);
  });

  it('appends one line per utterance, never losing one when two end at the same instant', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'earshot-live-'));
    // A manifest the user edited by hand, without a final newline.
    writeFileSync(join(folder, 'manifest.jsonl'), '{"audio":"old.wav","text":"kept as it was"}');
    writeFileSync(join(folder, 'old.wav'), '');
    const at = new Date('2026-12-07T10:00:00.000Z');
    const [a, b] = await Promise.all([saveLiveUtterance(folder, tone(800), at), saveLiveUtterance(folder, tone(1600), at)]);
    expect([a.id, b.id]).toEqual(['live-20261207-100000-000', 'live-20261207-100000-000-2']);
    const lines = readFileSync(join(folder, 'manifest.jsonl'), 'utf8').split('\n');
    expect(lines[0]).toBe('{"audio":"old.wav","text":"kept as it was"}');
    expect(lines.slice(1).map((l) => (l ? JSON.parse(l).id : l))).toEqual([a.id, b.id, '']);
    // Written through temporary files: none is left behind.
    expect(readdirSync(folder).sort()).toEqual(['live-20261207-100000-000-2.wav', 'live-20261207-100000-000.wav', 'manifest.jsonl', 'old.wav']);
  });
});
