import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { utteranceFromResultLine, type DecodeResultLine } from '../../../src/engine/endpoint/sweep-results-file';

const jsonl = <T>(text: string): T[] => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);
const LABELS = ['data/endpoint-labels/real-train-test.jsonl', 'data/endpoint-labels/real-speech.jsonl'];

describe('the end-pointer evaluation data the benchmark reads', () => {
  it('the synthetic test split: 1,000 labelled traces with both VADs and 2 s of background after each', () => {
    const lines = jsonl<DecodeResultLine>(gunzipSync(readFileSync('bench/data/synthetic-test-traces.jsonl.gz')).toString('utf8'));
    expect(lines).toHaveLength(1000);
    for (const line of lines) {
      const u = utteranceFromResultLine(line, 0);
      expect(u.reference.source).toBe('labels');
      expect(line.trace.vad?.silero?.speechProb.length).toBeGreaterThan(0);
      expect(line.trace.vad?.webrtc?.speechProb.length).toBeGreaterThan(0);
      expect(u.stream.trace.numFrames * u.stream.trace.frameShiftS).toBeGreaterThan(u.reference.endS! + 2);
    }
  });

  it('the real labels are Earshot manifests pointing into ../shared/data by relative path', () => {
    for (const file of LABELS) {
      const lines = jsonl<{ audio: string; speech_end: number | null; speech_end_source: string; derived: { agreement: number } }>(readFileSync(file, 'utf8'));
      expect(lines.length).toBeGreaterThan(20);
      for (const line of lines) {
        expect(line.audio.startsWith('../../../shared/data/')).toBe(true);
        if (line.speech_end_source === 'vad-agreement') expect(line.derived.agreement).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it.skipIf(!existsSync('../shared/data'))('every labelled recording is there in ../shared/data', () => {
    for (const file of LABELS) {
      for (const line of jsonl<{ audio: string }>(readFileSync(file, 'utf8'))) expect(existsSync(resolve(dirname(file), line.audio)), line.audio).toBe(true);
    }
  });
});
