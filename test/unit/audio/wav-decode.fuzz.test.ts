import { describe, it } from 'vitest';
import { runWavDecodeFuzz } from '../../fuzz/wav-decode.fuzz';

describe('the WAV decode path under fuzzing', () => {
  it('decodes any file to finite samples in [−1, 1] of the agreed length, or names the file and the problem (200 cases; npm run fuzz runs 10,000)', async () => {
    await runWavDecodeFuzz(200, 1);
  }, 120_000);
});
