/**
 * Word lattice from finished hypotheses (greedy search's one path; the beam search adds the
 * arcs it recorded on the way, see LatticeRecorder). Each hypothesis becomes a path of word
 * arcs, each ending where the next word's first token was emitted; what is left after the last
 * word's tokens (trailing blanks, merged alignments' extra probability, cancelled context
 * bonuses) goes on the last arc, so a path's score is its hypothesis's score.
 */
import type { Lattice } from '../../shared/domain/decode';
import type { SearchHypothesis } from '../asr/search-types';
import type { TokenTable } from '../asr/tokens';
import { LatticeRecorder } from './lattice-recorder';
import { WordPieces } from './word-pieces';

export interface LatticeOptions {
  numFrames: number;
  frameShiftS: number;
  tokens: TokenTable;
}

export function buildLattice(hypotheses: readonly SearchHypothesis[], options: LatticeOptions): Lattice {
  const recorder = new LatticeRecorder();
  const words = new WordPieces(options.tokens);
  for (const h of hypotheses) recordPath(recorder, h, words);
  return recorder.finish(options.numFrames, options.frameShiftS);
}

/** Adds one hypothesis's words as a start→end path; the same boundaries the beam search records live. */
export function recordPath(recorder: LatticeRecorder, h: SearchHypothesis, words: WordPieces): void {
  let from = recorder.start;
  let word = '';
  let acoustic = 0;
  let bias = 0;
  let spentAcoustic = 0;
  let spentBias = 0;
  let boundaryFrame = -1;
  let rank = -1;
  for (const t of h.tokens) {
    acoustic += t.blankLogProbBefore;
    if (words.startsWord(t.id) && word !== '') {
      rank = t.frame === boundaryFrame ? rank + 1 : 0;
      boundaryFrame = t.frame;
      const to = recorder.boundary(t.frame, rank);
      recorder.addWord(from, to, word, acoustic, bias);
      spentAcoustic += acoustic;
      spentBias += bias;
      from = to;
      word = '';
      acoustic = 0;
      bias = 0;
    }
    acoustic += t.logProb;
    bias += t.biasBonus;
    word += words.text(t.id);
  }
  recorder.addWord(from, recorder.end, word, h.acousticScore - spentAcoustic, h.biasScore - spentBias);
}
