/**
 * Streaming modified beam search (as in sherpa-onnx and torchaudio/icefall): by default at
 * most one token per frame; each frame expands every hypothesis by every token, keeps the
 * `beam` best expansions, and merges those with the same token sequence by adding their
 * probabilities (log-add). Shallow fusion adds the context graph's bonus to a token after
 * the top-k selection, as sherpa-onnx does, so the bonus steers later frames; with
 * `fusionInSelection` the bonus counts in the selection too, so a name whose first letters
 * the acoustics rank just outside the beam can still enter it.
 *
 * With `maxSymbolsPerFrame` > 1 (for models that emit several tokens in one frame, such as
 * character models at 40 ms), a hypothesis that emits a token stays in the frame for another
 * round: blank then moves it on, another token keeps it, and the last round moves it on
 * whatever it emits, the same cap greedy search applies. Each round is one joiner call over
 * all hypotheses in it.
 *
 * With a lattice to record, every hypothesis whose word could end on this frame (a
 * word-starting token scores within the lattice beam of the round's best expansion) leaves
 * that word as an arc, selected or not: the competitors the search met stay in the lattice
 * while the beam, and so the 1-best, is exactly what it is without one.
 */
import type { Lattice } from '../../shared/domain/decode';
import type { ContextGraph, ContextState } from '../bias/context-graph';
import { recordPath } from '../lattice/build-lattice';
import { LatticeRecorder } from '../lattice/lattice-recorder';
import type { WordPieces } from '../lattice/word-pieces';
import type { TokenLm } from '../lm/token-lm';
import { initialContext, isBlankLike, nextContext, repeatRow, type JointNetwork } from './joint-network';
import { argmaxRow, logAdd, logSoftmaxRows } from './log-softmax';
import { PredictionCache } from './prediction-cache';
import { totalScore, type EmittedToken, type FrameDecision, type SearchHypothesis } from './search-types';

export interface BeamSearchOptions {
  /** Hypotheses kept per frame (sherpa-onnx's max_active_paths). Default 4. */
  beam?: number;
  /** Shallow-fusion graph; omit to decode without it. */
  contextGraph?: ContextGraph;
  /** Rank expansions by their score with the token's fusion bonus (default false: after, as sherpa-onnx). */
  fusionInSelection?: boolean;
  /** Rank by score per token, as sherpa-onnx's GetMostProbable(length_norm=true). Default true. */
  lengthNorm?: boolean;
  /** Tokens one hypothesis may emit in one frame. Default 1, as sherpa-onnx. */
  maxSymbolsPerFrame?: number;
  /** Record a word lattice: how tokens make words, and the lattice beam in nats (see above). */
  lattice?: { words: WordPieces; beam: number };
  /** Shallow fusion with a token LM: each token scores weight × ln P_LM(token | path) + tokenBonus. */
  lm?: LmFusion;
}

export interface LmFusion {
  model: TokenLm;
  weight: number;
  /** Per emitted token, against the LM's preference for short paths. */
  tokenBonus: number;
}

/** Emitted tokens as a shared-tail list: hypotheses that share a history share its cells. */
interface TokenCell {
  token: EmittedToken;
  prev: TokenCell | null;
}

interface BeamHypothesis {
  /** Id of the token sequence: equal ids, equal sequences (see sequenceOf). */
  seq: number;
  context: number[];
  last: TokenCell | null;
  numTokens: number;
  acoustic: number;
  bias: number;
  /** Σ of the LM fusion terms of the emitted tokens, and the LM's state after them. */
  lm: number;
  lmState: number;
  pendingBlank: number;
  contextState: ContextState | null;
  /** The score this expansion was selected by: the path's total before this step's fusion bonus. */
  selectedBy: number;
  /** The word being spelt: the lattice node it starts at, its tokens (the word-starting one included), its scores so far. */
  wordStart: number;
  wordTokens: number;
  wordHasText: boolean;
  wordAcoustic: number;
  wordBias: number;
  /** Where this path crossed its last word boundary (frame, rank within the frame). */
  boundaryFrame: number;
  boundaryRank: number;
}

export class ModifiedBeamSearch {
  /** The 1-best path's view of each frame decoded so far (see FrameDecision), as numbers. */
  private readonly blankProbs: number[] = [];
  private readonly bestTokens: number[] = [];
  private readonly beam: number;
  private readonly lengthNorm: boolean;
  private readonly maxSymbolsPerFrame: number;
  private readonly graph: ContextGraph | undefined;
  private readonly fusionInSelection: boolean;
  private readonly lm: LmFusion | undefined;
  private readonly lmBonusRows: Float64Array[] = [];
  private readonly selectionRows: Array<Float64Array | null> = [];
  private hyps: BeamHypothesis[];
  private readonly predictions: PredictionCache;
  private readonly sequences = new Map<number, number>();
  private readonly words: WordPieces | undefined;
  private readonly latticeBeam: number;
  private readonly wordStartIds: Int32Array;
  private readonly recorder = new LatticeRecorder();
  /** Scratch for one joiner call, reused every round: this frame's encoder row repeated, and the prediction rows. */
  private readonly encoderRows: Float32Array;
  private encoderRowsOf: Float32Array | null = null;
  private encoderRowsFilled = 0;
  private readonly decoderRows: Float32Array;
  private readonly contexts: number[][] = [];
  /** Scratch of the top-k selection. */
  private readonly topIndices: Int32Array;
  private readonly topScores: Float64Array;

  constructor(
    private readonly net: JointNetwork,
    options: BeamSearchOptions = {},
  ) {
    this.beam = Math.max(1, options.beam ?? 4);
    this.lengthNorm = options.lengthNorm ?? true;
    this.maxSymbolsPerFrame = Math.max(1, Math.floor(options.maxSymbolsPerFrame ?? 1));
    this.graph = options.contextGraph;
    this.fusionInSelection = options.fusionInSelection ?? false;
    this.lm = options.lm;
    this.predictions = new PredictionCache(net);
    this.words = options.lattice?.words;
    this.latticeBeam = options.lattice?.beam ?? 0;
    this.wordStartIds = this.words?.wordStartIds() ?? new Int32Array(0);
    this.encoderRows = new Float32Array(this.beam * net.joinerDim);
    this.decoderRows = new Float32Array(this.beam * net.joinerDim);
    this.topIndices = new Int32Array(this.beam);
    this.topScores = new Float64Array(this.beam);
    this.hyps = [
      {
        seq: 0,
        context: initialContext(net),
        last: null,
        numTokens: 0,
        acoustic: 0,
        bias: 0,
        lm: 0,
        lmState: this.lm?.model.start ?? 0,
        pendingBlank: 0,
        contextState: this.graph?.start ?? null,
        selectedBy: 0,
        wordStart: this.recorder.start,
        wordTokens: 0,
        wordHasText: false,
        wordAcoustic: 0,
        wordBias: 0,
        boundaryFrame: -1,
        boundaryRank: -1,
      },
    ];
  }

  get numFrames(): number {
    return this.blankProbs.length;
  }

  /** The 1-best path's view of each frame decoded so far, as FrameDecision objects (made on request). */
  get decisions(): FrameDecision[] {
    return this.blankProbs.map((blankProb, i) => ({ blankProb, bestToken: this.bestTokens[i] }));
  }

  acceptFrames(encoderOut: Float32Array, numFrames: number): void {
    const dim = this.net.joinerDim;
    for (let t = 0; t < numFrames; t++) {
      this.step(encoderOut.subarray(t * dim, (t + 1) * dim));
    }
  }

  /** Hypotheses best first; `finalize` cancels unfinished context matches (end of utterance). */
  hypotheses(finalize = false): SearchHypothesis[] {
    const out = this.hyps.map((h) => {
      const cancel = finalize && this.graph && h.contextState ? this.graph.finalize(h.contextState).score : 0;
      return { rank: 0, h: toSearchHypothesis(h, cancel) };
    });
    for (const o of out) o.rank = this.rankScore(totalScore(o.h), o.h.tokens.length);
    return out.sort((a, b) => b.rank - a.rank).map((o) => o.h);
  }

  /** What hypotheses()[0] is, without building the others (a partial result after every chunk). */
  best(): SearchHypothesis {
    let best = this.hyps[0];
    let bestRank = this.rankScore(pathScore(best), best.numTokens);
    for (let i = 1; i < this.hyps.length; i++) {
      const h = this.hyps[i];
      const rank = this.rankScore(pathScore(h), h.numTokens);
      if (rank > bestRank) {
        best = h;
        bestRank = rank;
      }
    }
    return toSearchHypothesis(best, 0);
  }

  get recordsLattice(): boolean {
    return this.words !== undefined;
  }

  /** The word lattice: the arcs met on the way and the final hypotheses' paths (needs `lattice` in the options). */
  lattice(final: readonly SearchHypothesis[], frameShiftS: number): Lattice {
    if (!this.words) throw new Error('this search was not asked to record a lattice');
    // Called after every chunk of a live stream too: the final paths go into a copy.
    const recorder = this.recorder.copy();
    for (const h of final) recordPath(recorder, h, this.words);
    return recorder.finish(this.numFrames, frameShiftS);
  }

  private rankScore(total: number, numTokens: number): number {
    return this.lengthNorm ? total / (numTokens + this.net.contextSize) : total;
  }

  private step(encoderRow: Float32Array): void {
    const frame = this.numFrames;
    const moved: BeamHypothesis[] = [];
    let inFrame = this.hyps;
    for (let round = 0; round < this.maxSymbolsPerFrame && inFrame.length > 0; round++) {
      const lastRound = round === this.maxSymbolsPerFrame - 1;
      const staying: BeamHypothesis[] = [];
      this.expand(encoderRow, inFrame, frame, moved, lastRound ? moved : staying);
      inFrame = byScore(staying);
    }
    this.hyps = byScore(moved);
    if (this.hyps.length > this.beam) this.hyps.length = this.beam;
  }

  /**
   * One round of expansions of `hyps` on this frame's encoder row, in one joiner call: of the
   * `beam` best, blanks merge into `blanks`, tokens into `tokens`.
   */
  private expand(encoderRow: Float32Array, hyps: BeamHypothesis[], frame: number, blanks: BeamHypothesis[], tokens: BeamHypothesis[]): void {
    const { vocabSize, blankId } = this.net;
    const n = hyps.length;
    const contexts = this.contexts;
    contexts.length = n;
    for (let r = 0; r < n; r++) contexts[r] = hyps[r].context;
    const logProbs = this.net.runJoiner(this.repeatedEncoderRow(encoderRow, n), this.predictions.rows(contexts, this.decoderRows), n);
    logSoftmaxRows(logProbs, n, vocabSize);
    // The first round's hyps are sorted by total score, so row 0 is the 1-best path's view of this frame.
    if (this.blankProbs.length === frame) {
      this.blankProbs.push(Math.exp(logProbs[blankId]));
      this.bestTokens.push(argmaxRow(logProbs, 0, vocabSize));
    }
    const count = topK(logProbs, hyps, this.net, this.selectionBonuses(hyps), this.topIndices, this.topScores);
    if (this.words && count > 0) this.recordWordEnds(logProbs, hyps, frame, this.topScores[0] - this.latticeBeam);
    for (let i = 0; i < count; i++) {
      const index = this.topIndices[i];
      const h = hyps[Math.floor(index / vocabSize)];
      const token = index % vocabSize;
      const logProb = logProbs[index];
      if (isBlankLike(this.net, token)) mergeInto(blanks, this.extendWithBlank(h, logProb));
      else mergeInto(tokens, this.extendWithToken(h, token, logProb, frame));
    }
  }

  /** This frame's encoder row `rows` times over (a view of the scratch buffer, filled once per frame). */
  private repeatedEncoderRow(encoderRow: Float32Array, rows: number): Float32Array {
    if (this.encoderRowsOf !== encoderRow) {
      this.encoderRowsOf = encoderRow;
      this.encoderRowsFilled = 0;
    }
    if (rows > this.encoderRowsFilled) {
      repeatRow(encoderRow, rows, this.encoderRows, this.encoderRowsFilled);
      this.encoderRowsFilled = rows;
    }
    return this.encoderRows.subarray(0, rows * encoderRow.length);
  }

  /** Per hypothesis, each token's fusion terms the selection counts (the LM's, the graph's when asked); null for none. */
  private selectionBonuses(hyps: readonly BeamHypothesis[]): Array<Float64Array | null> | null {
    const graph = this.fusionInSelection ? this.graph : undefined;
    const lm = this.lm;
    if (!graph && !lm) return null;
    const vocabSize = this.net.vocabSize;
    // the list and the LM's rows are reused round after round, as the other scratch of the search
    const rows = this.selectionRows;
    rows.length = hyps.length;
    for (let r = 0; r < hyps.length; r++) {
      const h = hyps[r];
      const bonus = graph && h.contextState ? graph.bonuses(h.contextState, vocabSize) : null;
      if (!lm) {
        rows[r] = bonus;
        continue;
      }
      const out = (this.lmBonusRows[r] ??= new Float64Array(vocabSize));
      const row = lm.model.row(h.lmState);
      for (let v = 0; v < vocabSize; v++) out[v] = lm.weight * row[v] + lm.tokenBonus + (bonus ? bonus[v] : 0);
      rows[r] = out;
    }
    return rows;
  }

  /** Leaves an arc for each hypothesis whose word could end here, scoring at least `floor`. */
  private recordWordEnds(logProbs: Float32Array, hyps: readonly BeamHypothesis[], frame: number, floor: number): void {
    const vocabSize = this.net.vocabSize;
    for (let r = 0; r < hyps.length; r++) {
      const h = hyps[r];
      if (!h.wordHasText) continue;
      let bestStart = -Infinity;
      for (let i = 0; i < this.wordStartIds.length; i++) bestStart = Math.max(bestStart, logProbs[r * vocabSize + this.wordStartIds[i]]);
      if (pathScore(h) + bestStart >= floor) this.endWord(h, frame);
    }
  }

  /** Records `h`'s word as ending at this frame's next boundary; returns that boundary. */
  private endWord(h: BeamHypothesis, frame: number): { node: number; rank: number } {
    const rank = h.boundaryFrame === frame ? h.boundaryRank + 1 : 0;
    const node = this.recorder.boundary(frame, rank);
    this.recorder.addWord(h.wordStart, node, this.wordText(h), h.wordAcoustic, h.wordBias);
    return { node, rank };
  }

  private wordText(h: BeamHypothesis): string {
    const words = this.words as WordPieces;
    let text = '';
    let cell = h.last;
    for (let i = 0; i < h.wordTokens && cell; i++, cell = cell.prev) text = words.text(cell.token.id) + text;
    return text;
  }

  private sequenceOf(parent: number, token: number): number {
    const key = parent * this.net.vocabSize + token;
    let seq = this.sequences.get(key);
    if (seq === undefined) {
      seq = this.sequences.size + 1;
      this.sequences.set(key, seq);
    }
    return seq;
  }

  private extendWithBlank(h: BeamHypothesis, logProb: number): BeamHypothesis {
    const acoustic = h.acoustic + logProb;
    // Every field spelt out, in the order of extendWithToken's: one object shape for all hypotheses.
    return {
      seq: h.seq,
      context: h.context,
      last: h.last,
      numTokens: h.numTokens,
      acoustic,
      bias: h.bias,
      lm: h.lm,
      lmState: h.lmState,
      pendingBlank: h.pendingBlank + logProb,
      contextState: h.contextState,
      selectedBy: acoustic + h.bias + h.lm,
      wordStart: h.wordStart,
      wordTokens: h.wordTokens,
      wordHasText: h.wordHasText,
      wordAcoustic: h.wordAcoustic + logProb,
      wordBias: h.wordBias,
      boundaryFrame: h.boundaryFrame,
      boundaryRank: h.boundaryRank,
    };
  }

  private extendWithToken(h: BeamHypothesis, token: number, logProb: number, frame: number): BeamHypothesis {
    let biasBonus = 0;
    let contextState = h.contextState;
    if (this.graph && contextState) {
      const step = this.graph.forward(contextState, token);
      biasBonus = step.score;
      contextState = step.state;
    }
    const lm = this.lm;
    const lmTerm = lm ? lm.weight * lm.model.logProb(h.lmState, token) + lm.tokenBonus : 0;
    const emitted: EmittedToken = { id: token, frame, logProb, biasBonus, blankLogProbBefore: h.pendingBlank };
    const next: BeamHypothesis = {
      seq: this.sequenceOf(h.seq, token),
      context: nextContext(h.context, token),
      last: { token: emitted, prev: h.last },
      numTokens: h.numTokens + 1,
      acoustic: h.acoustic + logProb,
      bias: h.bias + biasBonus,
      lm: h.lm + lmTerm,
      lmState: lm ? lm.model.advance(h.lmState, token) : 0,
      pendingBlank: 0,
      contextState,
      selectedBy: pathScore(h) + logProb,
      wordStart: h.wordStart,
      wordTokens: h.wordTokens + 1,
      wordHasText: h.wordHasText,
      wordAcoustic: h.wordAcoustic + logProb,
      wordBias: h.wordBias + biasBonus,
      boundaryFrame: h.boundaryFrame,
      boundaryRank: h.boundaryRank,
    };
    const words = this.words;
    if (!words) return next;
    if (words.startsWord(token) && h.wordHasText) {
      const boundary = this.endWord(h, frame);
      next.wordStart = boundary.node;
      next.wordTokens = 1;
      next.wordHasText = false;
      next.wordAcoustic = logProb;
      next.wordBias = biasBonus;
      next.boundaryFrame = frame;
      next.boundaryRank = boundary.rank;
    }
    next.wordHasText ||= words.text(token) !== '';
    return next;
  }
}

/**
 * The k best expansions (row × vocab + token) by hypothesis score + token log-prob (+ its
 * bonus, when given), best first, into `indices` and `scores` (k = their length); returns how many.
 */
function topK(
  logProbs: Float32Array,
  hyps: readonly BeamHypothesis[],
  net: Pick<JointNetwork, 'vocabSize' | 'blankId' | 'unkId'>,
  bonuses: ReadonlyArray<Float64Array | null> | null,
  indices: Int32Array,
  scores: Float64Array,
): number {
  const vocabSize = net.vocabSize;
  const k = indices.length;
  let count = 0;
  for (let r = 0; r < hyps.length; r++) {
    const base = pathScore(hyps[r]);
    const bonus = bonuses?.[r] ?? null;
    for (let v = 0; v < vocabSize; v++) {
      const index = r * vocabSize + v;
      // Blank (and unk) do not advance the graph: they earn nothing.
      const score = base + logProbs[index] + (bonus && !isBlankLike(net, v) ? bonus[v] : 0);
      if (count === k && score <= scores[k - 1]) continue;
      let at = count < k ? count++ : k - 1;
      while (at > 0 && scores[at - 1] < score) {
        scores[at] = scores[at - 1];
        indices[at] = indices[at - 1];
        at--;
      }
      scores[at] = score;
      indices[at] = index;
    }
  }
  return count;
}

/**
 * Same token sequence, different alignment: probabilities add. The emission frames of the
 * alignment that ranked higher in the selection are kept (sherpa-onnx keeps the first one the
 * top-k gave it), and with them its word in progress; the bias is equal because it depends on
 * the tokens only.
 */
function mergeInto(hyps: BeamHypothesis[], other: BeamHypothesis): void {
  // A round keeps at most `beam` expansions: a scan beats a map.
  const into = hyps.find((h) => h.seq === other.seq);
  if (!into) {
    hyps.push(other);
    return;
  }
  const acoustic = logAdd(into.acoustic, other.acoustic);
  if (other.selectedBy > into.selectedBy) {
    into.selectedBy = other.selectedBy;
    into.last = other.last;
    into.pendingBlank = other.pendingBlank;
    into.wordStart = other.wordStart;
    into.wordTokens = other.wordTokens;
    into.wordHasText = other.wordHasText;
    into.wordAcoustic = other.wordAcoustic;
    into.wordBias = other.wordBias;
    into.boundaryFrame = other.boundaryFrame;
    into.boundaryRank = other.boundaryRank;
  }
  into.acoustic = acoustic;
}

/** Sorts in place, best first; ties keep their order of arrival (an insertion sort: a round holds a few). */
function byScore(hyps: BeamHypothesis[]): BeamHypothesis[] {
  for (let i = 1; i < hyps.length; i++) {
    const h = hyps[i];
    const score = pathScore(h);
    let at = i;
    while (at > 0 && pathScore(hyps[at - 1]) < score) {
      hyps[at] = hyps[at - 1];
      at--;
    }
    hyps[at] = h;
  }
  return hyps;
}

function toSearchHypothesis(h: BeamHypothesis, finalBias: number): SearchHypothesis {
  const tokens: EmittedToken[] = [];
  for (let cell = h.last; cell; cell = cell.prev) tokens.push(cell.token);
  tokens.reverse();
  return { tokens, acousticScore: h.acoustic, biasScore: h.bias + finalBias, lmScore: h.lm, trailingBlankLogProb: h.pendingBlank };
}

/** What a path is ranked by: acoustics, context bonuses and LM fusion terms. */
function pathScore(h: BeamHypothesis): number {
  return h.acoustic + h.bias + h.lm;
}
