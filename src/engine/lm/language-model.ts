/**
 * A language model scores word sequences: for each sentence, the natural-log probability of every word given
 * the words before it, and last that of the end of the sentence. The neural cloud model and ARPA n-grams both
 * answer through this, so rescoring does not care which one it holds.
 */
export interface LanguageModel {
  /** What the summaries and the workbench call it (folder or file name). */
  readonly name: string;
  readonly kind: 'neural' | 'arpa';
  /** Where it was loaded from. */
  readonly path: string;
  /** Per sentence: one log-probability per word, then one for the end of the sentence (length words + 1). */
  scoreWords(sentences: readonly (readonly string[])[]): Promise<number[][]>;
  release(): void;
}

/** Σ of a sentence's word scores (its log-probability, end included). */
export const sentenceLogProb = (wordScores: readonly number[]): number => wordScores.reduce((a, b) => a + b, 0);
