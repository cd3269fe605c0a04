import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';

/** Random bytes (a fixed seed) with an MPEG sync word every 700 bytes: what mpg123 resyncs on. */
function fakeMp3(): Uint8Array {
  let seed = 12345;
  const bytes = Uint8Array.from({ length: 20_000 }, () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed >>> 24;
  });
  for (let at = 0; at < bytes.length - 1; at += 700) bytes.set([0xff, 0xfb], at);
  return bytes;
}

describe('a damaged MP3', () => {
  it('reports the decoder’s errors as repairs and prints nothing to the console', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'earshot-mp3-')), 'noise.mp3');
    writeFileSync(path, fakeMp3());
    const printed = vi.spyOn(console, 'error');
    try {
      const audio = await decodeAudioFile(path).catch((error: Error) => error);
      // Either nothing decodes (an error naming the file) or what did comes with the damage reported.
      if (audio instanceof Error) expect(audio.message).toMatch(/noise\.mp3/);
      else expect(audio.warnings.join('; ')).toMatch(/decoder/);
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });
});
