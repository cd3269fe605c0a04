/**
 * Streaming modified beam search (as in sherpa-onnx and torchaudio/icefall): at most one
 * token per frame; each frame expands every hypothesis by every token, keeps the `beam`
 * best expansions, and merges those with the same token sequence by adding their
 * probabilities (log-add). Shallow fusion adds the context graph's bonus to a token after
 * the top-k selection, as sherpa-onnx does, so the bonus steers later frames.
 */
import type { ContextGraph, ContextState } from '../bias/context-graph';
import { initialContext, nextContext, repeatRow, type JointNetwork } from './joint-network';
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
}

export class ModifiedBeamSearch {
  readonly decisions: FrameDecision[] = [];
  private readonly beam: number;
  private readonly lengthNorm: boolean;
  private readonly graph: ContextGraph | undefined;
  private hyps: BeamHypothesis[];
  private readonly predictions: PredictionCache;

  constructor(
    private readonly net: JointNetwork,
    options: BeamSearchOptions = {},
  ) {
    this.beam = Math.max(1, options.beam ?? 4);
    this.lengthNorm = options.lengthNorm ?? true;
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
    const { vocabSize, blankId } = this.net;
    const prev = this.hyps;
    const logProbs = this.net.runJoiner(repeatRow(encoderRow, prev.length), this.predictions.rows(prev.map((h) => h.context)), prev.length);
    logSoftmaxRows(logProbs, prev.length, vocabSize);
    // prev is sorted by total score, so row 0 is the 1-best path's view of this frame.
    this.decisions.push({ blankProb: Math.exp(logProbs[blankId]), bestToken: argmaxRow(logProbs, 0, vocabSize) });

    const frame = this.decisions.length - 1;
    const merged = new Map<string, BeamHypothesis>();
    for (const index of topK(logProbs, prev, vocabSize, this.beam)) {
      const h = prev[Math.floor(index / vocabSize)];
      const token = index % vocabSize;
      const logProb = logProbs[index];
      const next = token === blankId ? this.extendWithBlank(h, logProb) : this.extendWithToken(h, token, logProb, frame);
      const same = merged.get(next.key);
      if (!same) merged.set(next.key, next);
      else mergeInto(same, next);
    }
    this.hyps = [...merged.values()].sort((a, b) => b.acoustic + b.bias - (a.acoustic + a.bias));
  }

  private extendWithBlank(h: BeamHypothesis, logProb: number): BeamHypothesis {
    return { ...h, acoustic: h.acoustic + logProb, pendingBlank: h.pendingBlank + logProb };
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
 * Same token sequence, different alignment: probabilities add. The better alignment's
 * emission frames are kept; the bias is equal because it depends on the tokens only.
 */
function mergeInto(into: BeamHypothesis, other: BeamHypothesis): void {
  const acoustic = logAdd(into.acoustic, other.acoustic);
  if (other.acoustic > into.acoustic) {
    into.last = other.last;
    into.pendingBlank = other.pendingBlank;
  }
  into.acoustic = acoustic;
}

function toSearchHypothesis(h: BeamHypothesis, finalBias: number): SearchHypothesis {
  const tokens: EmittedToken[] = [];
  for (let cell = h.last; cell; cell = cell.prev) tokens.push(cell.token);
  tokens.reverse();
  return { tokens, acousticScore: h.acoustic, biasScore: h.bias + finalBias, trailingBlankLogProb: h.pendingBlank };
}
