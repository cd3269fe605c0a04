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
  | 'unknown-utterance'
  | 'unknown-recording'
  | 'import-failed'
  | 'bad-format';

/** The only error the session loaders and savers throw. The message names the file and the problem. */
export class SessionError extends Error {
  override readonly name: string = 'SessionError';

  constructor(
    readonly code: SessionErrorCode | string,
    readonly file: string,
    /** The message without the file name, for errors that re-attribute it (a manifest line). */
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${problem}`, options);
  }
}

/** Turns a Node fs error into a SessionError that says what went wrong in plain words. */
export function fsProblem(err: unknown, file: string, doing: string, code?: SessionErrorCode): SessionError {
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  const [kind, why]: [SessionErrorCode, string] =
    errno === 'ENOENT'
      ? ['not-found', 'the file does not exist']
      : errno === 'EACCES' || errno === 'EPERM'
        ? ['unreadable', 'permission denied']
        : errno === 'EISDIR'
          ? ['unreadable', 'it is a folder, not a file']
          : errno === 'ENOSPC'
            ? ['write-failed', 'the disk is full']
            : ['unreadable', err instanceof Error ? err.message : String(err)];
  return new SessionError(code ?? kind, file, `${doing} failed: ${why}`, { cause: err });
}
