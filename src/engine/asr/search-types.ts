/** What both searches produce, before it becomes the API's `Hypothesis`. */

/** One emitted token with its scores. Blank log-probs are kept so paths can be re-scored. */
export interface EmittedToken {
  id: number;
  /** Encoder frame (absolute, from the start of the utterance). */
  frame: number;
  /** log P(token) from the joiner. */
  logProb: number;
  /** Shallow-fusion bonus added when this token was emitted (negative when a match failed). */
  biasBonus: number;
  /** Sum of log P(blank) over the frames since the previous emission. */
  blankLogProbBefore: number;
}

export interface SearchHypothesis {
  tokens: EmittedToken[];
  /** Transducer log-prob (summed over merged alignments in beam search). */
  acousticScore: number;
  /** Sum of shallow-fusion bonuses, end-of-utterance cancellation included. */
  biasScore: number;
  /** Sum of the token LM's fusion terms (weight × ln P + token bonus); 0 without an LM. */
  lmScore: number;
  /** Sum of log P(blank) after the last emission. */
  trailingBlankLogProb: number;
}

/** The joiner output of the 1-best path at its first call on a frame (for the frame trace). */
export interface FrameDecision {
  blankProb: number;
  bestToken: number;
}

export function totalScore(h: SearchHypothesis): number {
  return h.acousticScore + h.biasScore + h.lmScore;
}
