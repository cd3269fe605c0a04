/**
 * ARPA back-off n-gram models (SRILM, KenLM, MITLM write them). The score of w after history h is
 * log P(w | h) when the n-gram (h, w) is listed, else backoff(h) + the score after h less its first word,
 * down to the unigram. ARPA stores base-10 logs; scores here are natural logs like the recogniser's.
 *
 * A word the model does not know scores as `<unk>` when the model lists it, else at OOV_LOG10 (an explicit,
 * documented floor rather than -∞, so one name outside the vocabulary does not make a path impossible).
 */
import type { LanguageModel } from './language-model';

export const OOV_LOG10 = -10;
const LN10 = Math.LN10;
const SEP = ' ';

export interface ArpaModel {
  order: number;
  /** "w1 w2 … wn" → [log10 P, log10 backoff]. */
  grams: Map<string, [number, number]>;
  hasUnk: boolean;
}

export function parseArpa(text: string, source = 'the ARPA file'): ArpaModel {
  const lines = text.split(/\r?\n/);
  const fail = (i: number, why: string): never => {
    throw new Error(`${source}:${i + 1}: ${why}`);
  };
  let i = lines.findIndex((l) => l.trim() === '\\data\\');
  if (i < 0) throw new Error(`${source} is not an ARPA language model (no \\data\\ section)`);
  const counts: number[] = [];
  for (i++; i < lines.length && lines[i].trim() !== ''; i++) {
    const m = /^ngram (\d+)\s*=\s*(\d+)$/.exec(lines[i].trim());
    if (!m) fail(i, `expected "ngram N=COUNT", found "${lines[i].trim()}"`);
    counts[Number(m![1]) - 1] = Number(m![2]);
  }
  const order = counts.length;
  if (order === 0) throw new Error(`${source}: the \\data\\ section lists no n-gram counts`);
  const grams = new Map<string, [number, number]>();
  for (let n = 1; n <= order; n++) {
    i = lines.findIndex((l, k) => k > i && l.trim() === `\\${n}-grams:`);
    if (i < 0) throw new Error(`${source}: no \\${n}-grams: section`);
    let seen = 0;
    for (i++; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === '') continue;
      if (line.startsWith('\\')) break;
      const f = line.split(/\s+/);
      if (f.length !== n + 1 && f.length !== n + 2) fail(i, `a ${n}-gram line needs a log-probability, ${n} word(s) and an optional back-off`);
      const logp = Number(f[0]);
      const backoff = f.length === n + 2 ? Number(f[n + 1]) : 0;
      if (!Number.isFinite(logp) && f[0] !== '-inf') fail(i, `"${f[0]}" is not a log-probability`);
      if (!Number.isFinite(backoff)) fail(i, `"${f[n + 1]}" is not a back-off weight`);
      grams.set(f.slice(1, n + 1).join(SEP), [Number.isFinite(logp) ? logp : -99, backoff]);
      seen++;
    }
    if (seen !== counts[n - 1]) throw new Error(`${source}: \\data\\ promises ${counts[n - 1]} ${n}-grams, the section holds ${seen}`);
    i--;
  }
  return { order, grams, hasUnk: grams.has('<unk>') };
}

/** log10 P(word | history), history oldest first (already cut to order − 1 words or fewer). */
export function arpaLog10(model: ArpaModel, history: readonly string[], word: string): number {
  const w = model.grams.has(word) ? word : model.hasUnk ? '<unk>' : undefined;
  if (w === undefined) return OOV_LOG10;
  let backoff = 0;
  for (let start = Math.max(0, history.length - model.order + 1); start <= history.length; start++) {
    const h = history.slice(start);
    const gram = model.grams.get([...h, w].join(SEP));
    if (gram) return backoff + gram[0];
    if (h.length > 0) backoff += model.grams.get(h.join(SEP))?.[1] ?? 0;
  }
  return OOV_LOG10; // not reached: w is a listed unigram
}

/** Natural-log scores of each word and of </s>, the sentence starting after <s>. */
export function arpaSentenceScores(model: ArpaModel, words: readonly string[]): number[] {
  const history = ['<s>'];
  const out: number[] = [];
  for (const word of [...words, '</s>']) {
    out.push(arpaLog10(model, history.slice(-(model.order - 1) || history.length), word) * LN10);
    history.push(model.grams.has(word) || !model.hasUnk ? word : '<unk>');
  }
  return out;
}

export class ArpaLanguageModel implements LanguageModel {
  readonly kind = 'arpa';

  constructor(
    readonly name: string,
    readonly path: string,
    readonly model: ArpaModel,
  ) {}

  scoreWords(sentences: readonly (readonly string[])[]): Promise<number[][]> {
    return Promise.resolve(sentences.map((s) => arpaSentenceScores(this.model, s.map((w) => this.spelling(w)))));
  }

  /** The recogniser writes lower case; many published ARPA models (LibriSpeech's) are upper case. */
  private spelling(word: string): string {
    if (this.model.grams.has(word)) return word;
    const upper = word.toUpperCase();
    return this.model.grams.has(upper) ? upper : word;
  }

  release(): void {}
}
