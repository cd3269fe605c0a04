/**
 * ARPA back-off n-gram models (SRILM, KenLM, MITLM write them). The score of w after history h is
 * log P(w | h) when the n-gram (h, w) is listed, else backoff(h) + the score after h less its first word,
 * down to the unigram. ARPA stores base-10 logs; scores here are natural logs like the recogniser's.
 *
 * A word the model does not know scores as `<unk>` when the model lists it, else at OOV_LOG10 (an explicit,
 * documented floor rather than -∞, so one name outside the vocabulary does not make a path impossible).
 */
import { readArpaLines } from './arpa-lines';
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
  const grams = new Map<string, [number, number]>();
  const counts = readArpaLines(text, source, () => {}, (_n, words, log10p, log10bo) => grams.set(words.join(SEP), [log10p, log10bo]));
  return { order: counts.length, grams, hasUnk: grams.has('<unk>') };
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
