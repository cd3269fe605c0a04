import { describe, it } from 'vitest';
import { runModelDirFuzz } from '../../fuzz/model-dir.fuzz';

describe('the model folder loader under fuzzing', () => {
  it('loads a consistent model or refuses the folder naming the problem (300 cases; npm run fuzz runs 10,000)', () => {
    runModelDirFuzz(300, 1);
  }, 120_000);
});
