import { SessionError } from '../session-error';

/** A data set or manifest that cannot be imported. The message names the file, the line and the problem. */
export class ImportError extends SessionError {
  override readonly name: string = 'ImportError';

  constructor(file: string, problem: string, line?: number, options?: { cause?: unknown }) {
    super('import-failed', line === undefined ? file : `${file} line ${line}`, problem, options);
  }
}
