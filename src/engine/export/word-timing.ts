import type { TokenEmission } from '../../shared/domain/decode';

/** A labelled span of time (s). */
export interface TimedLabel {
  startS: number;
  endS: number;
  label: string;
}

const WORD_START = '▁';

/** A word with its confidence: the mean token log-probability as a probability, in [0, 1]. */
export interface TimedWord extends TimedLabel {
  confidence: number;
}

/**
 * Words of a token sequence with times. A word starts at a token that begins with `▁` (or the
 * first token) and lasts until one frame after its last token, cut short where the next word
 * starts: a transducer emits tokens at single frames, so this is the span it committed to them.
 */
export function tokensToWords(tokens: readonly TokenEmission[], frameShiftS: number, offsetS = 0): TimedWord[] {
  const groups: TokenEmission[][] = [];
  for (const t of tokens) {
    if (!groups.length || t.symbol.startsWith(WORD_START)) groups.push([t]);
    else groups[groups.length - 1].push(t);
  }
  const words = groups
    .map((g) => ({
      startS: offsetS + g[0].timeS,
      endS: offsetS + g[g.length - 1].timeS + frameShiftS,
      label: g.map((t) => t.symbol).join('').replaceAll(WORD_START, ''),
      confidence: Math.min(1, Math.max(0, Math.exp(g.reduce((sum, t) => sum + t.logProb, 0) / g.length))),
    }))
    .filter((w) => w.label !== '');
  return clipToNext(words);
}

/** Tokens as spans of one frame; tokens emitted at the same frame share one span. */
export function tokensToSpans(tokens: readonly TokenEmission[], frameShiftS: number, offsetS = 0): TimedLabel[] {
  const spans: TimedLabel[] = [];
  for (const t of tokens) {
    const last = spans[spans.length - 1];
    if (last && last.startS === offsetS + t.timeS) last.label += ` ${t.symbol}`;
    else spans.push({ startS: offsetS + t.timeS, endS: offsetS + t.timeS + frameShiftS, label: t.symbol });
  }
  return clipToNext(spans);
}

function clipToNext<T extends TimedLabel>(labels: T[]): T[] {
  return labels.map((l, i) => (i + 1 < labels.length && labels[i + 1].startS < l.endS ? { ...l, endS: Math.max(l.startS, labels[i + 1].startS) } : l));
}
