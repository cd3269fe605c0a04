import { expect } from 'vitest';
import { AudioError } from '../../../src/engine/audio/audio-error';

/** The AudioError the promise rejects with (fails the test if it resolves or throws anything else). */
export async function audioError(promise: Promise<unknown>): Promise<AudioError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AudioError);
    return error as AudioError;
  }
  throw new Error('expected an AudioError');
}
