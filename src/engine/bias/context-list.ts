/** A biasing list: one entry per line, `name` or `name :boost` (sherpa-onnx hotwords syntax). */

export interface ContextEntry {
  phrase: string;
  /** Per-entry shallow-fusion boost per token; undefined means the decoder's default. */
  boost?: number;
}

export function parseContextList(text: string): ContextEntry[] {
  const entries: ContextEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(.*?)\s+:\s*(-?\d+(?:\.\d+)?)$/.exec(line);
    if (m) entries.push({ phrase: m[1].trim(), boost: Number(m[2]) });
    else entries.push({ phrase: line });
  }
  return entries;
}

/** Entries from a manifest's `context` field (a list of names) or a parsed file. */
export function contextFromNames(names: readonly string[]): ContextEntry[] {
  return names.map((n) => n.trim()).filter((n) => n !== '').map((phrase) => ({ phrase }));
}

/**
 * How an entry is spelt for a character vocabulary of lower-case letters and the apostrophe:
 * accents dropped (Zoë → zoe), typographic apostrophes made plain, hyphens and slashes
 * between words made spaces (Jean-Luc → jean luc), other punctuation removed (Dr. → dr).
 * Without it such an entry has a character the vocabulary lacks and is left out of the list.
 */
export function spellingOf(phrase: string): string {
  return phrase
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[-\u2010-\u2015_/]/g, ' ')
    .replace(/[^\p{L}\p{N}'\s]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}
