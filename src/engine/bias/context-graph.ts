/**
 * Shallow-fusion context graph: an Aho-Corasick automaton over token ids, built once from
 * the biasing list. Each token that extends a partial match earns the entry's boost; a
 * token that breaks a partial match takes the accumulated boost back (the failure arc's
 * score is negative), so only completed entries keep a bonus. Same scoring as sherpa-onnx's
 * hotwords (non-strict mode: after a completed match the state returns to the root).
 *
 * With a word boundary token (whole-word matching), every entry is framed by it: a match can
 * only start where a word starts (a hypothesis begins just after a boundary) and completes
 * on the boundary that ends its last word, or at the end of the utterance. A name is then
 * never found inside a longer word ("ann" in "annual"), which on a character vocabulary
 * otherwise boosts common words. The framing arcs earn nothing.
 */

export interface ContextState {
  readonly id: number;
  /** Token on the arc into this state; -1 for the root. */
  readonly token: number;
  /** Boost earned by the arc into this state. */
  tokenScore: number;
  /** Sum of boosts from the root to this state: what a failure here must give back. */
  nodeScore: number;
  /** Score that stays once an entry ends here or at a suffix state (0 when none does). */
  outputScore: number;
  /** Number of tokens from the root. */
  readonly depth: number;
  isEnd: boolean;
  /** The entry text when isEnd. */
  phrase: string;
  readonly next: Map<number, ContextState>;
  /** Longest proper suffix that is also a prefix of some entry. */
  fail: ContextState | null;
  /** Nearest suffix state (via fail links) that ends an entry. */
  output: ContextState | null;
}

export interface TokenEntry {
  tokens: readonly number[];
  /** Boost per token; 0 or undefined takes the graph's default. */
  boost?: number;
  phrase?: string;
}

export interface ContextStep {
  /** Bonus to add to the hypothesis for this token (negative when a partial match fails). */
  score: number;
  state: ContextState;
  /** The entry that this token completed, if any. */
  matched: ContextState | null;
}

export interface ContextGraphOptions {
  /** Match whole words only, framed by this token (see above); omit to match anywhere. */
  wordBoundary?: number;
}

export class ContextGraph {
  readonly root: ContextState;
  /** Where a hypothesis starts: the root, or just after a word boundary when matching whole words. */
  readonly start: ContextState;
  readonly wordBoundary: number | undefined;
  private numStates = 0;
  private readonly bonusCache = new Map<number, Float64Array>();

  constructor(
    entries: readonly TokenEntry[],
    readonly defaultBoost: number,
    options: ContextGraphOptions = {},
  ) {
    this.wordBoundary = options.wordBoundary;
    this.root = this.newState(-1, 0, 0, 0, 0, false, '');
    for (const e of entries) this.insert(e);
    this.linkFailures();
    this.start = this.wordBoundary === undefined ? this.root : (this.root.next.get(this.wordBoundary) ?? this.root);
  }

  get size(): number {
    return this.numStates;
  }

  /** Follows `token` from `state`, the way a hypothesis advances when it emits the token. */
  forward(state: ContextState, token: number): ContextStep {
    let node: ContextState;
    let score: number;
    const direct = state.next.get(token);
    if (direct) {
      node = direct;
      score = direct.tokenScore;
    } else {
      node = this.failTarget(state, token);
      // Give back what the broken match earned; keep what the fallback suffix already earns.
      score = node.nodeScore - state.nodeScore;
    }
    const matched = node.isEnd ? node : node.output;
    if (node.outputScore !== 0 && matched) {
      // A completed entry: keep its boost for good and start over (after the boundary that completed it).
      const kept = node.isEnd ? node.nodeScore : matched.nodeScore;
      return { score: score + kept - node.nodeScore, state: this.start, matched };
    }
    return { score: score + node.outputScore, state: node, matched };
  }

  /**
   * The bonus each token would earn from `state` (index = token id, `vocabSize` of them), for a
   * search that ranks its expansions with the bonus included. Cached per state.
   */
  bonuses(state: ContextState, vocabSize: number): Float64Array {
    let out = this.bonusCache.get(state.id);
    if (!out) {
      out = new Float64Array(vocabSize);
      for (let token = 0; token < vocabSize; token++) out[token] = this.forward(state, token).score;
      this.bonusCache.set(state.id, out);
    }
    return out;
  }

  /**
   * At the end of the utterance a partial match is cancelled: its boost is taken back. A
   * whole-word entry that only lacks its closing boundary is complete: the utterance ended it.
   */
  finalize(state: ContextState): ContextStep {
    const closing = this.wordBoundary === undefined ? undefined : state.next.get(this.wordBoundary);
    if (closing?.isEnd) return { score: 0, state: this.start, matched: closing };
    return { score: -state.nodeScore, state: this.start, matched: null };
  }

  private failTarget(state: ContextState, token: number): ContextState {
    let node = state.fail ?? this.root;
    while (!node.next.has(token) && node !== this.root) node = node.fail ?? this.root;
    return node.next.get(token) ?? node;
  }

  private insert(entry: TokenEntry): void {
    const entryBoost = entry.boost ? entry.boost : this.defaultBoost;
    const framed = this.wordBoundary !== undefined;
    const tokens = framed ? [this.wordBoundary as number, ...entry.tokens, this.wordBoundary as number] : entry.tokens;
    let node = this.root;
    tokens.forEach((token, j) => {
      const last = j === tokens.length - 1;
      const boost = framed && (j === 0 || last) ? 0 : entryBoost;
      let child = node.next.get(token);
      if (!child) {
        const nodeScore = node.nodeScore + boost;
        child = this.newState(token, boost, nodeScore, last ? nodeScore : 0, j + 1, last, last ? (entry.phrase ?? '') : '');
        node.next.set(token, child);
      } else {
        // Shared prefix: the larger boost wins so that no entry is boosted less than asked.
        child.tokenScore = Math.max(boost, child.tokenScore);
        child.nodeScore = node.nodeScore + child.tokenScore;
        child.isEnd = child.isEnd || last;
        child.outputScore = child.isEnd ? child.nodeScore : 0;
        if (last) child.phrase = entry.phrase ?? '';
      }
      node = child;
    });
  }

  /** Breadth-first, so every state's fail target is finished before its children need it. */
  private linkFailures(): void {
    const queue: ContextState[] = [];
    for (const child of this.root.next.values()) {
      child.fail = this.root;
      queue.push(child);
    }
    for (let i = 0; i < queue.length; i++) {
      const current = queue[i];
      for (const [token, child] of current.next) {
        child.fail = this.failTarget(current, token);
        let output: ContextState | null = child.fail;
        while (output && output !== this.root && !output.isEnd) output = output.fail;
        child.output = output && output !== this.root ? output : null;
        if (child.output) child.outputScore += child.output.outputScore;
        queue.push(child);
      }
    }
  }

  private newState(
    token: number,
    tokenScore: number,
    nodeScore: number,
    outputScore: number,
    depth: number,
    isEnd: boolean,
    phrase: string,
  ): ContextState {
    return { id: this.numStates++, token, tokenScore, nodeScore, outputScore, depth, isEnd, phrase, next: new Map(), fail: null, output: null };
  }
}
