import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface JsonlScan {
  /** Bytes up to and including the last newline: the file's whole lines. */
  wholeBytes: number;
  /** Text after the last newline (a line cut short by a kill, or a last line without its newline). */
  tail: string;
  /** Newline-ended lines read (blank ones included). */
  lines: number;
}

function readError(path: string, error: NodeJS.ErrnoException): Error {
  return new Error(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'it is a folder' : error.message}`);
}

/**
 * Streams a JSONL file's whole lines to `onLine` (blank lines skipped), so a results file of
 * any size is read in little memory. The text after the last newline is returned, not parsed.
 */
export async function scanJsonlLines(path: string, onLine: (text: string, lineNumber: number) => void): Promise<JsonlScan> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let wholeBytes = 0;
  let readBytes = 0;
  let lineNumber = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      const bytes = chunk as Buffer;
      const lastNewline = bytes.lastIndexOf(0x0a);
      readBytes += bytes.length;
      if (lastNewline >= 0) wholeBytes = readBytes - bytes.length + lastNewline + 1;
      pending += decoder.write(bytes);
      const parts = pending.split('\n');
      pending = parts.pop() as string;
      for (const line of parts) {
        lineNumber += 1;
        if (line.trim() !== '') onLine(line, lineNumber);
      }
    }
  } catch (error) {
    // File-system errors get the file's name; a caller's own error passes through as it is.
    throw (error as NodeJS.ErrnoException).syscall ? readError(path, error as NodeJS.ErrnoException) : error;
  }
  return { wholeBytes, tail: pending + decoder.end(), lines: lineNumber };
}

/** Reads a JSONL file; a line that is not JSON is an error naming the file and the line. */
export async function readJsonl<T>(path: string): Promise<T[]> {
  const rows: T[] = [];
  const parse = (line: string, n: number): void => {
    try {
      rows.push(JSON.parse(line) as T);
    } catch {
      throw new Error(`${path}:${n}: not a JSON line`);
    }
  };
  const { tail, lines } = await scanJsonlLines(path, parse);
  if (tail.trim() !== '') parse(tail, lines + 1);
  return rows;
}
