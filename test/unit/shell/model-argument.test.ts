import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { modelArgument } from '../../../src/main/model-argument';

describe("the app's --model argument", () => {
  it('reads --model DIR and --model=DIR, resolved against the working folder', () => {
    expect(modelArgument(['electron', '.', '--model', 'models/x'])).toBe(resolve('models/x'));
    expect(modelArgument(['electron', '.', '--model=/abs/y'])).toBe('/abs/y');
    expect(modelArgument(['electron', '.'])).toBeUndefined();
    expect(modelArgument(['electron', '.', '--model'])).toBeUndefined();
  });
});
