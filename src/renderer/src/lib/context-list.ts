import type { ContextEntry } from '@shared/api';

export interface ParsedContext {
  entries: ContextEntry[];
  /** 1-based line numbers with what is wrong there. */
  problems: { line: number; message: string }[];
}

const MAX_BOOST = 20;

/**
 * Reads the context editor's text: one phrase a line, with an optional `:boost`
 * ("anna mitchell:2.5"). Blank lines are skipped; a colon followed by something that is
 * not a number is part of the phrase.
 */
export function parseContextList(text: string): ParsedContext {
  const entries: ContextEntry[] = [];
  const problems: ParsedContext['problems'] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const match = /^(.*?):\s*([-+]?\d*\.?\d+)$/.exec(line);
    const phrase = (match ? match[1] : line).trim();
    if (!phrase) return problems.push({ line: i + 1, message: 'a boost without a phrase' });
    if (!match) return entries.push({ phrase });
    const boost = Number(match[2]);
    if (boost < 0 || boost > MAX_BOOST) return problems.push({ line: i + 1, message: `the boost must be between 0 and ${MAX_BOOST}` });
    entries.push({ phrase, boost });
  });
  return { entries, problems };
}

export function formatContextList(entries: ContextEntry[]): string {
  return entries.map((e) => (e.boost === undefined ? e.phrase : `${e.phrase}:${e.boost}`)).join('\n');
}
