import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareDecodeOutput } from '../../../src/cli/output/decode-output';
import type { DecodeRun } from '../../../src/cli/output/decode-run';

const dir = mkdtempSync(join(tmpdir(), 'earshot-decode-output-'));
const run: DecodeRun = { model: '0123456789abcdef', variant: 'int8', beam: 4, max_symbols: 3, boost: 0.5, fusion: 'words', shallow_fusion: true, attention_bias: true, lattice_beam: 8, context: null, endpointer: 'fedcba9876543210', shard: null };
const line = (id: string, r: DecodeRun = run): string => JSON.stringify({ id, hyp: 'hello', run: r });
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('an existing decode output', () => {
  it('is started when absent or empty', async () => {
    expect((await prepareDecodeOutput(join(dir, 'absent.jsonl'), run)).written.size).toBe(0);
    expect((await prepareDecodeOutput(file('empty.jsonl', ''), run)).written.size).toBe(0);
  });

  it('is resumed when every line comes from the same run, listing the ids it holds', async () => {
    const path = file('same.jsonl', `${line('a')}\n${line('b')}\n`);
    expect([...(await prepareDecodeOutput(path, run)).written]).toEqual(['a', 'b']);
  });

  it('loses only the half line a kill left, and gets back a last line missing its newline', async () => {
    const torn = file('torn.jsonl', `${line('a')}\n${line('b').slice(0, 20)}`);
    const state = await prepareDecodeOutput(torn, run);
    expect([...state.written]).toEqual(['a']);
    expect(state.mended).toMatch(/dropped an incomplete last line/);
    expect(readFileSync(torn, 'utf8')).toBe(`${line('a')}\n`);
    const unended = file('unended.jsonl', `${line('a')}\n${line('b')}`);
    expect([...(await prepareDecodeOutput(unended, run)).written]).toEqual(['a', 'b']);
    expect(readFileSync(unended, 'utf8')).toBe(`${line('a')}\n${line('b')}\n`);
  });

  it('is refused, untouched, when it comes from other settings, holds an id twice, or is something else', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['other.jsonl', `${line('a', { ...run, beam: 2 })}\n`, /--beam: 2 there, 4 now/],
      ['padded.jsonl', `${line('a', { ...run, tail_padding_s: 0.3 })}\n`, /--tail-padding: 0\.3 there, 0 now/],
      ['twice.jsonl', `${line('a')}\n${line('a')}\n`, /holds utterance "a" twice \(line 2\)/],
      ['manifest.jsonl', `${JSON.stringify({ audio: 'a.wav', text: 'hi' })}\n`, /is not the output of `earshot decode`/],
      ['old.jsonl', `${JSON.stringify({ id: 'a', hyp: 'hi' })}\n`, /without the model and settings that made them/],
      ['notes.txt', 'dear diary', /is not the output of `earshot decode`/],
      ['audio.wav', 'RIFF\u0000\u0000\u0000\u0000WAVEfmt ', /is not the output of `earshot decode`/],
    ];
    for (const [name, text, message] of cases) {
      const path = file(name, text);
      await expect(prepareDecodeOutput(path, run)).rejects.toThrow(message);
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });
});
