/** The renderer's side of the live microphone: chunking, encoding and level of the captured audio, and the end-of-query plot. */
import { describe, expect, it } from 'vitest';
import { levelDb, LEVEL_FLOOR_DB, PcmChunker, pcm16ToBase64 } from '../../../src/renderer/src/live/pcm-chunks';
import { eoqPath, plotSpanS, secondTicks, xOf, yOf } from '../../../src/renderer/src/live/eoq-plot';
import { pcm16FromBase64 } from '../../../src/host/handlers/live-handlers';
import { apiParams } from '../../../src/shared/api';
import { toPcm16 } from '../../../src/shared/pcm16';

const ramp = (n: number, from = 0): Float32Array => Float32Array.from({ length: n }, (_, i) => ((from + i) % 200) / 400 - 0.25);

describe('captured audio on its way to the engine', () => {
  it('is cut into chunks of a fixed length whatever the block sizes, nothing dropped or repeated', () => {
    const chunker = new PcmChunker(4800);
    const chunks: Int16Array[] = [];
    let fed = 0;
    for (const size of [1024, 1024, 3000, 17, 9000, 128, 128, 1100]) {
      chunks.push(...chunker.push(ramp(size, fed)));
      fed += size;
    }
    expect(chunks.map((c) => c.length)).toEqual([4800, 4800, 4800]);
    const rest = chunker.flush()!;
    expect(rest.length).toBe(fed - 3 * 4800);
    expect(Int16Array.from([...chunks.flatMap((c) => [...c]), ...rest])).toEqual(toPcm16(ramp(fed)));
    expect(chunker.flush()).toBeNull();
  });

  it('refuses a chunk length that is not a whole, positive number of samples', () => {
    expect(() => new PcmChunker(0)).toThrow(/whole, positive/);
    expect(() => new PcmChunker(44.1)).toThrow(/whole, positive/);
  });

  it('travels as base64 little-endian 16-bit PCM that the host reads back sample for sample', () => {
    const pcm = Int16Array.from([0, 1, -1, 32767, -32768, 12345, -2]);
    const text = pcm16ToBase64(pcm);
    expect(apiParams.liveAudio.safeParse({ sessionId: 'live-session-1', seq: 0, pcm: text }).success).toBe(true);
    expect(pcm16FromBase64(text)).toEqual(pcm);
  });

  it('is refused when the chunk is not base64 or not whole samples, naming the problem', () => {
    const bad = apiParams.liveAudio.safeParse({ sessionId: 'live-session-1', seq: 0, pcm: 'not base64!' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toMatch(/base64/);
    expect(apiParams.liveAudio.safeParse({ sessionId: 'x', seq: 0, pcm: '' }).success).toBe(false);
    expect(apiParams.liveAudio.safeParse({ sessionId: 'live-session-1', seq: -1, pcm: '' }).success).toBe(false);
    expect(() => pcm16FromBase64('AAAA')).toThrow(/not a whole number of 16-bit samples/);
  });

  it('has its level in dB below full scale, floored for silence', () => {
    expect(levelDb(new Float32Array(128).fill(0.5))).toBeCloseTo(-6.02, 2);
    expect(levelDb(new Float32Array(128))).toBe(LEVEL_FLOOR_DB);
    expect(levelDb(new Float32Array(0))).toBe(LEVEL_FLOOR_DB);
  });
});

describe('the live end-of-query plot', () => {
  const box = { width: 340, height: 120, left: 26, bottom: 16 };

  it('spans the utterance so far, at least two seconds, in whole seconds', () => {
    expect(plotSpanS(0.64)).toBe(2);
    expect(plotSpanS(2.24)).toBe(3);
    expect(secondTicks(3)).toEqual([0, 1, 2, 3]);
  });

  it('draws each frame’s probability at its start time, 1 at the top and 0 on the axis', () => {
    expect(eoqPath([0, 1, 0.5], 0.04, 2, box)).toBe(`M26.0,104.0L${xOf(0.04, 2, box).toFixed(1)},0.0L${xOf(0.08, 2, box).toFixed(1)},52.0`);
    expect(yOf(0, box)).toBe(104);
    expect(xOf(2, 2, box)).toBe(340);
    expect(eoqPath([], 0.04, 2, box)).toBe('');
  });
});
