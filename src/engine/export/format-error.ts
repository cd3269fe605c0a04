import { SessionError } from '../session/session-error';

/** A file in an export format that a reader cannot parse; names the line when it can. */
export class FormatError extends SessionError {
  override readonly name: string = 'FormatError';

  constructor(file: string, problem: string, line?: number) {
    super('bad-format', line === undefined ? file : `${file} line ${line}`, problem);
  }
}
