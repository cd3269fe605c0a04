/** Why a recording could not be read. Stable strings: callers and tests branch on them. */
export type AudioErrorCode =
  | 'io'
  | 'empty'
  | 'not-audio'
  | 'truncated'
  | 'bad-header'
  | 'unsupported-codec'
  | 'bad-sample-rate'
  | 'bad-channels'
  | 'bad-option'
  | 'too-long'
  | 'decode-failed';

/** A recording that cannot be read; the message names the file and the problem. */
export class AudioError extends Error {
  override readonly name = 'AudioError';

  constructor(
    readonly path: string,
    readonly code: AudioErrorCode,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/**
 * A problem found by a parser that does not know the file's path (the WAV header parser works
 * on bytes so that it can be fuzzed); `withPath` turns it into an AudioError.
 */
export class FormatProblem extends Error {
  override readonly name = 'FormatProblem';

  constructor(
    readonly code: AudioErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Rethrows parser problems and I/O failures as AudioErrors naming `path`. */
export function withPath(path: string, error: unknown): AudioError {
  if (error instanceof AudioError) return error;
  if (error instanceof FormatProblem) return new AudioError(path, error.code, error.message);
  const message = error instanceof Error ? error.message : String(error);
  return new AudioError(path, 'io', message);
}
