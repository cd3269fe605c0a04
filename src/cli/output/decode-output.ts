/**
 * Decides what `earshot decode` may do with an existing --out file before it writes a byte:
 * a file it wrote with the same model and settings is resumed (ids already there are
 * skipped), anything else is refused with a message saying why. It never truncates.
 */
import { appendFile, open, stat, truncate } from 'node:fs/promises';
import { scanJsonlLines } from '../read-jsonl';
import { runDifferences, type DecodeRun } from './decode-run';

export interface DecodeOutputState {
  /** Ids of the utterances the file already holds (decoded or failed). */
  written: Set<string>;
  /** What was mended at the end of the file: a line cut short by a kill, a missing newline. */
  mended?: string;
}

interface WrittenLine {
  id?: unknown;
  hyp?: unknown;
  run?: DecodeRun;
}

const refuse = (out: string, why: string): Error => new Error(`--out ${out} ${why}; choose another output file (nothing was written)`);

function parseLine(text: string): WrittenLine | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as WrittenLine) : undefined;
  } catch {
    return undefined;
  }
}

function checkLine(out: string, line: WrittenLine | undefined, lineNumber: number, run: DecodeRun): string {
  if (!line || typeof line.id !== 'string' || typeof line.hyp !== 'string') {
    throw refuse(out, lineNumber === 1 ? 'exists and is not the output of `earshot decode`' : `line ${lineNumber} is not a decode result (the file is damaged)`);
  }
  if (!line.run) throw refuse(out, `holds results without the model and settings that made them (line ${lineNumber}), so they cannot be resumed`);
  const differences = runDifferences(line.run, run);
  if (differences.length > 0) {
    throw refuse(out, `holds results of another model or other settings (${differences.join('; ')}); rerun with the same ones to resume it`);
  }
  return line.id;
}

export async function prepareDecodeOutput(out: string, run: DecodeRun): Promise<DecodeOutputState> {
  const info = await stat(out).catch(() => undefined);
  const written = new Set<string>();
  if (!info) return { written };
  if (!info.isFile()) throw refuse(out, 'is not a regular file');
  if (info.size === 0) return { written };
  // A recording or any other binary file is refused on its first bytes, never read whole.
  if (!(await startsLikeJsonl(out))) throw refuse(out, 'exists and is not the output of `earshot decode`');
  const scan = await scanJsonlLines(out, (text, n) => {
    const id = checkLine(out, parseLine(text), n, run);
    if (written.has(id)) throw refuse(out, `holds utterance "${id}" twice (line ${n})`);
    written.add(id);
  });
  if (scan.tail.trim() === '') return { written };
  const last = parseLine(scan.tail);
  if (last && typeof last.id === 'string' && typeof last.hyp === 'string') {
    written.add(checkLine(out, last, scan.lines + 1, run));
    await appendFile(out, '\n');
    return { written, mended: 'added the newline its last line lacked' };
  }
  if (written.size === 0) throw refuse(out, 'exists and is not the output of `earshot decode`');
  // A line cut short by kill -9 holds no result: drop it, keep every whole line.
  await truncate(out, scan.wholeBytes);
  return { written, mended: `dropped an incomplete last line (${scan.tail.length} characters) left by an interrupted run` };
}

async function startsLikeJsonl(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(4096);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const text = Buffer.from(head.subarray(0, bytesRead)).toString('utf8').trimStart();
    return text === '' || text.startsWith('{');
  } finally {
    await file.close();
  }
}
