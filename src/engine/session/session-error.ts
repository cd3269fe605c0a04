/** Why a session, manifest or path was refused. Callers switch on `code`; people read `message`. */
export type SessionErrorCode =
  | 'not-found'
  | 'unreadable'
  | 'malformed-json'
  | 'invalid'
  | 'unknown-version'
  | 'outside-roots'
  | 'refuse-overwrite'
  | 'write-failed'
  | 'unknown-utterance';

/** The only error the session loaders and savers throw. The message names the file and the problem. */
export class SessionError extends Error {
  override readonly name: string = 'SessionError';

  constructor(
    readonly code: SessionErrorCode | string,
    readonly file: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${problem}`, options);
  }
}

/** Turns a Node fs error into a SessionError that says what went wrong in plain words. */
export function fsProblem(err: unknown, file: string, doing: string): SessionError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new SessionError('not-found', file, `${doing} failed: the file does not exist`, { cause: err });
  if (code === 'EACCES' || code === 'EPERM') return new SessionError('unreadable', file, `${doing} failed: permission denied`, { cause: err });
  if (code === 'EISDIR') return new SessionError('unreadable', file, `${doing} failed: it is a folder, not a file`, { cause: err });
  const detail = err instanceof Error ? err.message : String(err);
  return new SessionError('unreadable', file, `${doing} failed: ${detail}`, { cause: err });
}
