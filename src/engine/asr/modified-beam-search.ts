/**
 * Streaming modified beam search (as in sherpa-onnx and torchaudio/icefall): by default at
 * most one token per frame; each frame expands every hypothesis by every token, keeps the
 * `beam` best expansions, and merges those with the same token sequence by adding their
 * probabilities (log-add). Shallow fusion adds the context graph's bonus to a token after
 * the top-k selection, as sherpa-onnx does, so the bonus steers later frames.
 *
 * With `maxSymbolsPerFrame` > 1 (for models that emit several tokens in one frame, such as
 * character models at 40 ms), a hypothesis that emits a token stays in the frame for another
 * round: blank then moves it on, another token keeps it, and the last round moves it on
 * whatever it emits, the same cap greedy search applies.
 */
import type { ContextGraph, ContextState } from '../bias/context-graph';
import { initialContext, isBlankLike, nextContext, repeatRow, type JointNetwork } from './joint-network';
import { argmaxRow, logAdd, logSoftmaxRows } from './log-softmax';
import { PredictionCache } from './prediction-cache';
import type { EmittedToken, FrameDecision, SearchHypothesis } from './search-types';

export interface BeamSearchOptions {
  /** Hypotheses kept per frame (sherpa-onnx's max_active_paths). Default 4. */
  beam?: number;
  /** Shallow-fusion graph; omit to decode without it. */
  contextGraph?: ContextGraph;
  /** Rank by score per token, as sherpa-onnx's GetMostProbable(length_norm=true). Default true. */
  lengthNorm?: boolean;
  /** Tokens one hypothesis may emit in one frame. Default 1, as sherpa-onnx. */
  maxSymbolsPerFrame?: number;
}

/** Emitted tokens as a shared-tail list: hypotheses that share a history share its cells. */
interface TokenCell {
  token: EmittedToken;
  prev: TokenCell | null;
}

interface BeamHypothesis {
  key: string;
  context: number[];
  last: TokenCell | null;
  numTokens: number;
  acoustic: number;
  bias: number;
  pendingBlank: number;
  contextState: ContextState | null;
  /** The score this expansion was selected by: the path's total before this step's fusion bonus. */
  selectedBy: number;
}

export class ModifiedBeamSearch {
  readonly decisions: FrameDecision[] = [];
  private readonly beam: number;
  private readonly lengthNorm: boolean;
  private readonly maxSymbolsPerFrame: number;
  private readonly graph: ContextGraph | undefined;
  private hyps: BeamHypothesis[];
  private readonly predictions: PredictionCache;

  constructor(
    private readonly net: JointNetwork,
    options: BeamSearchOptions = {},
  ) {
    this.beam = Math.max(1, options.beam ?? 4);
    this.lengthNorm = options.lengthNorm ?? true;
    this.maxSymbolsPerFrame = Math.max(1, Math.floor(options.maxSymbolsPerFrame ?? 1));
    this.graph = options.contextGraph;
    this.predictions = new PredictionCache(net);
    this.hyps = [
      {
        key: '',
        context: initialContext(net),
        last: null,
        numTokens: 0,
        acoustic: 0,
        bias: 0,
        pendingBlank: 0,
        contextState: this.graph?.root ?? null,
        selectedBy: 0,
      },
    ];
  }

  get numFrames(): number {
    return this.decisions.length;
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
    for (const o of out) o.rank = this.rankScore(o.h.acousticScore + o.h.biasScore, o.h.tokens.length);
    return out.sort((a, b) => b.rank - a.rank).map((o) => o.h);
  }

  private rankScore(total: number, numTokens: number): number {
    return this.lengthNorm ? total / (numTokens + this.net.contextSize) : total;
  }

  private step(encoderRow: Float32Array): void {
    const frame = this.decisions.length;
    const moved = new Map<string, BeamHypothesis>();
    let inFrame = this.hyps;
    for (let round = 0; round < this.maxSymbolsPerFrame && inFrame.length > 0; round++) {
      const lastRound = round === this.maxSymbolsPerFrame - 1;
      const staying = new Map<string, BeamHypothesis>();
      this.expand(encoderRow, inFrame, frame, (next, isBlank) => mergeInto(isBlank || lastRound ? moved : staying, next));
      inFrame = byScore(staying);
    }
    this.hyps = byScore(moved).slice(0, this.beam);
  }

  /** One round of expansions of `hyps` on this frame's encoder row: the `beam` best go to `keep`. */
  private expand(encoderRow: Float32Array, hyps: BeamHypothesis[], frame: number, keep: (next: BeamHypothesis, isBlank: boolean) => void): void {
    const { vocabSize, blankId } = this.net;
    const logProbs = this.net.runJoiner(repeatRow(encoderRow, hyps.length), this.predictions.rows(hyps.map((h) => h.context)), hyps.length);
    logSoftmaxRows(logProbs, hyps.length, vocabSize);
    // The first round's hyps are sorted by total score, so row 0 is the 1-best path's view of this frame.
    if (this.decisions.length === frame) this.decisions.push({ blankProb: Math.exp(logProbs[blankId]), bestToken: argmaxRow(logProbs, 0, vocabSize) });
    for (const index of topK(logProbs, hyps, vocabSize, this.beam)) {
      const h = hyps[Math.floor(index / vocabSize)];
      const token = index % vocabSize;
      const logProb = logProbs[index];
      const isBlank = isBlankLike(this.net, token);
      keep(isBlank ? this.extendWithBlank(h, logProb) : this.extendWithToken(h, token, logProb, frame), isBlank);
    }
  }

  private extendWithBlank(h: BeamHypothesis, logProb: number): BeamHypothesis {
    const acoustic = h.acoustic + logProb;
    return { ...h, acoustic, pendingBlank: h.pendingBlank + logProb, selectedBy: acoustic + h.bias };
  }

  private extendWithToken(h: BeamHypothesis, token: number, logProb: number, frame: number): BeamHypothesis {
    let biasBonus = 0;
    let contextState = h.contextState;
    if (this.graph && contextState) {
      const step = this.graph.forward(contextState, token);
      biasBonus = step.score;
      contextState = step.state;
    }
    const emitted: EmittedToken = { id: token, frame, logProb, biasBonus, blankLogProbBefore: h.pendingBlank };
    return {
      key: `${h.key}${token},`,
      context: nextContext(h.context, token),
      last: { token: emitted, prev: h.last },
      numTokens: h.numTokens + 1,
      acoustic: h.acoustic + logProb,
      bias: h.bias + biasBonus,
      pendingBlank: 0,
      contextState,
      selectedBy: h.acoustic + h.bias + logProb,
    };
  }
}

/** Indices (row × vocab + token) of the k best expansions by hypothesis score + token log-prob. */
function topK(logProbs: Float32Array, hyps: readonly BeamHypothesis[], vocabSize: number, k: number): number[] {
  const best: { index: number; score: number }[] = [];
  for (let r = 0; r < hyps.length; r++) {
    const base = hyps[r].acoustic + hyps[r].bias;
    for (let v = 0; v < vocabSize; v++) {
      const index = r * vocabSize + v;
      const score = base + logProbs[index];
      if (best.length === k && score <= best[k - 1].score) continue;
      let at = best.length;
      while (at > 0 && best[at - 1].score < score) at--;
      best.splice(at, 0, { index, score });
      if (best.length > k) best.pop();
    }
  }
  return best.map((b) => b.index);
}

/**
 * Same token sequence, different alignment: probabilities add. The emission frames of the
 * alignment that ranked higher in the selection are kept (sherpa-onnx keeps the first one the
 * top-k gave it); the bias is equal because it depends on the tokens only.
 */
function mergeInto(hyps: Map<string, BeamHypothesis>, other: BeamHypothesis): void {
  const into = hyps.get(other.key);
  if (!into) {
    hyps.set(other.key, other);
    return;
  }
  const acoustic = logAdd(into.acoustic, other.acoustic);
  if (other.selectedBy > into.selectedBy) {
    into.selectedBy = other.selectedBy;
    into.last = other.last;
    into.pendingBlank = other.pendingBlank;
  }
  into.acoustic = acoustic;
}

function byScore(hyps: Map<string, BeamHypothesis>): BeamHypothesis[] {
  return [...hyps.values()].sort((a, b) => b.acoustic + b.bias - (a.acoustic + a.bias));
}

function toSearchHypothesis(h: BeamHypothesis, finalBias: number): SearchHypothesis {
  const tokens: EmittedToken[] = [];
  for (let cell = h.last; cell; cell = cell.prev) tokens.push(cell.token);
  tokens.reverse();
  return { tokens, acousticScore: h.acoustic, biasScore: h.bias + finalBias, trailingBlankLogProb: h.pendingBlank };
}
